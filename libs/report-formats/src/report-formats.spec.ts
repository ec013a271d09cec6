import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import {
  NODE_TEST_REPORTER,
  parseJestJson,
  parseJunit,
  parseNodeTest,
  parseReport,
  ReportParseError,
  writeJunit,
} from './index';

const run = promisify(execFile);
const JEST = require.resolve('jest/bin/jest');

/** A small project with a passing, a failing (with a diff), a skipped, a nested and a todo test. */
function project(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'verdict-formats-'));
  fs.mkdirSync(path.join(dir, 'test'));
  fs.writeFileSync(
    path.join(dir, 'test/math.test.js'),
    `const test = require('node:test');
const assert = require('node:assert');
test('adds', () => assert.strictEqual(1 + 1, 2));
test('compares objects', () => assert.deepStrictEqual({ a: 1 }, { a: 2 }));
test('skipped', { skip: 'not today' }, () => {});
test.describe('group', () => { test.it('nested passes', () => {}); test.it('later', { todo: true }, () => {}); });
`,
  );
  return dir;
}

/** Runs node --test on files of `dir` with a reporter and returns what it wrote (a failing run is expected). */
async function nodeTest(dir: string, reporter: string, files: string[]): Promise<string> {
  const out = path.join(dir, `report-${Date.now()}`);
  await run(
    process.execPath,
    ['--test', `--test-reporter=${reporter}`, `--test-reporter-destination=${out}`, ...files],
    { cwd: dir },
  ).catch(() => undefined);
  return fs.readFileSync(out, 'utf8');
}

function jestProject(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'verdict-jest-'));
  fs.writeFileSync(
    path.join(dir, 'sum.test.js'),
    `describe('sum', () => { it('adds', () => expect(1 + 1).toBe(2)); it('fails', () => expect({ a: 1 }).toEqual({ a: 2 })); it.skip('skips', () => {}); it.todo('later'); });\n`,
  );
  fs.writeFileSync(path.join(dir, 'broken.test.js'), `this is not javascript\n`);
  return dir;
}

describe('node:test (Verdict reporter)', () => {
  it('reads what node --test writes through the reporter: files, nesting, statuses, diffs', async () => {
    const dir = project();
    const tests = parseNodeTest(await nodeTest(dir, NODE_TEST_REPORTER, ['test/math.test.js']), {
      rootDir: dir,
    });
    expect(tests.map((t) => [t.file, t.fullName, t.status])).toEqual([
      ['test/math.test.js', 'adds', 'passed'],
      ['test/math.test.js', 'compares objects', 'failed'],
      ['test/math.test.js', 'skipped', 'skipped'],
      ['test/math.test.js', 'group › nested passes', 'passed'],
      ['test/math.test.js', 'group › later', 'pending'],
    ]);
    const failed = tests[1];
    expect(failed.error).toMatchObject({
      name: 'AssertionError',
      diff: { expected: { a: 2 }, actual: { a: 1 } },
    });
    expect(failed.error?.stack).toContain('math.test.js:4');
    expect(failed.durationMs).toBeGreaterThan(0);
  });

  it('reports a file that cannot run as broken, and one without tests as nothing', async () => {
    const dir = project();
    fs.writeFileSync(path.join(dir, 'test/syntax.test.js'), 'this is not javascript');
    fs.writeFileSync(path.join(dir, 'test/empty.test.js'), '// nothing yet');
    const report = await nodeTest(dir, NODE_TEST_REPORTER, ['test/syntax.test.js', 'test/empty.test.js']);
    const tests = parseNodeTest(report, { rootDir: dir });
    expect(tests.map((t) => [t.file, t.fullName, t.status])).toEqual([
      ['test/syntax.test.js', '(test file failed to run)', 'broken'],
    ]);
  });

  it('says what is wrong with a file that is not its format', () => {
    expect(() => parseNodeTest('TAP version 13\nok 1 - adds')).toThrow(ReportParseError);
    expect(() => parseNodeTest('TAP version 13\nok 1 - adds')).toThrow(/line 1 is not JSON/);
    expect(() => parseNodeTest('')).toThrow(/empty/);
  });
});

