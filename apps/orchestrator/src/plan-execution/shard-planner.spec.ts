import { planShards } from './shard-planner';

const sum = (files: string[], h: Map<string, number>) => files.reduce((s, f) => s + (h.get(f) ?? 0), 0);

describe('planShards', () => {
  it('puts the longest files first onto the least-loaded shard', () => {
    const history = new Map([
      ['a', 70],
      ['b', 50],
      ['c', 40],
      ['d', 30],
      ['e', 10],
    ]);
    const plan = planShards({ files: ['e', 'd', 'c', 'b', 'a'], shards: 2, history });
    expect(plan.strategy).toBe('duration');
    expect(plan.shards.map((s) => s.files)).toEqual([
      ['a', 'd'],
      ['b', 'c', 'e'],
    ]);
    expect(plan.shards.map((s) => s.predictedMs)).toEqual([100, 100]);
    expect(plan.predictedBalance).toBe(1);
  });

  it('spreads files with no history by count', () => {
    const plan = planShards({ files: ['a', 'b', 'c', 'd', 'e', 'f', 'g'], shards: 3, history: new Map() });
    expect(plan.strategy).toBe('count');
    expect(plan.shards.map((s) => s.files.length)).toEqual([3, 2, 2]);
    expect(plan.shards.flatMap((s) => s.files).sort()).toEqual(['a', 'b', 'c', 'd', 'e', 'f', 'g']);
  });

  it('mixes: known files by duration, new files evenly, every file exactly once', () => {
    const history = new Map([
      ['slow', 1000],
      ['mid', 400],
      ['quick', 100],
    ]);
    const files = ['slow', 'mid', 'quick', 'new1', 'new2', 'new3', 'new4'];
    const plan = planShards({ files, shards: 2, history });
    expect(plan.strategy).toBe('mixed');
    expect(plan.shards.flatMap((s) => s.files).sort()).toEqual([...files].sort());
    const newPerShard = plan.shards.map((s) => s.files.filter((f) => f.startsWith('new')).length);
    expect(newPerShard).toEqual([2, 2]);
    expect(plan.shards[0].files).toContain('slow');
  });

  it('never makes more shards than files, nor fewer than one', () => {
    expect(planShards({ files: ['a', 'b'], shards: 8, history: new Map() }).shards).toHaveLength(2);
    expect(planShards({ files: ['a'], shards: 0, history: new Map() }).shards).toHaveLength(1);
    expect(
      planShards({ files: ['a', 'a', 'b'], shards: 4, history: new Map() }).shards.flatMap((s) => s.files),
    ).toEqual(['a', 'b']);
  });

  it('stays within 4/3 of the ideal on skewed durations, and is deterministic', () => {
    const history = new Map(
      Array.from({ length: 200 }, (_, i) => [`f${i}`, Math.round(20_000 / (1 + i) ** 1.1)]),
    );
    const files = [...history.keys()];
    const plan = planShards({ files, shards: 4, history });
    const ideal = sum(files, history) / 4;
    expect(Math.max(...plan.shards.map((s) => s.predictedMs))).toBeLessThanOrEqual(
      Math.max(ideal * (4 / 3), Math.max(...history.values())),
    );
    expect(planShards({ files: [...files].reverse(), shards: 4, history })).toEqual(plan);
  });
});
