// Rows/s into test_results in batches of 1,000: multi-row INSERT vs UNNEST arrays vs COPY.
// Usage: npm run bench:db   (VERDICT_BENCH_DATABASE_URL to point elsewhere; ROWS=200000 to change size)
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { from as copyFrom } from 'pg-copy-streams';
import {
  ExecutionRepository,
  Migrator,
  PgliteDatabase,
  PostgresDatabase,
  ResultRepository,
  TestCaseRepository,
  type NewResult,
  type SqlDatabase,
  RESULT_COLUMNS,
  uuidv7,
  toResultRow,
} from '@verdict/db';
import { createTestDatabase, seedSuite } from '@verdict/testing';
import { BENCH, rate, report } from './bench-env';

const ROWS = Number(process.env.ROWS ?? 100_000);
const BATCH = 1000;

async function fixture(db: SqlDatabase) {
  await new Migrator(db).migrate();
  const { ws, suite } = await seedSuite(db, 'bench');
  const cases = await new TestCaseRepository(db).upsertMany(
    suite.id,
    Array.from({ length: BATCH }, (_, i) => ({
      testKey: `f${i % 50}.spec.ts::t${i}`,
      name: `t${i}`,
      filePath: `f${i % 50}.spec.ts`,
    })),
  );
  const caseIds = [...cases.values()];
  const execs = new ExecutionRepository(db);
  const newExecution = async () =>
    (
      await execs.create({
        workspaceId: ws.id,
        suiteId: suite.id,
        trigger: { type: 'manual', source: 'bench' },
        config: { parallel: true, workers: 1, timeout: 1000, retries: 0, dryRun: false, debug: false },
      })
    ).id;
  return { caseIds, newExecution };
}

function batchOf(executionId: string, caseIds: string[]): NewResult[] {
  return caseIds.map((testCaseId, i) => ({
    executionId,
    testCaseId,
    shardIndex: i % 4,
    status: i % 50 === 0 ? 'failed' : 'passed',
    duration: { setup: 1, execution: 20 + (i % 100), teardown: 1, total: 22 + (i % 100) },
    error:
      i % 50 === 0
        ? { name: 'AssertionError', message: 'expected 1 to be 2', stack: 'at t (f.spec.ts:1:1)' }
        : null,
    attempts: [{ attempt: 1, status: 'passed', duration: 22 }],
    flaky: false,
  }));
}

const COLS = RESULT_COLUMNS.join(', ');
const rowValues = toResultRow;

async function multiRowInsert(db: SqlDatabase, rows: NewResult[]) {
  const params: unknown[] = [];
  const tuples = rows.map((r) => {
    const v = rowValues(r);
    const start = params.length;
    params.push(...v);
    return `(${v.map((_, j) => `$${start + j + 1}`).join(', ')})`;
  });
  await db.query(
    `INSERT INTO test_results (${COLS}) VALUES ${tuples.join(', ')} ON CONFLICT (execution_id, test_case_id) DO NOTHING`,
    params,
  );
}

const copyEscape = (v: unknown) =>
  v === null
    ? '\\N'
    : String(v).replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r');

async function copyInsert(db: PostgresDatabase, rows: NewResult[]) {
  const client = await db.pool.connect();
  try {
    const text = rows.map((r) => rowValues(r).map(copyEscape).join('\t')).join('\n') + '\n';
    await pipeline(Readable.from([text]), client.query(copyFrom(`COPY test_results (${COLS}) FROM STDIN`)));
  } finally {
    client.release();
  }
}

/** One JSON document for the whole batch, unpacked by the server with json_to_recordset. */
async function jsonRecordset(db: SqlDatabase, rows: NewResult[]) {
  const doc = JSON.stringify(
    rows.map((r) => ({
      id: uuidv7(),
      execution_id: r.executionId,
      test_case_id: r.testCaseId,
      shard_index: r.shardIndex,
      status: r.status,
      duration_ms: r.duration.total,
      duration: r.duration,
      error: r.error,
      retry_count: 0,
      attempts: r.attempts,
      flaky: r.flaky,
    })),
  );
  await db.query(
    `INSERT INTO test_results (id, execution_id, test_case_id, shard_index, status, duration_ms, duration, error, retry_count, attempts, flaky)
     SELECT * FROM json_to_recordset($1::json) AS r(id uuid, execution_id uuid, test_case_id uuid, shard_index int, status text,
       duration_ms float8, duration jsonb, error jsonb, retry_count int, attempts jsonb, flaky bool)
     ON CONFLICT (execution_id, test_case_id) DO NOTHING`,
    [doc],
  );
}

