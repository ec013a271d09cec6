import { z } from 'zod';
import { Id, Name, PoolSchedule, Schedule, ValidationError } from '@verdict/contracts';
import {
  PoolRepository,
  PoolScheduleRepository,
  ScheduleRepository,
  SuiteRepository,
  type ScheduleFields,
  type SqlDatabase,
} from '@verdict/db';
import {
  found,
  idParam,
  nonEmpty,
  pageOf,
  PageQuery,
  patchOf,
  QueryBool,
  removed,
  route,
} from '@verdict/http';
import { checkTimezone, nextTick, nextTicks } from '../../schedules/cron';

const ScheduleBody = z.strictObject({
  name: Name,
  cron: z
    .string()
    .trim()
    .min(1)
    .max(100)
    .describe('minute hour day month weekday (or seconds first: 6 fields), e.g. "0 3 * * 1-5"'),
  timezone: z.string().min(1).max(64).default('UTC'),
  branch: z.string().min(1).max(255).nullable().default(null),
  isActive: z.boolean().default(true),
});

const HHMM = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a time as HH:MM (24 h)');
const WindowBody = z.strictObject({
  name: Name,
  startTime: HHMM,
  endTime: HHMM,
  timezone: z.string().min(1).max(64).default('UTC'),
  targetWorkers: z.number().int().min(0).max(10_000),
  isActive: z.boolean().default(true),
});

const FLEET = { scope: 'platform', need: 'fleet' } as const;
const FLEET_READ = { scope: 'platform', need: 'read' } as const;

/** The next tick after now of an active schedule (null when paused). */
function nextOf(f: ScheduleFields): Date | null {
  return f.isActive ? nextTick(f.cron, f.timezone) : null;
}

/** Suites' cron schedules, and pools' capacity windows. */
export function scheduleRoutes(db: SqlDatabase) {
  const repo = new ScheduleRepository(db);
  const windows = new PoolScheduleRepository(db);
  const pools = new PoolRepository(db);
  const params = idParam('scheduleId');
  const windowParams = z.object({ poolId: Id, windowId: Id });
  const check = (f: ScheduleFields) => {
    if (f.cron.split(/\s+/).length < 5)
      throw new ValidationError(
        'a cron expression has 5 fields (minute hour day month weekday), or 6 with seconds first',
        'cron',
      );
    nextTick(f.cron, f.timezone);
  };
  return [
    route({
      method: 'post',
      path: '/suites/:suiteId/schedules',
      tag: 'schedules',
      summary:
        'Run the suite on a cron schedule in a time zone (each tick once, by the leading orchestrator)',
      params: idParam('suiteId'),
      body: ScheduleBody,
      response: Schedule,
      status: 201,
      location: (s: Schedule) => `/schedules/${s.id}`,
      handler: async ({ params, body, ctx }) => {
        await found('suite', params.suiteId, new SuiteRepository(db).get(ctx.workspace.id, params.suiteId));
        check(body);
        return repo.create(
          ctx.workspace.id,
          params.suiteId,
          body,
          nextOf(body),
          ctx.principal?.userId ?? null,
        );
      },
    }),
    route({
      method: 'get',
      path: '/schedules',
      tag: 'schedules',
      summary: 'Schedules, by suite and active',
      query: PageQuery.extend({ suiteId: Id.optional(), isActive: QueryBool.optional() }),
      response: pageOf(Schedule),
      handler: ({ query, ctx }) => repo.list(ctx.workspace.id, query, query),
    }),
    route({
      method: 'get',
      path: '/schedules/:scheduleId',
      tag: 'schedules',
      summary: 'Get a schedule (its last and next run)',
      params,
      response: Schedule,
      handler: ({ params, ctx }) =>
        found('schedule', params.scheduleId, repo.get(ctx.workspace.id, params.scheduleId)),
    }),
    route({
      method: 'get',
      path: '/schedules/:scheduleId/next-runs',
      tag: 'schedules',
      summary: 'The next run times of a schedule, in UTC and in its time zone',
      params,
      query: z.object({ count: z.coerce.number().int().min(1).max(100).default(5) }),
      response: z.object({
        timezone: z.string(),
        runs: z.array(z.object({ at: z.string(), local: z.string() })),
      }),
      handler: async ({ params, query, ctx }) => {
        const s = await found('schedule', params.scheduleId, repo.get(ctx.workspace.id, params.scheduleId));
        const local = new Intl.DateTimeFormat('sv-SE', {
          timeZone: s.timezone,
          dateStyle: 'short',
          timeStyle: 'medium',
        });
        return {
          timezone: s.timezone,
          runs: nextTicks(s.cron, s.timezone, query.count).map((d) => ({
            at: d.toISOString(),
            local: local.format(d),
          })),
        };
      },
    }),
    route({
      method: 'patch',
      path: '/schedules/:scheduleId',
      tag: 'schedules',
      summary: 'Change a schedule: its cron, time zone, branch, name, or pause it (isActive)',
      params,
      body: nonEmpty(patchOf(ScheduleBody)),
      response: Schedule,
      handler: async ({ params, body, ctx }) => {
        const current = await found(
          'schedule',
          params.scheduleId,
          repo.get(ctx.workspace.id, params.scheduleId),
        );
        const next = { ...current, ...body } as ScheduleFields;
        check(next);
        return (await repo.replace(ctx.workspace.id, params.scheduleId, next, nextOf(next)))!;
      },
    }),
    route({
      method: 'delete',
      path: '/schedules/:scheduleId',
      tag: 'schedules',
      summary: 'Delete a schedule',
      params,
      status: 204,
      handler: ({ params, ctx }) =>
        removed('schedule', params.scheduleId, repo.delete(ctx.workspace.id, params.scheduleId)),
    }),

    // ---- pools' capacity windows
    route({
      method: 'post',
      path: '/pools/:poolId/schedules',
      access: FLEET,
      tag: 'schedules',
      summary:
        "A daily HH:MM window in a time zone when the pool wants at least targetWorkers (the autoscaler's route counts it); a window ending before it starts spans midnight",
      params: idParam('poolId'),
      body: WindowBody,
      response: PoolSchedule,
      status: 201,
      handler: async ({ params, body }) => {
        await found('pool', params.poolId, pools.get(params.poolId));
        checkTimezone(body.timezone);
        return windows.create(params.poolId, body);
      },
    }),
    route({
      method: 'get',
      path: '/pools/:poolId/schedules',
      access: FLEET_READ,
      tag: 'schedules',
      summary: "A pool's capacity windows",
      params: idParam('poolId'),
      response: z.array(PoolSchedule),
      handler: async ({ params }) => {
        await found('pool', params.poolId, pools.get(params.poolId));
        return windows.list(params.poolId);
      },
    }),
    route({
      method: 'put',
      path: '/pools/:poolId/schedules/:windowId',
      access: FLEET,
      tag: 'schedules',
      summary: 'Replace a capacity window',
      params: windowParams,
      body: WindowBody,
      response: PoolSchedule,
      handler: async ({ params, body }) => {
        checkTimezone(body.timezone);
        return found('pool schedule', params.windowId, windows.replace(params.poolId, params.windowId, body));
      },
    }),
    route({
      method: 'delete',
      path: '/pools/:poolId/schedules/:windowId',
      access: FLEET,
      tag: 'schedules',
      summary: 'Delete a capacity window',
      params: windowParams,
      status: 204,
      handler: ({ params }) =>
        removed('pool schedule', params.windowId, windows.delete(params.poolId, params.windowId)),
    }),
  ];
}
