import { randomUUID } from 'node:crypto';
import bcrypt from 'bcryptjs';
import { newEnvelope } from '@verdict/contracts';
import { seedSuite } from '../platform-fixtures';
import {
  ExecutionRepository,
  MigrationError,
  Migrator,
  OutboxRepository,
  readMigrations,
  ResultRepository,
  seed,
  TestCaseRepository,
  type NewResult,
  type SqlDatabase,
} from '@verdict/db';

export interface DatabaseUnderTest {
  db: SqlDatabase;
  /** Another connection to the same database (a second process), where the adapter allows one. */
  second?: () => Promise<SqlDatabase>;
  cleanup: () => Promise<void>;
}

const tables = async (db: SqlDatabase) =>
  (
    await db.query<{ t: string }>(
      `SELECT tablename AS t FROM pg_tables WHERE schemaname = 'public' ORDER BY 1`,
    )
  ).rows.map((r) => r.t);

const platform = (db: SqlDatabase) => seedSuite(db);

const execConfig = { parallel: true, workers: 2, timeout: 60_000, retries: 0, dryRun: false, debug: false };

/** The contract both SQL adapters pass: the same migrations, seed and repositories. */
export function databaseContract(adapter: string, create: () => Promise<DatabaseUnderTest>): void {
  describe(`SQL database contract: ${adapter}`, () => {
    let t: DatabaseUnderTest;
    beforeEach(async () => {
      t = await create();
    });
    afterEach(async () => {
      await t.cleanup();
    });

    describe('migrations', () => {
      it('applies every migration in order, records checksums, and is a no-op the second time', async () => {
        const migrator = new Migrator(t.db);
        const applied = await migrator.migrate();
        const files = readMigrations();
        expect(applied.map((m) => m.version)).toEqual(files.map((m) => m.version));
        expect(await migrator.migrate()).toEqual([]);
        const status = await migrator.status();
        expect(status.every((s) => s.applied && s.checksumMatches)).toBe(true);
        const rows = (
          await t.db.query<{ checksum: string }>('SELECT checksum FROM schema_migrations ORDER BY version')
        ).rows;
        expect(rows.map((r) => r.checksum)).toEqual(files.map((f) => f.checksum));
        expect(await tables(t.db)).toEqual(
          expect.arrayContaining([
            'users',
            'workspaces',
            'roles',
            'workspace_memberships',
            'api_keys',
            'audit_logs',
            'system_config',
            'projects',
            'test_suites',
            'test_cases',
            'test_executions',
            'test_results',
            'test_artifacts',
            'test_environments',
            'test_data_sets',
            'nodes',
            'pools',
            'node_heartbeats',
            'node_lifecycle_logs',
            'node_configurations',
            'schedules',
            'pool_schedules',
            'outbox',
            'doc_test_logs',
            'doc_test_reports',
            'metric_points',
          ]),
        );
      });

      it('rolls back the last one, or down to a version, and migrates up again', async () => {
        const migrator = new Migrator(t.db);
        await migrator.migrate();
        const last = readMigrations().at(-1)!;
        expect((await migrator.rollback()).map((m) => m.version)).toEqual([last.version]);
        expect((await migrator.status()).find((s) => s.version === last.version)?.applied).toBe(false);
        const reverted = await migrator.rollback({ to: 0 });
        expect(reverted.map((m) => m.version)).toEqual(
          readMigrations()
            .slice(0, -1)
            .map((m) => m.version)
            .reverse(),
        );
        expect(await tables(t.db)).toEqual(['schema_migrations']);
        expect((await migrator.migrate()).length).toBe(readMigrations().length);
      });

      it('migrates up to a chosen version only', async () => {
        const migrator = new Migrator(t.db);
        await migrator.migrate({ to: 1 });
        expect((await migrator.status()).filter((s) => s.applied).map((s) => s.version)).toEqual([1]);
      });

      it('refuses a migration edited after it was applied, naming it', async () => {
        await new Migrator(t.db).migrate();
        const edited = readMigrations().map((m) =>
          m.version === 2 ? { ...m, up: m.up + '\n-- edited', checksum: 'f'.repeat(64) } : m,
        );
        const migrator = new Migrator(t.db, edited);
        await expect(migrator.migrate()).rejects.toThrow(MigrationError);
        await expect(migrator.migrate()).rejects.toThrow(
          /0002_test_platform was edited after it was applied/,
        );
        await expect(migrator.rollback()).rejects.toThrow(/was edited/);
      });

      it('rolls back a failing migration whole and reports it', async () => {
        const bad = [
          ...readMigrations(),
          {
            version: 99,
            name: 'broken',
            up: 'CREATE TABLE half_done (id int); SELECT no_such_fn();',
            down: 'DROP TABLE half_done;',
            checksum: 'a'.repeat(64),
          },
        ];
        await expect(new Migrator(t.db, bad).migrate()).rejects.toThrow(/Failed applying 0099_broken/);
        expect(await tables(t.db)).not.toContain('half_done');
        expect((await new Migrator(t.db).status()).every((s) => s.applied)).toBe(true);
      });

      it('lets two migrators run at once without colliding (advisory lock)', async () => {
        const other = t.second ? await t.second() : t.db;
        const results = await Promise.all([new Migrator(t.db).migrate(), new Migrator(other).migrate()]);
        expect(results[0].length + results[1].length).toBe(readMigrations().length);
        const { rows } = await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM schema_migrations');
        expect(Number(rows[0].n)).toBe(readMigrations().length);
        if (other !== t.db) await other.close();
      });

      it('reset drops everything and migrates again', async () => {
        const migrator = new Migrator(t.db);
        await migrator.migrate();
        await t.db.query(`INSERT INTO system_config (key, value) VALUES ('x', '1')`);
        await migrator.reset();
        expect((await t.db.query('SELECT * FROM system_config')).rows).toEqual([]);
        expect((await migrator.status()).every((s) => s.applied)).toBe(true);
      });
    });

    describe('seed', () => {
      beforeEach(async () => {
        await new Migrator(t.db).migrate();
      });

      it('creates roles, settings, an admin with a hashed password and a default workspace it owns', async () => {
        const out = await seed(t.db, { admin: { username: 'admin', email: 'admin@example.com' } });
        expect(out.generatedAdminPassword).toMatch(/^[\w-]{16}$/);
        expect(out.created).toEqual(
          expect.arrayContaining([
            'role ADMIN',
            'role OWNER',
            'user admin',
            'workspace default',
            'pool default',
          ]),
        );
        const { rows } = await t.db.query<{ password_hash: string; role: string }>(
          `SELECT u.password_hash, r.name AS role FROM users u JOIN roles r ON r.id = u.role_id WHERE username = 'admin'`,
        );
        expect(rows[0].role).toBe('ADMIN');
        expect(rows[0].password_hash).not.toContain(out.generatedAdminPassword);
        expect(await bcrypt.compare(out.generatedAdminPassword!, rows[0].password_hash)).toBe(true);
        const owner = await t.db.query<{ role: string; member_count: number }>(
          `SELECT r.name AS role, w.member_count FROM workspace_memberships m JOIN roles r ON r.id = m.role_id
           JOIN workspaces w ON w.id = m.workspace_id WHERE w.slug = 'default'`,
        );
        expect(owner.rows).toEqual([{ role: 'OWNER', member_count: 1 }]);
      });

      it('is idempotent: a second run creates nothing and changes nothing', async () => {
        await seed(t.db, {
          admin: { username: 'admin', email: 'admin@example.com', password: 'first-password-123' },
        });
        await t.db.query(`UPDATE users SET full_name = 'Ada Admin' WHERE username = 'admin'`);
        const snapshot = async () =>
          Promise.all(
            ['roles', 'users', 'workspaces', 'workspace_memberships', 'system_config'].map(
              async (tbl) => (await t.db.query(`SELECT * FROM ${tbl} ORDER BY 1`)).rows,
            ),
          );
        const before = await snapshot();
        const again = await seed(t.db, {
          admin: { username: 'admin', email: 'admin@example.com', password: 'other-password-456' },
        });
        expect(again).toEqual({ created: [], generatedAdminPassword: undefined });
        expect(await snapshot()).toEqual(before);
      });
    });

    describe('repositories', () => {
      beforeEach(async () => {
        await new Migrator(t.db).migrate();
      });

      it('enforces unique usernames and emails regardless of case', async () => {
        await seed(t.db, {
          admin: { username: 'admin', email: 'admin@example.com', password: 'a-long-password-1' },
        });
        await expect(
          t.db.query(
            `INSERT INTO users (username, email, full_name, role_id) SELECT 'ADMIN', 'x@example.com', 'X', id FROM roles WHERE name = 'USER'`,
          ),
        ).rejects.toThrow(/users_username_key/);
        await expect(
          t.db.query(
            `INSERT INTO users (username, email, full_name, role_id) SELECT 'other', 'Admin@Example.com', 'X', id FROM roles WHERE name = 'USER'`,
          ),
        ).rejects.toThrow(/users_email_key/);
      });

      it('writes an execution and its outbox message in one transaction, or neither', async () => {
        const { ws, suite } = await platform(t.db);
        const id = randomUUID();
        const envelope = newEnvelope('request.new', 1, { executionId: id }, { workspaceId: ws.id });
        await expect(
          t.db.transaction(async (tx) => {
            await new ExecutionRepository(tx).create(
              {
                id,
                workspaceId: ws.id,
                suiteId: suite.id,
                trigger: { type: 'manual', source: 'test' },
                config: execConfig,
              },
              [envelope],
            );
            throw new Error('crash before commit');
          }),
        ).rejects.toThrow('crash before commit');
        expect(await new ExecutionRepository(t.db).get(id)).toBeNull();
        expect(await new OutboxRepository(t.db).countPending()).toBe(0);

        await t.db.transaction((tx) =>
          new ExecutionRepository(tx).create(
            {
              id,
              workspaceId: ws.id,
              suiteId: suite.id,
              trigger: { type: 'manual', source: 'test', branch: 'main' },
              config: execConfig,
            },
            [envelope],
          ),
        );
        const stored = await new ExecutionRepository(t.db).get(id, ws.id);
        expect(stored).toMatchObject({
          id,
          status: 'queued',
          trigger: { type: 'manual', branch: 'main' },
          progress: { total: 0 },
        });
        const pending = await t.db.transaction((tx) => new OutboxRepository(tx).pending());
        expect(pending.map((p) => p.envelope)).toEqual([envelope]);
        await new OutboxRepository(t.db).markPublished([envelope.id]);
        expect(await new OutboxRepository(t.db).countPending()).toBe(0);
        expect(await new ExecutionRepository(t.db).get(id, randomUUID())).toBeNull();
      });

      it('moves an execution through its statuses only from the expected ones', async () => {
        const { ws, suite } = await platform(t.db);
        const repo = new ExecutionRepository(t.db);
        const e = await repo.create({
          workspaceId: ws.id,
          suiteId: suite.id,
          trigger: { type: 'manual', source: 'test' },
          config: execConfig,
        });
        expect(await repo.transition(e.id, ['queued'], 'running')).toBe(true);
        expect(await repo.transition(e.id, ['queued'], 'running')).toBe(false);
        expect(await repo.transition(e.id, ['running'], 'completed')).toBe(true);
        const done = await repo.get(e.id);
        expect(done?.status).toBe('completed');
        expect(done?.timing.startedAt).not.toBeNull();
        expect(done?.timing.duration).toBeGreaterThanOrEqual(0);
      });

      it('upserts test cases by key and inserts result batches idempotently', async () => {
        const { ws, suite } = await platform(t.db);
        const cases = new TestCaseRepository(t.db);
        const keys = Array.from({ length: 50 }, (_, i) => ({
          testKey: `a.spec.ts::t${i}`,
          name: `t${i}`,
          filePath: 'a.spec.ts',
        }));
        const ids = await cases.upsertMany(suite.id, keys);
        expect(ids.size).toBe(50);
        expect(await cases.upsertMany(suite.id, keys)).toEqual(ids);
        const exec = await new ExecutionRepository(t.db).create({
          workspaceId: ws.id,
          suiteId: suite.id,
          trigger: { type: 'manual', source: 't' },
          config: execConfig,
        });
        const results: NewResult[] = keys.map((k, i) => ({
          executionId: exec.id,
          testCaseId: ids.get(k.testKey)!,
          shardIndex: i % 2,
          status: i % 10 === 0 ? 'failed' : 'passed',
          duration: { setup: 1, execution: i, teardown: 0, total: i + 1 },
          error:
            i % 10 === 0
              ? { name: 'Error', message: `boom "${i}", {x}`, stack: 's', diff: { expected: 1, actual: 2 } }
              : null,
          attempts: [{ attempt: 1, status: 'passed', duration: i }],
          flaky: false,
        }));
        const repo = new ResultRepository(t.db);
        expect(await repo.insertBatch(results.slice(0, 20))).toBe(20);
        // Half already stored (a shard run again): only the new half goes in, inside a transaction too.
        expect(await t.db.transaction((tx) => new ResultRepository(tx).insertBatch(results.slice(10)))).toBe(
          30,
        );
        expect(await repo.insertBatch(results)).toBe(0);
        expect(await repo.countByStatus(exec.id)).toEqual({
          passed: 45,
          failed: 5,
          skipped: 0,
          pending: 0,
          broken: 0,
        });
        const page = await repo.list({ executionId: exec.id, status: 'failed' }, { limit: 10, offset: 0 });
        expect(page.total).toBe(5);
        const first = page.items.find((r) => r.testCaseId === ids.get('a.spec.ts::t0'));
        expect(first?.error).toEqual({
          name: 'Error',
          message: 'boom "0", {x}',
          stack: 's',
          diff: { expected: 1, actual: 2 },
        });
        expect(first?.duration.total).toBe(1);
      });

      it('cascades deletes from a suite to its cases, executions and results', async () => {
        const { ws, suite } = await platform(t.db);
        const ids = await new TestCaseRepository(t.db).upsertMany(suite.id, [
          { testKey: 'k', name: 'k', filePath: 'f' },
        ]);
        // Two runs; results have no foreign keys (migration 0006): statement triggers cascade.
        const runs = [];
        for (let i = 0; i < 2; i++) {
          const exec = await new ExecutionRepository(t.db).create({
            workspaceId: ws.id,
            suiteId: suite.id,
            trigger: { type: 'manual', source: 't' },
            config: execConfig,
          });
          await new ResultRepository(t.db).insertBatch([
            {
              executionId: exec.id,
              testCaseId: ids.get('k')!,
              shardIndex: 0,
              status: 'passed',
              duration: { setup: 0, execution: 1, teardown: 0, total: 1 },
              error: null,
              attempts: [],
              flaky: false,
            },
          ]);
          runs.push(exec.id);
        }
        await t.db.query('DELETE FROM test_executions WHERE id = $1', [runs[0]]);
        const left = await t.db.query<{ execution_id: string }>('SELECT execution_id FROM test_results');
        expect(left.rows.map((r) => r.execution_id)).toEqual([runs[1]]);
        await t.db.query('DELETE FROM test_suites WHERE id = $1', [suite.id]);
        for (const tbl of ['test_cases', 'test_executions', 'test_results']) {
          expect((await t.db.query(`SELECT 1 FROM ${tbl}`)).rows).toEqual([]);
        }
      });
    });
  });
}
