import { randomUUID } from 'node:crypto';
import { MESSAGES } from './registry';
import { addressEnvelope, buildMessage, MessageValidationError, parseEnvelope } from './validate';

const result = (status: 'passed' | 'failed') => ({
  testKey: 'a.spec.ts::adds',
  name: 'adds',
  filePath: 'a.spec.ts',
  status,
  duration: { setup: 0, execution: 3, teardown: 0, total: 3 },
  error: null,
  attempts: [{ attempt: 1, status, duration: 3 }],
  flaky: false,
});

const batch = (status: 'passed' | 'failed', results = [result(status)]) => ({
  executionId: randomUUID(),
  suiteId: randomUUID(),
  shardIndex: 0,
  nodeId: null,
  status,
  shardTotal: results.length,
  results,
});

describe('messages', () => {
  it('addresses every message type to its exchange and routing key', () => {
    expect(buildMessage('result.batch', batch('failed'))).toMatchObject({
      exchange: 'test.results',
      routingKey: 'result.failed',
    });
    const log = {
      executionId: randomUUID(),
      shardIndex: 1,
      level: 'warn' as const,
      entries: [
        { testId: null, timestamp: new Date().toISOString(), level: 'warn' as const, message: 'slow' },
      ],
    };
    expect(buildMessage('log.batch', log)).toMatchObject({ exchange: 'test.logs', routingKey: 'log.warn' });
    const notify = {
      channel: 'slack' as const,
      type: 'execution.completed',
      recipient: '#ci',
      subject: 's',
      body: 'b',
      executionId: null,
      metadata: {},
    };
    expect(buildMessage('notify', notify)).toMatchObject({
      exchange: 'notifications',
      routingKey: 'notify.slack',
    });
    expect(
      Object.values(MESSAGES)
        .map((m) => m.exchange)
        .sort(),
    ).toEqual([
      'fleet',
      'fleet',
      'notifications',
      'test.execution',
      'test.execution',
      'test.execution',
      'test.execution',
      'test.logs',
      'test.results',
    ]);
  });

  it('builds a complete envelope and parses it back unchanged', () => {
    const workspaceId = randomUUID();
    const { envelope } = buildMessage(
      'execution.cancel',
      { executionId: randomUUID(), reason: 'user', requestedBy: 'ada' },
      { workspaceId },
    );
    expect(envelope).toMatchObject({
      type: 'execution.cancel',
      version: 1,
      workspaceId,
      correlationId: envelope.id,
    });
    expect(parseEnvelope(JSON.parse(JSON.stringify(envelope)))).toEqual(envelope);
    expect(addressEnvelope(envelope).routingKey).toBe('execution.cancel');
  });

  it('refuses a batch whose results do not all share its status, naming the field', () => {
    expect(() => buildMessage('result.batch', batch('passed', [result('passed'), result('failed')]))).toThrow(
      /invalid result.batch payload: results: every result in a batch must have the batch status/,
    );
  });

  it('refuses unknown types, versions it does not accept, and bad payloads on consume', () => {
    const { envelope } = buildMessage('execution.cancel', {
      executionId: randomUUID(),
      reason: 'x',
      requestedBy: null,
    });
    expect(() => parseEnvelope({ ...envelope, type: 'execution.explode' })).toThrow(
      'unknown message type "execution.explode"',
    );
    expect(() => parseEnvelope({ ...envelope, version: 2 })).toThrow(
      'execution.cancel version 2 not accepted (accepts 1)',
    );
    const err = (() => {
      try {
        parseEnvelope({ ...envelope, payload: { executionId: 'nope', reason: 'x', requestedBy: null } });
      } catch (e) {
        return e as MessageValidationError;
      }
    })();
    expect(err).toBeInstanceOf(MessageValidationError);
    expect(err?.issues).toEqual([{ path: 'executionId', message: expect.stringMatching(/UUID/i) }]);
    expect(() => parseEnvelope({ id: 'x' })).toThrow(/invalid envelope/);
  });
});
