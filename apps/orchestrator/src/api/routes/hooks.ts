import { z } from 'zod';
import type { AccessControl } from '@verdict/auth';
import { Id, Slug, UnauthorizedError, ValidationError, type TestExecution } from '@verdict/contracts';
import { ProjectRepository, SuiteRepository, type SqlDatabase } from '@verdict/db';
import { found, idParam, PUBLIC, route } from '@verdict/http';
import {
  normalizeRepository,
  parseCiEvent,
  suiteWants,
  verifyDelivery,
  type Provider,
} from '../../ci-hooks/ci-events';
import { triggerExecution } from '../../trigger-execution/trigger-execution';

const Started = z.object({
  executionId: Id,
  suite: z.string(),
  project: z.string(),
  workspace: Slug,
});
const HookAnswer = z.object({
  provider: z.enum(['github', 'gitlab']),
  event: z.string(),
  deliveryId: z.string().nullable(),
  duplicate: z.boolean(),
  ignored: z.string().nullable().describe('Why nothing ran, when nothing did'),
  executions: z.array(Started),
});
type HookAnswer = z.infer<typeof HookAnswer>;

/** The project's webhook, as its owners see it: whether a secret is set, and where to point the provider. */
const WebhookView = z.object({
  configured: z.boolean(),
  repositoryUrl: z.string().nullable(),
  urls: z.object({ github: z.string(), gitlab: z.string() }),
});

/**
 * CI webhooks: POST /hooks/github and /hooks/gitlab. A delivery is checked against the secret
 * of each project whose repository URL it names (GitHub: X-Hub-Signature-256, an HMAC of the
 * body; GitLab: X-Gitlab-Token), compared in constant time; no match is a 401 and runs
 * nothing. Each delivery id is acted on once. Pushes, and pull or merge requests opened,
 * reopened or pushed to, run the project's suites whose CI filters match.
 */