/** The UNNEST statement the repository falls back to (and uses on PGlite). */
async function unnestInsert(db: SqlDatabase, rows: NewResult[]) {
  const cols = rows.map(rowValues);
  await db.query(
    `INSERT INTO test_results (${COLS}) SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::int[], $5::text[], $6::float8[],
       $7::jsonb[], $8::jsonb[], $9::int[], $10::jsonb[], $11::bool[], $12::jsonb[], $13::jsonb[], $14::jsonb[])
     ON CONFLICT (execution_id, test_case_id) DO NOTHING`,
    cols[0].map((_, i) => cols.map((r) => r[i])),
  );
}

async function measure(
  label: string,
  db: SqlDatabase,
  insert: (rows: NewResult[]) => Promise<void>,
  writers = 1,
) {
  const { caseIds, newExecution } = await fixture(db);
  const batches: NewResult[][] = [];
  for (let i = 0; i < ROWS / BATCH; i++) batches.push(batchOf(await newExecution(), caseIds));
  await insert(batchOf(await newExecution(), caseIds)); // warm-up
  const started = performance.now();
  // `writers` connections insert batches at once, as ingestion consumers do.
  await Promise.all(
    Array.from({ length: writers }, async () => {
      for (let b = batches.pop(); b; b = batches.pop()) await insert(b);
    }),
  );
  const ms = performance.now() - started;
  const { rows } = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM test_results');
  if (Number(rows[0].n) !== ROWS + BATCH)
    throw new Error(`${label}: expected ${ROWS + BATCH} rows, found ${rows[0].n}`);
  return {
    method: label,
    writers,
    rows: ROWS,
    batch: BATCH,
    seconds: +(ms / 1000).toFixed(2),
    'rows/s': rate(ROWS, ms),
  };
}

async function onFreshPostgres<T>(fn: (db: PostgresDatabase) => Promise<T>): Promise<T> {
  const { url, drop } = await createTestDatabase(BENCH.databaseUrl);
  const db = await PostgresDatabase.connect({ url, connectRetries: 0 });
  try {
    return await fn(db);
  } finally {
    await db.close();
    await drop();
  }
}

void (async () => {
  const rows = [];
  rows.push(
    await onFreshPostgres((db) => measure('postgres: multi-row INSERT', db, (r) => multiRowInsert(db, r))),
  );
  rows.push(
    await onFreshPostgres((db) => measure('postgres: UNNEST arrays', db, (r) => unnestInsert(db, r))),
  );
  rows.push(
    await onFreshPostgres((db) => measure('postgres: COPY FROM STDIN', db, (r) => copyInsert(db, r))),
  );
  rows.push(
    await onFreshPostgres((db) => measure('postgres: json_to_recordset', db, (r) => jsonRecordset(db, r))),
  );
  rows.push(
    await onFreshPostgres((db) => measure('postgres: json_to_recordset', db, (r) => jsonRecordset(db, r), 2)),
  );
  rows.push(
    await onFreshPostgres((db) => measure('postgres: UNNEST arrays', db, (r) => unnestInsert(db, r), 2)),
  );
  rows.push(
    await onFreshPostgres((db) => measure('postgres: COPY FROM STDIN', db, (r) => copyInsert(db, r), 2)),
  );
  rows.push(
    await onFreshPostgres((db) =>
      measure('postgres: ResultRepository.insertBatch (COPY)', db, (r) =>
        new ResultRepository(db).insertBatch(r).then(() => undefined),
      ),
    ),
  );
  rows.push(
    await onFreshPostgres((db) =>
      measure(
        'postgres: ResultRepository.insertBatch (COPY)',
        db,
        (r) => new ResultRepository(db).insertBatch(r).then(() => undefined),
        2,
      ),
    ),
  );
  const lite = await PgliteDatabase.open();
  rows.push(
    await measure('pglite (embedded): ResultRepository.insertBatch (UNNEST)', lite, (r) =>
      new ResultRepository(lite).insertBatch(r).then(() => undefined),
    ),
  );
  await lite.close();
  report('db: results insert, batches of 1,000', rows);
})();
