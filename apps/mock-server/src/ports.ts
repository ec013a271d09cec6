import http from 'node:http';
import type { Logger } from '@verdict/config';
import { ConflictError } from '@verdict/contracts';
import type { CompiledMock } from './engine/compile';
import type { TrafficHandler } from './traffic';

/**
 * Mocks that asked for a port of their own get a listener there, serving that mock at "/".
 * Listeners follow the catalog: opened for new ports, closed for ports no mock holds any more.
 */
export class MockPorts {
  private readonly servers = new Map<number, { name: string; server: http.Server }>();

  constructor(
    private readonly traffic: TrafficHandler,
    private readonly host: string,
    private readonly log: Logger,
  ) {}

  /** Refuses a port this process cannot listen on, before it is saved. */
  async probe(port: number): Promise<void> {
    if (this.servers.has(port)) return;
    await new Promise<void>((resolve, reject) => {
      const s = http.createServer();
      s.once('error', (e: NodeJS.ErrnoException) =>
        reject(
          new ConflictError(`port ${port} cannot be used on ${this.host}: ${e.code ?? e.message}`, {
            field: 'port',
          }),
        ),
      );
      s.listen(port, this.host, () => s.close(() => resolve()));
    });
  }

  sync(mocks: CompiledMock[]): void {
    const wanted = new Map<number, string>();
    for (const m of mocks) if (m.mock.port !== null) wanted.set(m.mock.port, m.mock.name);
    for (const [port, entry] of this.servers)
      if (wanted.get(port) !== entry.name) {
        entry.server.close();
        entry.server.closeAllConnections();
        this.servers.delete(port);
      }
    for (const [port, name] of wanted) {
      if (this.servers.has(port)) continue;
      const server = http.createServer(this.traffic.handleFor(name));
      server.keepAliveTimeout = 65_000;
      server.on('error', (e) => this.log.error({ err: e, port, mock: name }, 'mock port not served'));
      server.listen(port, this.host, () =>
        this.log.info({ port, mock: name }, 'mock served on its own port'),
      );
      this.servers.set(port, { name, server });
    }
  }

  listening(): { port: number; mock: string }[] {
    return [...this.servers].map(([port, e]) => ({ port, mock: e.name }));
  }

  async close(): Promise<void> {
    await Promise.all(
      [...this.servers.values()].map(
        ({ server }) =>
          new Promise<void>((resolve) => {
            server.close(() => resolve());
            server.closeAllConnections();
          }),
      ),
    );
    this.servers.clear();
  }
}
