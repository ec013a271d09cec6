import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import type { MockRequestLog } from '@verdict/contracts';
import type { MockCatalog } from './catalog';
import type { CompiledMock, CompiledResponse } from './engine/compile';
import type { MockRequest } from './engine/template';
import type { MockJournal } from './journal';

/** Requests carrying it are journaled and verified apart: one execution's calls, not another's. */
export const EXECUTION_HEADER = 'x-verdict-execution';
export const MOCKS_PREFIX = '/mocks/';
const MAX_BODY = 5 * 1024 * 1024;
/** Longest body text kept in the journal per request and response. */
const JOURNAL_BODY = 64 * 1024;

class TrafficRequest implements MockRequest {
  private parsed?: unknown;
  private parsedDone = false;
  private search?: URLSearchParams;
  params: Record<string, string> = {};

  constructor(
    readonly method: string,
    readonly path: string,
    readonly url: string,
    private readonly rawQuery: string,
    readonly headers: Record<string, string | string[] | undefined>,
    readonly bodyText: string,
  ) {}

  get query(): URLSearchParams {
    return (this.search ??= new URLSearchParams(this.rawQuery));
  }

  json(): unknown {
    if (!this.parsedDone) {
      this.parsedDone = true;
      try {
        this.parsed = this.bodyText ? JSON.parse(this.bodyText) : undefined;
      } catch {
        this.parsed = undefined;
      }
    }
    return this.parsed;
  }
}

function flatHeaders(h: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k in h) {
    const v = h[k];
    if (v !== undefined) out[k] = Array.isArray(v) ? v.join(', ') : v;
  }
  return out;
}

const clip = (s: string) => (s.length > JOURNAL_BODY ? s.slice(0, JOURNAL_BODY) : s);

/**
 * Serves mock traffic: /mocks/<name>/<path> (or any path on a mock's own port). The first
 * condition that holds by priority answers, else the active response set's answer, else the
 * route's default, else a 404 naming the closest routes. Every request is journaled after its
 * answer is sent.
 */
export class TrafficHandler {
  constructor(
    private readonly catalog: MockCatalog,
    private readonly journal: MockJournal,
  ) {}

  /** For the shared port: the mock is named by the first path segment after /mocks/. */
  handle = (req: IncomingMessage, res: ServerResponse): void => {
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const pathname = q < 0 ? url : url.slice(0, q);
    const slash = pathname.indexOf('/', MOCKS_PREFIX.length);
    const name = decodeURIComponentSafe(pathname.slice(MOCKS_PREFIX.length, slash < 0 ? undefined : slash));
    const mock = this.catalog.get(name);
    if (!mock) {
      req.resume();
      return problem(res, 404, 'Not Found', `no mock named "${name}"; list them with GET /api/v1/mocks`);
    }
    this.serve(mock, req, res, slash < 0 ? '/' : pathname.slice(slash), q < 0 ? '' : url.slice(q + 1));
  };

  /** For a mock's own port: every path is the mock's. */
  handleFor(name: string) {
    return (req: IncomingMessage, res: ServerResponse): void => {
      const mock = this.catalog.get(name);
      if (!mock) {
        req.resume();
        return problem(res, 404, 'Not Found', `the mock "${name}" is gone`);
      }
      const url = req.url ?? '/';
      const q = url.indexOf('?');
      this.serve(mock, req, res, q < 0 ? url : url.slice(0, q), q < 0 ? '' : url.slice(q + 1));
    };
  }