describe('Jest JSON', () => {
  it('reads `jest --json` output: ancestors, statuses, diffs, and a file that failed to run as broken', async () => {
    const dir = jestProject();
    const out = path.join(dir, 'report.json');
    await run(
      process.execPath,
      [JEST, '--rootDir', dir, '--config', '{}', '--json', `--outputFile=${out}`, '--ci'],
      { cwd: dir },
    ).catch(() => undefined);
    const tests = parseJestJson(fs.readFileSync(out, 'utf8'), { rootDir: dir }).sort((a, b) =>
      a.file.localeCompare(b.file),
    );
    expect(tests.map((t) => [t.file, t.fullName, t.status])).toEqual([
      ['broken.test.js', '(test file failed to run)', 'broken'],
      ['sum.test.js', 'sum › adds', 'passed'],
      ['sum.test.js', 'sum › fails', 'failed'],
      ['sum.test.js', 'sum › skips', 'skipped'],
      ['sum.test.js', 'sum › later', 'pending'],
    ]);
    expect(tests[0].error?.stack).toMatch(/SyntaxError|Jest encountered an unexpected token/);
    expect(tests[2].error).toMatchObject({ diff: { expected: { a: 2 }, actual: { a: 1 } } });
    expect(tests[2].error?.message).toContain('toEqual');
  }, 60_000);

  it('refuses what is not Jest JSON', () => {
    expect(() => parseJestJson('<xml/>')).toThrow(/Cannot read the Jest JSON report: not JSON/);
    expect(() => parseJestJson('{"numTotalTests": 3}')).toThrow(/no testResults array/);
  });
});

describe('JUnit XML', () => {
  it("reads node:test's own junit reporter", async () => {
    const dir = project();
    const tests = parseJunit(await nodeTest(dir, 'junit', ['test/math.test.js']));
    expect(tests.map((t) => t.status)).toEqual(expect.arrayContaining(['passed', 'failed', 'skipped']));
    expect(tests.find((t) => t.name === 'compares objects')?.error?.message).toContain('deep-equal');
  });

  it('reads Surefire-style nested suites, errors as broken, and jest-junit file attributes', () => {
    const xml = `<?xml version="1.0"?>
<testsuites>
  <testsuite name="com.acme.CartTest" tests="3">
    <testcase classname="com.acme.CartTest" name="addsItem" time="0.012"/>
    <testcase classname="com.acme.CartTest" name="total" time="0.5"><failure message="expected 3 but was 2" type="AssertionError">at CartTest.java:12</failure></testcase>
    <testcase classname="com.acme.CartTest" name="db" time="0.1"><error message="Connection refused" type="java.net.ConnectException">at Db.java:3</error></testcase>
  </testsuite>
  <testsuite name="ui"><testsuite name="login" file="src/login.spec.ts"><testcase name="shows form" time="1.25"/><testcase name="remember me"><skipped/></testcase></testsuite></testsuite>
</testsuites>`;
    expect(parseJunit(xml).map((t) => [t.file, t.fullName, t.status, t.durationMs])).toEqual([
      // a class name stands for the file when there is no file attribute
      ['com.acme.CartTest', 'addsItem', 'passed', 12],
      ['com.acme.CartTest', 'total', 'failed', 500],
      ['com.acme.CartTest', 'db', 'broken', 100],
      ['src/login.spec.ts', 'shows form', 'passed', 1250],
      ['src/login.spec.ts', 'remember me', 'skipped', 0],
    ]);
    expect(parseJunit(xml)[1].error).toEqual({
      name: 'AssertionError',
      message: 'expected 3 but was 2',
      stack: 'at CartTest.java:12',
    });
  });

  it('says where XML is malformed, and refuses XML that is not JUnit', () => {
    expect(() => parseJunit('<testsuite><testcase name="a"></testsuite>')).toThrow(
      /not well-formed XML at line 1/,
    );
    expect(() => parseJunit('<html><body/></html>')).toThrow(/no <testsuites> or <testsuite> element/);
    expect(() => parseReport('junit', 'not xml at all')).toThrow(ReportParseError);
    expect(() => parseReport('scenario', '{}')).toThrow(/scenario report: format/);
  });

  it('writes one JUnit document that reads back to the same tests', () => {
    const tests = [
      {
        file: 'a.spec.ts',
        name: 'adds',
        fullName: 'math › adds',
        status: 'passed' as const,
        durationMs: 12,
        error: null,
      },
      {
        file: 'a.spec.ts',
        name: 'fails',
        fullName: 'math › fails <&>',
        status: 'failed' as const,
        durationMs: 3,
        error: { name: 'AssertionError', message: 'expected "1" < 2', stack: 'at a.spec.ts:3\n  more' },
      },
      {
        file: 'b.spec.ts',
        name: 'crash',
        fullName: 'crash',
        status: 'broken' as const,
        durationMs: 0,
        error: { name: 'TypeError', message: 'x is undefined', stack: 'at b.spec.ts:1' },
      },
      {
        file: 'b.spec.ts',
        name: 'skip',
        fullName: 'skip',
        status: 'skipped' as const,
        durationMs: 0,
        error: null,
      },
    ];
    const xml = writeJunit('unit', tests);
    expect(xml).toContain('<testsuites name="unit" tests="4" failures="1" errors="1" skipped="1"');
    const back = parseJunit(xml);
    expect(back.map((t) => [t.file, t.name, t.status, t.durationMs, t.error?.message ?? null])).toEqual(
      tests.map((t) => [t.file, t.fullName, t.status, t.durationMs, t.error?.message ?? null]),
    );
  });
});

