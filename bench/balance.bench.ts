// Shard balance on a synthetic suite: 200 files with skewed durations, 4 shards. Wall time
// (the longest shard) of the planner's plan against `jest --shard` style splitting (files
// sorted by the SHA-1 of their path, cut into equal-count chunks) and against the ideal.
// Usage: npm run bench:balance   (SEEDS=20 to average over more synthetic suites)
import { createHash } from 'node:crypto';
import { planShards } from '../apps/orchestrator/src/plan-execution/shard-planner';
import { report } from './bench-env';

const FILES = 200;
const SHARDS = 4;
const SEEDS = Number(process.env.SEEDS ?? 10);

function mulberry32(seed: number) {
  return () => {
    seed |= 0;
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Log-normal durations (median 2 s, a long tail of slow integration files). */
function syntheticSuite(seed: number): Map<string, number> {
  const rand = mulberry32(seed);
  const durations = new Map<string, number>();
  for (let i = 0; i < FILES; i++) {
    const z = Math.sqrt(-2 * Math.log(rand() || 1e-9)) * Math.cos(2 * Math.PI * rand());
    durations.set(
      `src/module-${i}/feature-${(i * 7919) % 1000}.spec.ts`,
      Math.round(2000 * Math.exp(1.2 * z)),
    );
  }
  return durations;
}

function jestShards(files: string[], shards: number): string[][] {
  const sorted = files
    .map((f) => ({ f, hash: createHash('sha1').update(f).digest('hex') }))
    .sort((a, b) => (a.hash < b.hash ? -1 : a.hash > b.hash ? 1 : 0))
    .map((x) => x.f);
  const size = Math.ceil(files.length / shards);
  return Array.from({ length: shards }, (_, i) => sorted.slice(i * size, (i + 1) * size));
}

const wall = (shards: string[][], d: Map<string, number>) =>
  Math.max(...shards.map((s) => s.reduce((sum, f) => sum + d.get(f)!, 0)));

const rows = [];
let planner = 0;
let jest = 0;
let ideal = 0;
let totals = 0;
for (let seed = 1; seed <= SEEDS; seed++) {
  const durations = syntheticSuite(seed);
  const files = [...durations.keys()];
  const total = [...durations.values()].reduce((a, b) => a + b, 0);
  const lowerBound = Math.max(total / SHARDS, Math.max(...durations.values()));
  const plan = planShards({ files, shards: SHARDS, history: durations });
  const p = wall(
    plan.shards.map((s) => s.files),
    durations,
  );
  const j = wall(jestShards(files, SHARDS), durations);
  totals += total;
  planner += p;
  jest += j;
  ideal += lowerBound;
  if (seed <= 3)
    rows.push({
      suite: `seed ${seed}`,
      'total s': +(total / 1000).toFixed(1),
      'ideal s': +(lowerBound / 1000).toFixed(1),
      'planner s': +(p / 1000).toFixed(1),
      'jest --shard s': +(j / 1000).toFixed(1),
      'planner/ideal': +(p / lowerBound).toFixed(4),
      'jest/ideal': +(j / lowerBound).toFixed(3),
    });
}
rows.push({
  suite: `mean of ${SEEDS}`,
  'total s': +(totals / SEEDS / 1000).toFixed(1),
  'ideal s': +(ideal / SEEDS / 1000).toFixed(1),
  'planner s': +(planner / SEEDS / 1000).toFixed(1),
  'jest --shard s': +(jest / SEEDS / 1000).toFixed(1),
  'planner/ideal': +(planner / ideal).toFixed(4),
  'jest/ideal': +(jest / ideal).toFixed(3),
});
report(`balance: ${FILES} files, skewed durations, ${SHARDS} shards (wall time = longest shard)`, rows);
