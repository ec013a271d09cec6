import type { Logger } from '@verdict/config';
import { MockRepository, type SqlDatabase } from '@verdict/db';
import { found } from '@verdict/http';
import type { Mock } from '@verdict/contracts';
import type { DocumentStore } from '@verdict/docstore';
import type { MockCatalog } from '../catalog';
import type { MockEvents } from '../events';
import type { MockJournal } from '../journal';
import type { MockPorts } from '../ports';
import type { ScenarioRunner } from '../scenario-runner';

/** What the admin API works with. */
export interface MockServerContext {
  db: SqlDatabase;
  docstore: DocumentStore;
  catalog: MockCatalog;
  journal: MockJournal;
  events: MockEvents;
  ports: MockPorts;
  runner: ScenarioRunner;
  log: Logger;
}

/** The workspace's mock, or a 404 naming it. */
export const findMock = (
  ctx: Pick<MockServerContext, 'db'>,
  workspaceId: string,
  id: string,
): Promise<Mock> => found('mock', id, new MockRepository(ctx.db).get(workspaceId, id));

/** Answers `value` once the catalog serves what was just saved ("changes answers at once"). */
export async function served<T>(ctx: Pick<MockServerContext, 'catalog'>, value: T): Promise<T> {
  await ctx.catalog.refresh();
  return value;
}
