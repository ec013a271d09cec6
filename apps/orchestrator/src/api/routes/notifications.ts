import { z } from 'zod';
import {
  ConflictError,
  DeliveryStatus,
  Id,
  Name,
  NotificationDelivery,
  NotificationRule,
  NotificationTarget,
  SendWhen,
  ValidationError,
} from '@verdict/contracts';
import {
  DeliveryRepository,
  NotificationRuleRepository,
  ProjectRepository,
  SuiteRepository,
  type SqlDatabase,
} from '@verdict/db';
import { pageOf, route, RUN } from '@verdict/http';
import { found, idParam, nonEmpty, PageQuery, removed } from '@verdict/http';

const MASK = '********';
/** A rule as the API shows it: where it sends, never the secrets that let anyone else send there. */
function masked(rule: NotificationRule): NotificationRule {
  const t = rule.target;
  /** Where it goes, without what makes it a secret (a Slack URL's path, a query string's tokens). */
  const hide = (raw: string, keepPath: boolean) => {
    const url = new URL(raw);
    return keepPath ? `${url.origin}${url.pathname}${url.search ? `?${MASK}` : ''}` : `${url.origin}/${MASK}`;
  };
  const target: NotificationTarget =
    t.channel === 'slack'
      ? { ...t, webhookUrl: hide(t.webhookUrl, false) }
      : t.channel === 'webhook'
        ? {
            ...t,
            url: hide(t.url, true),
            secret: MASK,
            headers: Object.fromEntries(Object.keys(t.headers).map((k) => [k, MASK])),
          }
        : t;
  return { ...rule, target };
}

const RuleBody = z.strictObject({
  name: Name,
  projectId: Id.nullable().default(null),
  suiteId: Id.nullable().default(null),
  target: NotificationTarget,
  when: SendWhen.default('failure'),
  isActive: z.boolean().default(true),
});

export function notificationRoutes(db: SqlDatabase) {
  const rules = new NotificationRuleRepository(db);
  const deliveries = new DeliveryRepository(db);
  /** The project and suite a rule names exist in the workspace, and the suite is the project's. */
  const checkScope = async (workspaceId: string, projectId: string | null, suiteId: string | null) => {
    if (projectId) await found('project', projectId, new ProjectRepository(db).get(workspaceId, projectId));
    if (suiteId) {
      const suite = await found('suite', suiteId, new SuiteRepository(db).get(workspaceId, suiteId));
      if (projectId && suite.projectId !== projectId)
        throw new ValidationError(`suite ${suiteId} is not in project ${projectId}`, 'suiteId');
    }
  };
  const ruleParams = idParam('ruleId');
  const deliveryParams = idParam('deliveryId');
  return [
    route({
      method: 'post',
      path: '/notification-rules',
      tag: 'notifications',
      summary:
        'Notify a Slack webhook, email recipients or a signed webhook, for a suite, a project or the workspace, always, on failure or on a change of status',
      body: RuleBody,
      response: NotificationRule,
      status: 201,
      location: (r: NotificationRule) => `/notification-rules/${r.id}`,
      handler: async ({ body, ctx }) => {
        await checkScope(ctx.workspace.id, body.projectId, body.suiteId);
        return masked(await rules.create(ctx.workspace.id, body));
      },
    }),
    route({
      method: 'get',
      path: '/notification-rules',
      tag: 'notifications',
      summary: 'Notification rules (secrets masked)',
      query: PageQuery.extend({
        projectId: Id.optional(),
        suiteId: Id.optional(),
        channel: z.enum(['slack', 'email', 'webhook']).optional(),
      }),
      response: pageOf(NotificationRule),
      handler: async ({ query, ctx }) => {
        const page = await rules.list(ctx.workspace.id, query, query);
        return { ...page, items: page.items.map(masked) };
      },
    }),
    route({
      method: 'get',
      path: '/notification-rules/:ruleId',
      tag: 'notifications',
      summary: 'A notification rule (secrets masked)',
      params: ruleParams,
      response: NotificationRule,
      handler: async ({ params, ctx }) =>
        masked(await found('notification rule', params.ruleId, rules.get(ctx.workspace.id, params.ruleId))),
    }),
    route({
      method: 'patch',
      path: '/notification-rules/:ruleId',
      tag: 'notifications',
      summary: 'Change a rule; a target given replaces the stored one whole (secrets included)',
      params: ruleParams,
      body: nonEmpty(
        z.strictObject({
          name: Name.optional(),
          projectId: Id.nullable().optional(),
          suiteId: Id.nullable().optional(),
          target: NotificationTarget.optional(),
          when: SendWhen.optional(),
          isActive: z.boolean().optional(),
        }),
      ),
      response: NotificationRule,
      handler: async ({ params, body, ctx }) => {
        const current = await found(
          'notification rule',
          params.ruleId,
          rules.get(ctx.workspace.id, params.ruleId),
        );
        const { id: _i, workspaceId: _w, createdAt: _c, updatedAt: _u, ...fields } = current;
        const next = {
          ...fields,
          ...Object.fromEntries(Object.entries(body).filter(([, v]) => v !== undefined)),
        } as typeof fields;
        await checkScope(ctx.workspace.id, next.projectId, next.suiteId);
        return masked((await rules.replace(ctx.workspace.id, params.ruleId, next))!);
      },
    }),
    route({
      method: 'delete',
      path: '/notification-rules/:ruleId',
      tag: 'notifications',
      summary: 'Delete a rule (its deliveries stay, with their attempts)',
      params: ruleParams,
      status: 204,
      handler: ({ params, ctx }) =>
        removed('notification rule', params.ruleId, rules.delete(ctx.workspace.id, params.ruleId)),
    }),
    route({
      method: 'get',
      path: '/notification-deliveries',
      tag: 'notifications',
      summary: 'Deliveries, newest first, by status, execution, rule and channel',
      query: PageQuery.extend({
        status: DeliveryStatus.optional(),
        executionId: Id.optional(),
        ruleId: Id.optional(),
        channel: z.enum(['slack', 'email', 'webhook']).optional(),
      }),
      response: pageOf(NotificationDelivery),
      handler: ({ query, ctx }) => deliveries.list(ctx.workspace.id, query, query),
    }),
    route({
      method: 'get',
      path: '/notification-deliveries/:deliveryId',
      tag: 'notifications',
      summary: 'A delivery with every attempt: status code, response excerpt, duration, error',
      params: deliveryParams,
      response: NotificationDelivery,
      handler: ({ params, ctx }) =>
        found(
          'notification delivery',
          params.deliveryId,
          deliveries.get(ctx.workspace.id, params.deliveryId),
        ),
    }),
    route({
      method: 'post',
      path: '/notification-deliveries/:deliveryId/retry',
      access: RUN,
      tag: 'notifications',
      summary: 'Try a failed delivery once more, now',
      params: deliveryParams,
      response: NotificationDelivery,
      status: 202,
      handler: async ({ params, ctx }) => {
        const d = await found(
          'notification delivery',
          params.deliveryId,
          deliveries.get(ctx.workspace.id, params.deliveryId),
        );
        const again = await deliveries.retry(ctx.workspace.id, d.id);
        if (!again)
          throw new ConflictError(`delivery ${d.id} is ${d.status}: only a failed delivery is retried`, {
            field: 'status',
          });
        return again;
      },
    }),
  ];
}
