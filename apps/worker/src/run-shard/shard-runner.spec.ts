import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sleep, waitFor } from '@verdict/testing';
import { checkCommandTemplate, expandCommand } from './command-template';
import { runShard, type ShardSpec } from './shard-runner';

const NODE_TEST = `${process.execPath} --test --test-reporter={reporter} --test-reporter-destination={report} {files}`;

function project(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'verdict-shard-'));
  for (const [name, body] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), body);
  }
  return dir;
}

const spec = (cwd: string, over: Partial<ShardSpec> = {}): ShardSpec => ({
  shardIndex: 0,
  files: ['test/a.test.js'],
  cwd,
  command: NODE_TEST,
  reportFormat: 'node-test',
  env: { PATH: process.env.PATH ?? '' },
  timeoutMs: 30_000,
  retries: 0,
  ...over,
});

const header = `const test = require('node:test'); const assert = require('node:assert'); const fs = require('node:fs');\n`;

describe('runShard', () => {
  const lines: string[] = [];
  const deps = (dir: string) => ({
    reportDir: path.join(dir, '.verdict'),
    onLine: (_s: string, l: string) => void lines.push(l),
  });

  it('runs the files and reports every test with its status, file and error', async () => {
    const dir = project({
      'test/a.test.js': `${header}test('passes', () => {}); test('fails', () => assert.strictEqual(1, 2));`,
      'test/b.test.js': `${header}test('also passes', () => { console.log('hello from b'); });`,
    });
    const out = await runShard(spec(dir, { files: ['test/a.test.js', 'test/b.test.js'] }), deps(dir));
    expect(out.tests.map((t) => [t.filePath, t.name, t.status]).sort()).toEqual([
      ['test/a.test.js', 'fails', 'failed'],
      ['test/a.test.js', 'passes', 'passed'],
      ['test/b.test.js', 'also passes', 'passed'],
    ]);
    expect(out.tests.find((t) => t.name === 'fails')?.error?.diff).toEqual({ expected: 2, actual: 1 });
    expect(out.tests[0].testKey).toBe('test/a.test.js::passes');
    expect(out.runs).toHaveLength(1);
  });

  it('re-runs failed tests; one that passes on retry is flaky with every attempt kept', async () => {
    const dir = project({
      'test/a.test.js': `${header}test('flaky', () => { const f = __dirname + '/count'; const n = fs.existsSync(f) ? +fs.readFileSync(f, 'utf8') : 0; fs.writeFileSync(f, String(n + 1)); assert.ok(n >= 1, 'first run fails'); });
test('always fails', () => assert.fail('nope')); test('fine', () => {});`,
    });
    const out = await runShard(spec(dir, { retries: 2 }), deps(dir));
    const by = Object.fromEntries(out.tests.map((t) => [t.name, t]));
    expect(by.flaky).toMatchObject({ status: 'passed', flaky: true });
    expect(by.flaky.attempts.map((a) => a.status)).toEqual(['failed', 'passed']);
    expect(by['always fails']).toMatchObject({ status: 'failed', flaky: false });
    expect(by['always fails'].attempts.map((a) => a.status)).toEqual(['failed', 'failed', 'failed']);
    expect(by.fine.attempts).toHaveLength(1);
    expect(out.runs).toHaveLength(3);
  });

  it('records the files as broken, with the reason, when the command does not exist (exit 127)', async () => {
    const dir = project({ 'test/a.test.js': '' });
    const out = await runShard(spec(dir, { command: 'definitely-not-a-test-runner {files}' }), deps(dir));
    expect(out.tests).toHaveLength(1);
    expect(out.tests[0]).toMatchObject({ filePath: 'test/a.test.js', status: 'broken' });
    expect(out.tests[0].error?.message).toMatch(/the command was not found \(exit code 127\).*not found/);
  });

  it('records broken results when the report is not what the format says', async () => {
    const dir = project({ 'test/a.test.js': '' });
    const out = await runShard(
      spec(dir, { reportFormat: 'junit', command: 'echo "this is not XML" > {report}; true {files}' }),
      deps(dir),
    );
    expect(out.tests[0].status).toBe('broken');
    expect(out.tests[0].error?.message).toContain('Cannot read the JUnit XML report: not well-formed XML');
  });

  it('marks a file the report says nothing about as broken (never zero tests)', async () => {
    const dir = project({
      'test/a.test.js': `${header}test('ok', () => {});`,
      'test/empty.test.js': '// no tests here\n',
    });
    const out = await runShard(spec(dir, { files: ['test/a.test.js', 'test/empty.test.js'] }), deps(dir));
    expect(out.tests.find((t) => t.filePath === 'test/empty.test.js')).toMatchObject({
      status: 'broken',
      error: { message: 'the report has no result for test/empty.test.js' },
    });
  });

  it('kills the whole process group on timeout, grandchildren included', async () => {
    const dir = project({ 'test/a.test.js': '' });
    const pidFile = path.join(dir, 'grandchild.pid');
    const command = `sh -c 'sleep 300 & echo $! > ${pidFile}; wait' ; true {files}`;
    const out = await runShard(spec(dir, { command, timeoutMs: 1000 }), deps(dir));
    expect(out.tests[0].error?.message).toMatch(/timed out after 1 s and was killed/);
    const pid = Number(fs.readFileSync(pidFile, 'utf8'));
    await waitFor(() => !alive(pid), 5000, 'the grandchild to be gone');
  });

  it('stops at once when the execution is cancelled', async () => {
    const dir = project({ 'test/a.test.js': '' });
    const ac = new AbortController();
    const running = runShard(spec(dir, { command: 'sleep 60; true {files}' }), {
      ...deps(dir),
      signal: ac.signal,
    });
    await sleep(300);
    ac.abort();
    const out = await running;
    expect(out.tests[0].error?.message).toBe('the execution was cancelled');
    expect(out.runs[0].durationMs).toBeLessThan(10_000);
  });

  it('passes the suite environment to the command and streams its output', async () => {
    const dir = project({
      'test/a.test.js': `${header}test('env', () => { console.log('TARGET=' + process.env.TARGET); assert.strictEqual(process.env.TARGET, 'staging'); });`,
    });
    lines.length = 0;
    const out = await runShard(
      spec(dir, {
        env: { PATH: process.env.PATH ?? '', TARGET: 'staging' },
        command: `echo starting; ${NODE_TEST}`,
      }),
      deps(dir),
    );
    expect(out.tests[0].status).toBe('passed');
    expect(lines).toContain('starting');
  });
});

describe('command template', () => {
  it('quotes every value so file names cannot break out of the shell', () => {
    expect(
      expandCommand('npx jest {files} --json --outputFile={report}', {
        files: ['a b.spec.ts', "it's.spec.ts"],
        report: '/tmp/r.json',
        reporter: 'x',
      }),
    ).toBe(`npx jest 'a b.spec.ts' 'it'\\''s.spec.ts' --json --outputFile='/tmp/r.json'`);
  });

  it('refuses unknown placeholders and a command without {files}, naming the field', () => {
    expect(() => checkCommandTemplate('npx jest {file}')).toThrow(/unknown placeholder \{file\}/);
    expect(() => checkCommandTemplate('npx jest')).toThrow(/must contain \{files\}/);
    expect(() => checkCommandTemplate('npx jest {files} --outputFile={report}')).not.toThrow();
  });
});

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return !/^Z/.test(execFileSync('ps', ['-o', 'stat=', '-p', String(pid)], { encoding: 'utf8' }).trim());
  } catch {
    return false;
  }
}
