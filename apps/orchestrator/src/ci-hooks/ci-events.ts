import { createHmac } from 'node:crypto';
import picomatch from 'picomatch';
import { safeEqual } from '@verdict/auth';
import { SuiteCi, type TestSuite } from '@verdict/contracts';

export type Provider = 'github' | 'gitlab';

/** A CI event as Verdict acts on it, whichever provider sent it. */
export interface CiEvent {
  provider: Provider;
  /** The provider's name for it: push, pull_request, Push Hook, Merge Request Hook… */
  name: string;
  deliveryId: string | null;
  /** What runs suites: null when the event (or its action) is acknowledged and ignored. */
  kind: 'push' | 'pull_request' | null;
  ignoredBecause?: string;
  /** The branch under test (a pull request's source branch). */
  branch?: string;
  /** The branch filters match on: the pushed branch, or a pull request's target. */
  filterBranch?: string;
  commit?: string;
  author?: string;
  number?: number;
  /** The repository's URLs as the event names them, normalized. */
  repositories: string[];
}

type Json = Record<string, unknown>;
const obj = (v: unknown): Json => (v !== null && typeof v === 'object' ? (v as Json) : {});
const str = (v: unknown): string | undefined => (typeof v === 'string' && v ? v : undefined);
const header = (h: Record<string, string | string[] | undefined>, name: string) => {
  const v = h[name];
  return Array.isArray(v) ? v[0] : v;
};

/**
 * A repository URL in one comparable form, "host/owner/name": https and ssh forms, ".git",
 * case and trailing slashes do not matter.
 */
