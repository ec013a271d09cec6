import type { Logger } from '@verdict/config';
import {
  ConflictError,
  type ActionOutcome,
  type HttpExpectation,
  type Scenario,
  type ScenarioAction,
  type ScenarioResult,
} from '@verdict/contracts';
import { MockRepository, ScenarioRepository, type SqlDatabase } from '@verdict/db';
import type { MockCatalog } from './catalog';
import type { MockEvents } from './events';
import { EXECUTION_HEADER } from './traffic';

const BODY_KEPT = 4000;

/** Whether `actual` holds everything `expected` does: objects in part, arrays and scalars whole. */
export function jsonContains(actual: unknown, expected: unknown): boolean {
  if (expected !== null && typeof expected === 'object' && !Array.isArray(expected)) {
    if (actual === null || typeof actual !== 'object' || Array.isArray(actual)) return false;
    return Object.entries(expected as Record<string, unknown>).every(([k, v]) =>
      jsonContains((actual as Record<string, unknown>)[k], v),
    );
  }
  return JSON.stringify(actual) === JSON.stringify(expected);
}

function checkExpectation(
  expect: HttpExpectation,
  res: { status: number; headers: Record<string, string>; body: string },
): string | null {
  const problems: string[] = [];
  if (expect.status !== undefined && res.status !== expect.status)
    problems.push(`status ${res.status}, expected ${expect.status}`);
  for (const [name, value] of Object.entries(expect.headers ?? {})) {
    const got = res.headers[name.toLowerCase()];
    if (got !== value)
      problems.push(`header ${name} is ${got === undefined ? 'missing' : `"${got}"`}, expected "${value}"`);
  }
  if (expect.bodyContains !== undefined && !res.body.includes(expect.bodyContains))
    problems.push(`the body does not contain "${expect.bodyContains}"`);
  if (expect.body !== undefined) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(res.body);
    } catch {
      problems.push('the body is not JSON');
    }
    if (parsed !== undefined && !jsonContains(parsed, expect.body))
      problems.push(
        `the body ${res.body.slice(0, 300)} does not match ${JSON.stringify(expect.body).slice(0, 300)}`,
      );
  }
  return problems.length ? problems.join('; ') : null;
}

const labelOf = (a: ScenarioAction): string => {
  switch (a.type) {
    case 'START_MOCK':
    case 'STOP_MOCK':
      return `${a.type} ${a.mock}`;
    case 'SET_DELAY':
      return `SET_DELAY ${a.mock} ${a.delayMs} ms`;
    case 'WAIT':
      return `WAIT ${a.ms} ms`;
    case 'HTTP_REQUEST':
      return a.name ?? `${a.method} ${a.url ?? `${a.mock}${a.path}`}`;
  }
};

/**
 * Runs an ordered action scenario: each action in turn, each outcome recorded. An action that
 * cannot be carried out (no such mock) ends the run; the actions after it are skipped. An HTTP
 * expectation that fails is recorded and the run goes on. The run ends SUCCESS when every action
 * passed, PARTIAL when some passed and some failed, FAILED when none passed or one could not run.
 */
export class ScenarioRunner {
  constructor(
    private readonly deps: { db: SqlDatabase; catalog: MockCatalog; events: MockEvents; log: Logger },
    /** Where this server's mocks answer: http://host:port */
    private readonly trafficUrl: () => string,
  ) {}

