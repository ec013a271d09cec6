import type { Logger } from '@verdict/config';
import type { SqlDatabase } from '@verdict/db';
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