export function normalizeRepository(url: string): string {
  let u = url.trim().toLowerCase();
  const scp = /^(?:ssh:\/\/)?git@([^:/]+)[:/](.+)$/.exec(u);
  if (scp) u = `${scp[1]}/${scp[2]}`;
  else u = u.replace(/^[a-z+]+:\/\//, '').replace(/^[^@/]+@/, '');
  return u.replace(/\.git$/, '').replace(/\/+$/, '');
}

const ZERO_SHA = /^0+$/;

function github(headers: Record<string, string | string[] | undefined>, p: Json): CiEvent {
  const name = header(headers, 'x-github-event') ?? 'unknown';
  const repo = obj(p.repository);
  const repositories = [repo.clone_url, repo.ssh_url, repo.html_url, repo.git_url]
    .map(str)
    .filter((u): u is string => Boolean(u))
    .map(normalizeRepository);
  const base = {
    provider: 'github' as const,
    name,
    deliveryId: header(headers, 'x-github-delivery') ?? null,
    repositories,
  };
  if (name === 'push') {
    const ref = str(p.ref) ?? '';
    if (!ref.startsWith('refs/heads/'))
      return { ...base, kind: null, ignoredBecause: `${ref} is not a branch` };
    const after = str(p.after) ?? '';
    if (p.deleted === true || ZERO_SHA.test(after))
      return { ...base, kind: null, ignoredBecause: 'the branch was deleted' };
    const branch = ref.slice('refs/heads/'.length);
    const head = obj(p.head_commit);
    return {
      ...base,
      kind: 'push',
      branch,
      filterBranch: branch,
      commit: after,
      author: str(obj(head.author).username) ?? str(obj(head.author).name) ?? str(obj(p.pusher).name),
    };
  }
  if (name === 'pull_request') {
    const action = str(p.action) ?? '';
    if (!['opened', 'synchronize', 'reopened'].includes(action))
      return { ...base, kind: null, ignoredBecause: `pull request action "${action}" runs nothing` };
    const pr = obj(p.pull_request);
    return {
      ...base,
      kind: 'pull_request',
      branch: str(obj(pr.head).ref),
      filterBranch: str(obj(pr.base).ref),
      commit: str(obj(pr.head).sha),
      author: str(obj(pr.user).login),
      number: typeof p.number === 'number' ? p.number : (pr.number as number | undefined),
    };
  }
  return { ...base, kind: null, ignoredBecause: `the ${name} event runs nothing` };
}

function gitlab(headers: Record<string, string | string[] | undefined>, p: Json): CiEvent {
  const name = header(headers, 'x-gitlab-event') ?? 'unknown';
  const project = obj(p.project);
  const repository = obj(p.repository);
  const repositories = [
    project.git_http_url,
    project.git_ssh_url,
    project.web_url,
    repository.git_http_url,
    repository.homepage,
  ]
    .map(str)
    .filter((u): u is string => Boolean(u))
    .map(normalizeRepository);
  const deliveryId =
    header(headers, 'x-gitlab-event-uuid') ??
    header(headers, 'x-gitlab-webhook-uuid') ??
    header(headers, 'idempotency-key') ??
    null;
  const base = { provider: 'gitlab' as const, name, deliveryId, repositories };
  if (name === 'Push Hook') {
    const ref = str(p.ref) ?? '';
    const after = str(p.checkout_sha) ?? str(p.after) ?? '';
    if (!ref.startsWith('refs/heads/'))
      return { ...base, kind: null, ignoredBecause: `${ref} is not a branch` };
    if (!after || ZERO_SHA.test(after))
      return { ...base, kind: null, ignoredBecause: 'the branch was deleted' };
    const branch = ref.slice('refs/heads/'.length);
    return {
      ...base,
      kind: 'push',
      branch,
      filterBranch: branch,
      commit: after,
      author: str(p.user_username) ?? str(p.user_name),
    };
  }
  if (name === 'Merge Request Hook') {
    const mr = obj(p.object_attributes);
    const action = str(mr.action) ?? '';
    // "update" without new commits (a title, a label) is not worth a run.
    const pushed = action === 'update' && Boolean(str(mr.oldrev));
    if (!['open', 'reopen'].includes(action) && !pushed)
      return { ...base, kind: null, ignoredBecause: `merge request action "${action}" runs nothing` };
    return {
      ...base,
      kind: 'pull_request',
      branch: str(mr.source_branch),
      filterBranch: str(mr.target_branch),
      commit: str(obj(mr.last_commit).id),
      author: str(obj(p.user).username),
      number: typeof mr.iid === 'number' ? mr.iid : undefined,
    };
  }
  return { ...base, kind: null, ignoredBecause: `the ${name} runs nothing` };
}

export function parseCiEvent(
  provider: Provider,
  headers: Record<string, string | string[] | undefined>,
  payload: unknown,
): CiEvent {
  return provider === 'github' ? github(headers, obj(payload)) : gitlab(headers, obj(payload));
}

/** Whether the delivery carries this secret: GitHub's HMAC-SHA256 of the body, GitLab's token, compared in constant time. */
export function verifyDelivery(
  provider: Provider,
  headers: Record<string, string | string[] | undefined>,
  rawBody: Buffer,
  secret: string,
): boolean {
  if (provider === 'gitlab') {
    const token = header(headers, 'x-gitlab-token');
    return Boolean(token) && safeEqual(token!, secret);
  }
  const signature = header(headers, 'x-hub-signature-256');
  if (!signature?.startsWith('sha256=')) return false;
  const expected = `sha256=${createHmac('sha256', secret).update(rawBody).digest('hex')}`;
  return safeEqual(signature, expected);
}

/** Whether a suite runs for the event: CI on, the event kind chosen, the branch matched by a glob. */
export function suiteWants(suite: Pick<TestSuite, 'isActive' | 'config'>, event: CiEvent): boolean {
  if (!suite.isActive || !event.kind || !event.filterBranch) return false;
  const ci = SuiteCi.parse(suite.config.ci ?? {});
  return ci.enabled && ci.events.includes(event.kind) && picomatch.isMatch(event.filterBranch, ci.branches);
}