describe('scenario (verdict scenario run --report)', () => {
  const run = (over: Record<string, unknown> = {}) => ({
    id: '00000000-0000-4000-8000-000000000001',
    scenarioId: '00000000-0000-4000-8000-000000000002',
    scenarioName: 'checkout',
    status: 'PARTIAL',
    durationMs: 40,
    errorMessage: '1 of 3 actions failed',
    executedAt: '2026-11-23T00:00:00.000Z',
    executionId: null,
    file: '/repo/scenarios/checkout.json',
    results: [
      {
        order: 1,
        type: 'START_MOCK',
        name: 'START_MOCK shop',
        status: 'passed',
        durationMs: 3,
        error: null,
        response: null,
      },
      {
        order: 2,
        type: 'HTTP_REQUEST',
        name: 'POST shop/orders',
        status: 'failed',
        durationMs: 7,
        error: 'status 500, expected 201',
        response: { status: 500, headers: {}, body: '{"error":"boom"}' },
      },
      {
        order: 3,
        type: 'WAIT',
        name: 'WAIT 10 ms',
        status: 'skipped',
        durationMs: 0,
        error: null,
        response: null,
      },
    ],
    ...over,
  });

  it('reads each action as a test of the scenario file, failures with the answer', () => {
    const content = JSON.stringify({ format: 'verdict-scenario', runs: [run()] });
    const tests = parseReport('scenario', content, { rootDir: '/repo' });
    expect(tests.map((t) => [t.file, t.fullName, t.status])).toEqual([
      ['scenarios/checkout.json', 'checkout › 1. START_MOCK shop', 'passed'],
      ['scenarios/checkout.json', 'checkout › 2. POST shop/orders', 'failed'],
      ['scenarios/checkout.json', 'checkout › 3. WAIT 10 ms', 'skipped'],
    ]);
    expect(tests[1].error).toMatchObject({
      message: 'status 500, expected 201',
      stack: expect.stringContaining('HTTP 500'),
    });
  });

  it('makes a run that could not start one broken test with its reason, and refuses other JSON', () => {
    const content = JSON.stringify({
      format: 'verdict-scenario',
      runs: [run({ results: [], status: 'FAILED', errorMessage: 'scenarios/x.json: not JSON' })],
    });
    expect(parseReport('scenario', content)).toEqual([
      expect.objectContaining({
        status: 'broken',
        error: expect.objectContaining({ message: 'scenarios/x.json: not JSON' }),
      }),
    ]);
    expect(() => parseReport('scenario', '{"format":"junit"}')).toThrow(/format/);
    expect(() => parseReport('scenario', 'nope')).toThrow(/not JSON/);
  });
});
