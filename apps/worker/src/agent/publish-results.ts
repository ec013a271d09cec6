import type { MessageBus } from '@verdict/bus';
import type { ResultStatus } from '@verdict/contracts';
import type { ShardTestResult } from '../run-shard/shard-runner';

const BATCH = 500;

/** Publishes a shard's results as result.batch messages: grouped by status (the routing key), at most 500 each. */
export async function publishResults(
  bus: MessageBus,
  meta: {
    executionId: string;
    suiteId: string;
    workspaceId: string;
    shardIndex: number;
    nodeId: string | null;
  },
  results: ShardTestResult[],
): Promise<void> {
  const byStatus = new Map<ResultStatus, ShardTestResult[]>();
  for (const r of results) byStatus.set(r.status, [...(byStatus.get(r.status) ?? []), r]);
  for (const [status, items] of byStatus) {
    for (let i = 0; i < items.length; i += BATCH) {
      await bus.publish(
        'result.batch',
        {
          executionId: meta.executionId,
          suiteId: meta.suiteId,
          shardIndex: meta.shardIndex,
          nodeId: meta.nodeId,
          status,
          shardTotal: results.length,
          results: items.slice(i, i + BATCH),
        },
        { workspaceId: meta.workspaceId, correlationId: meta.executionId },
      );
    }
  }
}
