import type { Logger } from '@verdict/config';
import { MockRepository, type SqlDatabase } from '@verdict/db';
import { compileMock, type CompiledMock } from './engine/compile';

/**
 * Every REST mock compiled for serving, by name. Reloaded when the configuration version moves:
 * at once after this process's own writes (the admin API awaits refresh()), and within one poll
 * interval after another replica's.
 */
export class MockCatalog {
  private byName = new Map<string, CompiledMock>();
  private version = -1;
  private refreshing: Promise<void> = Promise.resolve();
  private timer?: NodeJS.Timeout;
  private readonly listeners: ((mocks: CompiledMock[]) => void)[] = [];

  constructor(
    private readonly db: SqlDatabase,
    private readonly log: Logger,
  ) {}

  get(name: string): CompiledMock | undefined {
    return this.byName.get(name);
  }

  all(): CompiledMock[] {
    return [...this.byName.values()];
  }

  /** Told of every reload (per-mock ports follow it). */
  onReload(listener: (mocks: CompiledMock[]) => void): void {
    this.listeners.push(listener);
  }

  /** Reloads when the stored version moved (or always, when forced); calls are serialized. */
  refresh(force = false): Promise<void> {
    this.refreshing = this.refreshing.then(async () => {
      const repo = new MockRepository(this.db);
      const version = await repo.version();
      if (!force && version === this.version) return;
      const defs = await repo.loadAll();
      const next = new Map<string, CompiledMock>();
      for (const def of defs) {
        try {
          next.set(def.mock.name, compileMock(def));
        } catch (error) {
          // Definitions are checked when saved; one that fails anyway must not take the others down.
          this.log.error(
            { err: error, mock: def.mock.name },
            'mock not served: its definition does not compile',
          );
        }
      }
      this.byName = next;
      this.version = version;
      for (const l of this.listeners) l(this.all());
    });
    return this.refreshing;
  }

  start(pollMs: number): void {
    this.timer = setInterval(() => {
      this.refresh().catch((error) => this.log.warn({ err: error }, 'mock catalog reload failed'));
    }, pollMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }
}
