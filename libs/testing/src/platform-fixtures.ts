import { randomUUID } from 'node:crypto';
import { ProjectRepository, SuiteRepository, WorkspaceRepository, type SqlExecutor } from '@verdict/db';

/** A workspace with one project and one suite: the rows most repository tests start from. */
export async function seedSuite(db: SqlExecutor, name = 'acme') {
  const workspace = await new WorkspaceRepository(db).create(name, `${name}-${randomUUID().slice(0, 8)}`);
  const project = await new ProjectRepository(db).create({
    workspaceId: workspace.id,
    name: 'Web',
    slug: 'web',
  });
  const suite = await new SuiteRepository(db).create({
    workspaceId: workspace.id,
    projectId: project.id,
    name: 'unit',
    type: 'unit',
    run: {
      source: { type: 'local', path: '.' },
      command: 'npx jest {files}',
      reportFormat: 'junit',
      env: {},
    },
  });
  return { ws: workspace, project, suite };
}
