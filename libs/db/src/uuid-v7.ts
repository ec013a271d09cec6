import { randomFillSync } from 'node:crypto';

let lastMs = 0;
let seq = 0;

// Random bytes drawn 4 KiB at a time: one system call per 256 ids instead of one or two per id
// (per-id calls were the largest single cost of ingesting results; docs/benchmarks.md).
const pool = Buffer.alloc(4096);
let offset = pool.length;
function random(n: number): Buffer {
  if (offset + n > pool.length) {
    randomFillSync(pool);
    offset = 0;
  }
  offset += n;
  return pool.subarray(offset - n, offset);
}

/**
 * A time-ordered UUID (RFC 9562 version 7): 48 bits of Unix milliseconds, then a counter and
 * random bits. Rows keyed by it land at the right edge of their B-tree index, which keeps bulk
 * inserts of results cheap; ids made in the same millisecond still sort in creation order.
 */
export function uuidv7(now = Date.now()): string {
  if (now <= lastMs) {
    seq = (seq + 1) & 0xfff;
    if (seq === 0) lastMs += 1;
    now = lastMs;
  } else {
    lastMs = now;
    seq = random(2).readUInt16BE(0) & 0x3ff;
  }
  const b = Buffer.from(random(16));
  b.writeUIntBE(now, 0, 6);
  b[6] = 0x70 | (seq >> 8);
  b[7] = seq & 0xff;
  b[8] = 0x80 | (b[8] & 0x3f);
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