export function hookRoutes(db: SqlDatabase, access: AccessControl, publicUrl: string) {
  const projects = new ProjectRepository(db);

  const receive = async (
    provider: Provider,
    request: { headers: Record<string, string | string[] | undefined>; rawBody: Buffer | undefined },
    payload: unknown,
    ip: string | null,
  ): Promise<HookAnswer> => {
    await access.rateLimit('webhook', ip ?? 'unknown', access.limits.hooksPerMinute);
    if (!request.rawBody?.length) throw new ValidationError('the delivery has no JSON body', 'body');
    const event = parseCiEvent(provider, request.headers, payload);
    const named = new Set(event.repositories);
    const verified = (await projects.withWebhooks()).filter(
      (p) =>
        named.has(normalizeRepository(p.repositoryUrl!)) &&
        verifyDelivery(provider, request.headers, request.rawBody!, p.webhookSecret),
    );
    if (!verified.length)
      throw new UnauthorizedError(
        provider === 'github'
          ? "the X-Hub-Signature-256 signature matches no project of this repository: check the webhook secret and the project's repository URL"
          : "the X-Gitlab-Token matches no project of this repository: check the webhook secret and the project's repository URL",
      );
    const answer: HookAnswer = {
      provider,
      event: event.name,
      deliveryId: event.deliveryId,
      duplicate: false,
      ignored: event.kind ? null : (event.ignoredBecause ?? 'nothing to run'),
      executions: [],
    };
    // Claim the delivery id first, so a redelivery racing this one runs nothing twice.
    if (event.deliveryId) {
      const claimed = await db.query(
        `INSERT INTO ci_hook_deliveries (provider, delivery_id, event) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`,
        [provider, event.deliveryId, event.name],
      );
      if (!claimed.rowCount) {
        const { rows } = await db.query<{ outcome: HookAnswer }>(
          'SELECT outcome FROM ci_hook_deliveries WHERE provider = $1 AND delivery_id = $2',
          [provider, event.deliveryId],
        );
        return { ...answer, ...rows[0]?.outcome, duplicate: true };
      }
    }
    if (event.kind) {
      for (const project of verified) {
        const suites = await new SuiteRepository(db).list(
          project.workspaceId,
          { projectId: project.id, isActive: true },
          { limit: 1000, offset: 0 },
        );
        const wanted = suites.items.filter((s) => suiteWants(s, event));
        const { rows } = await db.query<{ slug: string }>('SELECT slug FROM workspaces WHERE id = $1', [
          project.workspaceId,
        ]);
        for (const suite of wanted) {
          const execution: TestExecution = await triggerExecution(db, {
            workspaceId: project.workspaceId,
            suiteId: suite.id,
            trigger: {
              type: 'ci',
              source: provider,
              branch: event.branch,
              commit: event.commit,
              author: event.author,
              pullRequest: event.number,
              metadata: {
                event: event.name,
                deliveryId: event.deliveryId,
                ...(event.kind === 'pull_request' ? { targetBranch: event.filterBranch } : {}),
              },
            },
          });
          answer.executions.push({
            executionId: execution.id,
            suite: suite.name,
            project: project.slug,
            workspace: rows[0].slug,
          });
        }
      }
      if (!answer.executions.length)
        answer.ignored = `no suite of ${verified.map((p) => p.slug).join(', ')} runs on ${event.kind === 'push' ? 'pushes to' : 'pull requests into'} ${event.filterBranch}`;
    }
    if (event.deliveryId)
      await db.query('UPDATE ci_hook_deliveries SET outcome = $3 WHERE provider = $1 AND delivery_id = $2', [
        provider,
        event.deliveryId,
        JSON.stringify(answer),
      ]);
    return answer;
  };

  const hook = (provider: Provider) =>
    route({
      method: 'post',
      path: `/hooks/${provider}`,
      tag: 'hooks',
      summary:
        provider === 'github'
          ? 'GitHub webhook (content type application/json): push and pull_request (opened, synchronize, reopened) run the matching suites; X-Hub-Signature-256 is checked; each X-GitHub-Delivery is acted on once. Rate limited'
          : 'GitLab webhook: Push Hook and Merge Request Hook (open, reopen, update with new commits) run the matching suites; X-Gitlab-Token is checked; each delivery is acted on once. Rate limited',
      access: PUBLIC,
      body: z.unknown(),
      response: HookAnswer,
      status: 202,
      handler: ({ body, request, ctx }) => receive(provider, request, body, ctx.ip),
    });

  const params = idParam('projectId');
  const view = async (workspaceId: string, projectId: string) => {
    const project = await found('project', projectId, projects.get(workspaceId, projectId));
    return {
      configured: await projects.hasWebhookSecret(workspaceId, projectId),
      repositoryUrl: project.repositoryUrl,
      urls: { github: `${publicUrl}/api/v1/hooks/github`, gitlab: `${publicUrl}/api/v1/hooks/gitlab` },
    };
  };
  return [
    hook('github'),
    hook('gitlab'),
    route({
      method: 'put',
      path: '/projects/:projectId/ci-webhook',
      tag: 'hooks',
      summary:
        "Set the project's CI webhook secret (GitHub's webhook secret, GitLab's secret token); never shown again. Deliveries naming the project's repository URL are checked against it",
      params,
      body: z.strictObject({ secret: z.string().min(16, 'at least 16 characters').max(256) }),
      response: WebhookView,
      handler: async ({ params, body, ctx }) => {
        const project = await found(
          'project',
          params.projectId,
          projects.get(ctx.workspace.id, params.projectId),
        );
        if (!project.repositoryUrl)
          throw new ValidationError(
            'give the project its repository URL first (PATCH repositoryUrl): deliveries are matched by it',
            'repositoryUrl',
          );
        await projects.setWebhookSecret(ctx.workspace.id, params.projectId, body.secret);
        return view(ctx.workspace.id, params.projectId);
      },
    }),
    route({
      method: 'get',
      path: '/projects/:projectId/ci-webhook',
      tag: 'hooks',
      summary: 'Whether the project takes CI webhooks, and the URLs to give GitHub or GitLab',
      params,
      response: WebhookView,
      handler: ({ params, ctx }) => view(ctx.workspace.id, params.projectId),
    }),
    route({
      method: 'delete',
      path: '/projects/:projectId/ci-webhook',
      tag: 'hooks',
      summary: 'Stop taking CI webhooks for the project (its secret is forgotten)',
      params,
      status: 204,
      handler: async ({ params, ctx }) => {
        await found('project', params.projectId, projects.get(ctx.workspace.id, params.projectId));
        await projects.setWebhookSecret(ctx.workspace.id, params.projectId, null);
      },
    }),
  ];
}
