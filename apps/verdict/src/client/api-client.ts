import type { Page, TestExecution, TestResult, TestSuite } from '@verdict/contracts';

export type ExecutionDetail = TestExecution & {
  shards: { index: number; status: string; node: string | null; files: string[] }[];
};
export type ResultWithTest = TestResult & { test: { name: string; filePath: string } };

/** An answer of the API that is not a success: its problem details, said as a sentence. */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly status: number,
    readonly problem: { title?: string; detail?: string; field?: string },
  ) {
    super(
      `${problem.detail ?? problem.title ?? `HTTP ${status}`}${problem.field ? ` (field: ${problem.field})` : ''}`,
    );
  }
}

/** The verdict CLI's view of a server's HTTP API. */
export class ApiClient {
  constructor(
    readonly baseUrl: string,
    private readonly workspace?: string,
    /** How to point the CLI at the right server, said when it cannot be reached. */
    private readonly hint = 'start it with `npm start`, or give its address with --server or VERDICT_URL',
    /** Session token or API key sent as a bearer token. */
    private readonly token?: string,
  ) {}

  async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    let res: Response;
    try {
      res = await fetch(`${this.baseUrl}/api/v1${path}`, {
        method,
        headers: {
          accept: 'application/json',
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          ...(this.workspace ? { 'x-verdict-workspace': this.workspace } : {}),
          ...(this.token ? { authorization: `Bearer ${this.token}` } : {}),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch (error) {
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      throw new Error(
        `cannot reach Verdict at ${this.baseUrl} (${cause?.code ?? cause?.message ?? (error as Error).message}): ${this.hint}`,
        { cause: error },
      );
    }
    const text = await res.text();
    const json = (res.headers.get('content-type') ?? '').includes('json');
    const parsed = text && json ? (JSON.parse(text) as unknown) : text || null;
    if (res.status === 401 && !this.token && path !== '/auth/login')
      throw new ApiError(401, {
        detail: `${this.baseUrl} wants you signed in: run \`verdict login\` (an API key, or --username), or set VERDICT_API_KEY`,
      });
    if (!res.ok) throw new ApiError(res.status, (parsed ?? {}) as ApiError['problem']);
    return parsed as T;
  }

  /** A suite by id, or by "project-slug/suite-name". */
  async findSuite(ref: string): Promise<TestSuite> {
    if (/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(ref))
      return this.request<TestSuite>('GET', `/suites/${ref}`);
    const m = /^([a-z0-9-]+)\/(.+)$/.exec(ref);
    if (!m) throw new Error(`"${ref}" is not a suite: give its id, or project and name as "web/unit"`);
    const projects = await this.all<{ id: string; slug: string }>('/projects');
    const project = projects.find((p) => p.slug === m[1]);
    if (!project)
      throw new Error(
        `no project "${m[1]}"; projects: ${projects.map((p) => p.slug).join(', ') || 'none yet'}`,
      );
    const suites = await this.all<TestSuite>(`/suites?projectId=${project.id}`);
    const suite = suites.find((s) => s.name === m[2]);
    if (!suite)
      throw new Error(
        `no suite "${m[2]}" in project ${m[1]}; suites: ${suites.map((s) => s.name).join(', ') || 'none yet'}`,
      );
    return suite;
  }

  /** Every item of a list, page by page. */
  async all<T>(path: string): Promise<T[]> {
    const items: T[] = [];
    for (let offset = 0; ;) {
      const sep = path.includes('?') ? '&' : '?';
      const page = await this.request<Page<T>>('GET', `${path}${sep}limit=1000&offset=${offset}`);
      items.push(...page.items);
      offset += page.items.length;
      if (offset >= page.total || page.items.length === 0) return items;
    }
  }
}
