import { z } from 'zod';
import {
  Id,
  MockEvent,
  Name,
  NotFoundError,
  NotificationDelivery,
  StringMap,
  Timestamp,
} from '@verdict/contracts';
import { DeliveryRepository, MockRepository } from '@verdict/db';
import { idParam, pageOf, PageQuery, removed, route } from '@verdict/http';
import { findMock, type MockServerContext } from './context';

const WebhookBody = z.strictObject({
  name: Name,
  url: z.url({ protocol: /^https?$/ }),
  /** HMAC-SHA256 signing key: X-Verdict-Signature is sha256=HMAC(secret, "<timestamp>.<body>"). */
  secret: z.string().min(16, 'at least 16 characters').max(256),
  headers: StringMap.default({}),
  events: z
    .array(MockEvent)
    .min(1)
    .default(['request.matched', 'scenario.switched', 'scenario.run_finished']),
  isActive: z.boolean().default(true),
});

const Webhook = z.object({
  id: Id,
  mockId: Id,
  name: z.string(),
  url: z.string(),
  headers: StringMap,
  events: z.array(MockEvent),
  isActive: z.boolean(),
  createdAt: Timestamp,
});

/** Webhooks on mock events, delivered by the notifier (signed, retried, every attempt logged). */
export function webhookRoutes(ctx: MockServerContext) {
  const repo = new MockRepository(ctx.db);
  const deliveries = new DeliveryRepository(ctx.db);
  const params = idParam('mockId');
  const hookParams = z.object({ mockId: Id, webhookId: Id });
  const mockOf = (workspaceId: string, id: string) => findMock(ctx, workspaceId, id);
  return [
    route({
      method: 'post',
      path: '/mocks/:mockId/webhooks',
      tag: 'mock webhooks',
      summary:
        'Send signed events of this mock (request.matched, scenario.switched, scenario.run_finished) to a URL; the secret is never shown again',
      params,
      body: WebhookBody,
      response: Webhook,
      status: 201,
      location: (w: z.infer<typeof Webhook>) => `/mocks/${w.mockId}/webhooks/${w.id}`,
      handler: async ({ params, body, ctx: rc }) => {
        await mockOf(rc.workspace.id, params.mockId);
        return repo.createWebhook(rc.workspace.id, params.mockId, body);
      },
    }),
    route({
      method: 'get',
      path: '/mocks/:mockId/webhooks',
      tag: 'mock webhooks',
      summary: "The mock's webhooks",
      params,
      response: z.array(Webhook),
      handler: async ({ params, ctx: rc }) => {
        await mockOf(rc.workspace.id, params.mockId);
        return repo.listWebhooks(params.mockId);
      },
    }),
    route({
      method: 'delete',
      path: '/mocks/:mockId/webhooks/:webhookId',
      tag: 'mock webhooks',
      summary: 'Delete a webhook (its delivery log stays)',
      params: hookParams,
      status: 204,
      handler: async ({ params, ctx: rc }) => {
        await mockOf(rc.workspace.id, params.mockId);
        return removed('webhook', params.webhookId, repo.deleteWebhook(params.mockId, params.webhookId));
      },
    }),
    route({
      method: 'get',
      path: '/mocks/:mockId/webhooks/:webhookId/deliveries',
      tag: 'mock webhooks',
      summary:
        "A webhook's delivery log: status, attempts, last answer; each delivery's attempts at /api/v1/notification-deliveries/{id} of the orchestrator",
      params: hookParams,
      query: PageQuery.extend({ status: z.enum(['pending', 'retrying', 'delivered', 'failed']).optional() }),
      response: pageOf(NotificationDelivery),
      handler: async ({ params, query, ctx: rc }) => {
        await mockOf(rc.workspace.id, params.mockId);
        return deliveries.list(rc.workspace.id, { ruleId: params.webhookId, status: query.status }, query);
      },
    }),
    route({
      method: 'get',
      path: '/mocks/:mockId/webhooks/:webhookId/deliveries/:deliveryId',
      tag: 'mock webhooks',
      summary: 'One delivery with every attempt: answer status and body excerpt, duration, error',
      params: hookParams.extend({ deliveryId: Id }),
      response: NotificationDelivery,
      handler: async ({ params, ctx: rc }) => {
        await mockOf(rc.workspace.id, params.mockId);
        const d = await deliveries.get(rc.workspace.id, params.deliveryId);
        if (!d || d.ruleId !== params.webhookId) throw new NotFoundError('delivery', params.deliveryId);
        return d;
      },
    }),
  ];
}
