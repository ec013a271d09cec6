import os from 'node:os';

/** Where benchmarks find their servers: VERDICT_BENCH_* or the machine's default local ports. */
export const BENCH = {
  databaseUrl: process.env.VERDICT_BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test',
  amqpUrl: process.env.VERDICT_BENCH_AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672',
  redisUrl: process.env.VERDICT_BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379',
};

export function machine(): string {
  const cpu = os.cpus()[0]?.model ?? 'unknown cpu';
  return `${os.cpus().length} × ${cpu}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${os.platform()} ${os.release()}`;
}

export function report(name: string, rows: Record<string, string | number>[]): void {
  console.log(`\n## ${name}\n${machine()}\n${new Date().toISOString()}\n`);
  console.table(rows);
  console.log(JSON.stringify({ bench: name, machine: machine(), at: new Date().toISOString(), rows }));
}

export const rate = (n: number, ms: number) => Math.round((n / ms) * 1000);
