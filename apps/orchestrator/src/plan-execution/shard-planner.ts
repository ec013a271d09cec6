import type { ShardPlan } from '@verdict/contracts';

export interface PlanRequest {
  /** Test files selected for the execution. */
  files: string[];
  /** How many shards to split into (capped at the number of files). */
  shards: number;
  /** Past duration of each file in ms (e.g. the mean of its recent runs); files absent have no history. */
  history: ReadonlyMap<string, number>;
}

/**
 * Splits files into shards balanced by past duration: longest first onto the least-loaded shard
 * (LPT, within 4/3 of the optimum). Files with no history are spread evenly by count, each
 * counted at the mean known duration (1 ms when nothing is known) so that the predicted
 * balance stays meaningful. Deterministic: the same request always gives the same plan.
 */
export function planShards(req: PlanRequest): ShardPlan {
  const files = [...new Set(req.files)].sort();
  const count = Math.max(1, Math.min(Math.trunc(req.shards), files.length));
  const known = files.filter((f) => (req.history.get(f) ?? -1) >= 0);
  const unknown = files.filter((f) => !((req.history.get(f) ?? -1) >= 0));
  const mean = known.length ? known.reduce((s, f) => s + req.history.get(f)!, 0) / known.length : 1;

  const shards = Array.from({ length: count }, (_, index) => ({
    index,
    files: [] as string[],
    predictedMs: 0,
    unknown: 0,
  }));
  const leastLoaded = (by: (s: (typeof shards)[number]) => number) =>
    shards.reduce((best, s) =>
      by(s) < by(best) || (by(s) === by(best) && s.predictedMs < best.predictedMs) ? s : best,
    );

  const byDuration = [...known].sort(
    (a, b) => req.history.get(b)! - req.history.get(a)! || a.localeCompare(b),
  );
  for (const f of byDuration) {
    const s = leastLoaded((x) => x.predictedMs);
    s.files.push(f);
    s.predictedMs += req.history.get(f)!;
  }
  for (const f of unknown) {
    const s = leastLoaded((x) => x.unknown);
    s.files.push(f);
    s.unknown++;
    s.predictedMs += mean;
  }

  const total = shards.reduce((sum, s) => sum + s.predictedMs, 0);
  const longest = Math.max(...shards.map((s) => s.predictedMs));
  const meanShard = total / count;
  return {
    shards: shards.map(({ index, files: f, predictedMs }) => ({
      index,
      files: f,
      predictedMs: Math.round(predictedMs),
    })),
    predictedBalance: meanShard > 0 ? Math.max(1, Number((longest / meanShard).toFixed(4))) : 1,
    strategy: unknown.length === 0 ? 'duration' : known.length === 0 ? 'count' : 'mixed',
  };
}
