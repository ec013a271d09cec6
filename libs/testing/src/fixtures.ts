import { randomUUID } from 'node:crypto';
import type { Payloads, ResultStatus } from '@verdict/contracts';
import type { z } from 'zod';

type ResultItem = z.infer<typeof Payloads.ResultItem>;

export function resultItem(status: ResultStatus = 'passed', n = 0): ResultItem {
  return {
    testKey: `spec/math.spec.ts::adds ${n}`,
    name: `adds ${n}`,
    filePath: 'spec/math.spec.ts',
    status,
    duration: { setup: 0, execution: 12, teardown: 0, total: 12 },
    error:
      status === 'failed'
        ? { name: 'AssertionError', message: 'expected 2 to be 3', stack: 'at math.spec.ts:3' }
        : null,
    attempts: [{ attempt: 1, status, duration: 12 }],
    flaky: false,
  };
}

export function resultBatch(
  status: ResultStatus = 'passed',
  count = 1,
  executionId: string = randomUUID(),
): z.infer<typeof Payloads.ResultBatch> {
  return {
    executionId,
    suiteId: randomUUID(),
    shardIndex: 0,
    nodeId: null,
    status,
    shardTotal: count,
    results: Array.from({ length: count }, (_, i) => resultItem(status, i)),
  };
}

export function cancelPayload(executionId: string = randomUUID()) {
  return { executionId, reason: 'test', requestedBy: null };
}