  async run(scenario: Scenario, opts: { executionId?: string | null } = {}): Promise<ScenarioResult> {
    const scenarios = new ScenarioRepository(this.deps.db);
    if (!(await scenarios.start(scenario.id)))
      throw new ConflictError(`the scenario "${scenario.name}" is running already; wait for its result`, {
        field: 'scenarioId',
      });
    const started = Date.now();
    const executedAt = new Date();
    const results: ActionOutcome[] = [];
    let errorMessage: string | null = null;
    const touched = new Map<string, { id: string; name: string }>();
    try {
      for (const [i, action] of scenario.actions.entries()) {
        const order = i + 1;
        const name = labelOf(action);
        if (errorMessage) {
          results.push({
            order,
            type: action.type,
            name,
            status: 'skipped',
            durationMs: 0,
            error: null,
            response: null,
          });
          continue;
        }
        const t0 = performance.now();
        try {
          const outcome = await this.perform(scenario.workspaceId, action, opts.executionId ?? null, touched);
          results.push({
            order,
            type: action.type,
            name,
            status: outcome.error ? 'failed' : 'passed',
            durationMs: Math.round(performance.now() - t0),
            error: outcome.error,
            response: outcome.response,
          });
        } catch (error) {
          errorMessage = `action ${order} (${name}) could not run: ${(error as Error).message}`;
          results.push({
            order,
            type: action.type,
            name,
            status: 'failed',
            durationMs: Math.round(performance.now() - t0),
            error: (error as Error).message,
            response: null,
          });
        }
      }
    } finally {
      await this.deps.catalog.refresh().catch(() => undefined);
    }
    const passed = results.filter((r) => r.status === 'passed').length;
    const failed = results.filter((r) => r.status === 'failed').length;
    const status = failed === 0 ? 'SUCCESS' : errorMessage || passed === 0 ? 'FAILED' : 'PARTIAL';
    if (!errorMessage && failed) errorMessage = `${failed} of ${results.length} actions failed`;
    const result = await scenarios.finish(scenario.id, {
      status,
      results,
      durationMs: Date.now() - started,
      errorMessage,
      executionId: opts.executionId ?? null,
      executedAt,
    });
    for (const mock of touched.values())
      await this.deps.events
        .emit(mock, 'scenario.run_finished', {
          scenario: { id: scenario.id, name: scenario.name },
          status,
          durationMs: result.durationMs,
          error: errorMessage,
        })
        .catch((error) => this.deps.log.warn({ err: error }, 'scenario event not planned'));
    return result;
  }

  private async perform(
    workspaceId: string,
    a: ScenarioAction,
    executionId: string | null,
    touched: Map<string, { id: string; name: string }>,
  ): Promise<{ error: string | null; response: ActionOutcome['response'] }> {
    const repo = new MockRepository(this.deps.db);
    const mockNamed = async (name: string) => {
      const mock = await repo.getByName(workspaceId, name);
      if (!mock) throw new Error(`no mock named "${name}" in this workspace`);
      touched.set(mock.id, { id: mock.id, name: mock.name });
      return mock;
    };
    switch (a.type) {
      case 'START_MOCK':
      case 'STOP_MOCK': {
        const mock = await mockNamed(a.mock);
        await repo.update(workspaceId, mock.id, { status: a.type === 'START_MOCK' ? 'ACTIVE' : 'INACTIVE' });
        await this.deps.catalog.refresh();
        return { error: null, response: null };
      }
      case 'SET_DELAY': {
        const mock = await mockNamed(a.mock);
        await repo.update(workspaceId, mock.id, { responseDelayMs: a.delayMs });
        await this.deps.catalog.refresh();
        return { error: null, response: null };
      }
      case 'WAIT':
        await new Promise((r) => setTimeout(r, a.ms));
        return { error: null, response: null };
      case 'HTTP_REQUEST': {
        let url = a.url!;
        if (a.mock) {
          const mock = await mockNamed(a.mock);
          url = `${this.trafficUrl()}${mock.basePath}${a.path}`;
        }
        const isJson = a.body !== undefined && typeof a.body !== 'string';
        const headers: Record<string, string> = {
          ...(isJson ? { 'content-type': 'application/json' } : {}),
          ...(executionId ? { [EXECUTION_HEADER]: executionId } : {}),
          ...a.headers,
        };
        let res: Response;
        try {
          res = await fetch(url, {
            method: a.method,
            headers,
            body: a.body === undefined ? undefined : isJson ? JSON.stringify(a.body) : String(a.body),
            signal: AbortSignal.timeout(a.timeoutMs),
          });
        } catch (error) {
          const e = error as Error & { cause?: { code?: string; message?: string } };
          const why =
            e.name === 'TimeoutError'
              ? `no answer in ${a.timeoutMs} ms`
              : (e.cause?.code ?? e.cause?.message ?? e.message);
          // The request went out and got no answer: that is the outcome under test, not a broken action.
          return { error: `${a.method} ${url}: ${why}`, response: null };
        }
        const body = await res.text().catch(() => '');
        const response = {
          status: res.status,
          headers: Object.fromEntries(res.headers),
          body: body.length > BODY_KEPT ? `${body.slice(0, BODY_KEPT)}…` : body,
        };
        return { error: checkExpectation(a.expect, { ...response, body }), response };
      }
    }
  }
}