  private serve(
    mock: CompiledMock,
    req: IncomingMessage,
    res: ServerResponse,
    path: string,
    rawQuery: string,
  ): void {
    const started = performance.now();
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => {
      const bodyText =
        chunks.length === 0
          ? ''
          : chunks.length === 1
            ? chunks[0].toString()
            : Buffer.concat(chunks).toString();
      const request = new TrafficRequest(
        req.method ?? 'GET',
        path,
        req.url ?? '/',
        rawQuery,
        req.headers,
        bodyText,
      );
      this.answer(mock, request, req, res, started);
    });
  }

  private answer(
    mock: CompiledMock,
    request: TrafficRequest,
    req: IncomingMessage,
    res: ServerResponse,
    started: number,
  ): void {
    const m = mock.mock;
    const requestId = randomUUID();
    // Only what changes is taken now; the entry is built when the journal writes its batch,
    // off the request path (headers flattened, query parsed, bodies decoded).
    const journal = (
      status: number,
      headers: Record<string, string>,
      body: Buffer | string,
      route: string | null,
      matched: MockRequestLog['matched'],
    ) => {
      const at = Date.now();
      const responseTimeMs = Math.round((performance.now() - started) * 1000) / 1000;
      const clientIp = req.socket.remoteAddress ?? null;
      const scenario = m.activeResponseSet;
      // The headers object, not the request: a waiting entry must not keep the socket's objects alive.
      const requestHeaders = req.headers;
      this.journal.record(() => {
        const executionId = requestHeaders[EXECUTION_HEADER];
        const text = typeof body === 'string' ? body : body.toString();
        return {
          id: '',
          requestId,
          mockId: m.id,
          mockName: m.name,
          timestamp: new Date(at).toISOString(),
          method: request.method,
          path: request.path,
          query: Object.fromEntries(request.query),
          headers: flatHeaders(requestHeaders),
          requestBody: request.bodyText ? clip(request.bodyText) : null,
          responseStatus: status,
          responseHeaders: headers,
          responseBody: text ? clip(text) : null,
          responseTimeMs,
          clientIp,
          userAgent: (requestHeaders['user-agent'] as string | undefined) ?? null,
          scenario,
          executionId: typeof executionId === 'string' ? executionId : null,
          route,
          matched,
        };
      });
    };
    if (m.status !== 'ACTIVE') {
      const detail = `the mock "${m.name}" is ${m.status}; start it with PATCH /api/v1/mocks/${m.id} {"status":"ACTIVE"}`;
      problem(res, 503, 'Service Unavailable', detail, requestId);
      return journal(503, {}, detail, null, 'none');
    }
    const hit = mock.match(request.method, request.path);
    if (!hit) {
      const closest = mock.closest(request.method, request.path);
      const body = JSON.stringify({
        type: 'about:blank',
        title: 'Not Found',
        status: 404,
        detail: `no route of mock "${m.name}" matches ${request.method} ${request.path}`,
        closestRoutes: closest,
      });
      res.writeHead(404, { 'content-type': 'application/problem+json', 'x-verdict-request-id': requestId });
      res.end(body);
      return journal(404, { 'content-type': 'application/problem+json' }, body, null, 'none');
    }
    request.params = hit.params;
    const { route } = hit;
    let chosen: CompiledResponse = route.response;
    let matched: MockRequestLog['matched'] = 'default';
    if (route.setResponse) {
      chosen = route.setResponse;
      matched = 'response-set';
    } else {
      for (const c of route.conditions)
        if (c.test(request)) {
          chosen = c.response;
          matched = 'condition';
          break;
        }
    }
    const send = () => {
      const headers: Record<string, string> = chosen.headerTemplates.length
        ? { ...chosen.headers }
        : chosen.headers;
      for (const [name, t] of chosen.headerTemplates) {
        const v = t(request);
        headers[name] = v === undefined || v === null ? '' : String(v);
      }
      const body = chosen.render ? Buffer.from(chosen.render(request)) : chosen.body;
      if (!this.fault(chosen, res, headers, body)) {
        res.setHeader('x-verdict-request-id', requestId);
        res.writeHead(chosen.status, headers);
        res.end(request.method === 'HEAD' ? undefined : body);
      }
      journal(chosen.status, headers, body, route.label, matched);
    };
    const delay = m.responseDelayMs + chosen.delayMs;
    if (delay > 0) setTimeout(send, delay);
    else send();
  }

  /** Sends a fault instead of the answer; true when it did. */
  private fault(
    r: CompiledResponse,
    res: ServerResponse,
    headers: Record<string, string>,
    body: Buffer,
  ): boolean {
    switch (r.fault) {
      case 'CONNECTION_RESET':
        res.socket?.resetAndDestroy();
        return true;
      case 'EMPTY_RESPONSE':
        res.socket?.destroy();
        return true;
      case 'MALFORMED_BODY': {
        const text = body.length
          ? body.subarray(0, Math.max(1, Math.floor(body.length / 2))).toString()
          : '{"';
        res.writeHead(r.status, {
          ...headers,
          'content-type': headers['content-type'] ?? 'application/json',
        });
        res.end(`${text}\u0000<truncated`);
        return true;
      }
      default:
        return false;
    }
  }
}

function decodeURIComponentSafe(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

function problem(
  res: ServerResponse,
  status: number,
  title: string,
  detail: string,
  requestId?: string,
): void {
  res.writeHead(status, {
    'content-type': 'application/problem+json',
    ...(requestId ? { 'x-verdict-request-id': requestId } : {}),
  });
  res.end(JSON.stringify({ type: 'about:blank', title, status, detail }));
}
