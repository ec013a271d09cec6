/** AMQP topic matching: "*" is exactly one word, "#" zero or more words. */
export function topicMatches(pattern: string, routingKey: string): boolean {
  const p = pattern.split('.');
  const k = routingKey.split('.');
  const memo = new Map<string, boolean>();
  const match = (i: number, j: number): boolean => {
    const key = `${i},${j}`;
    const hit = memo.get(key);
    if (hit !== undefined) return hit;
    let out: boolean;
    if (i === p.length) out = j === k.length;
    else if (p[i] === '#') out = match(i + 1, j) || (j < k.length && match(i, j + 1));
    else out = j < k.length && (p[i] === '*' || p[i] === k[j]) && match(i + 1, j + 1);
    memo.set(key, out);
    return out;
  };
  return match(0, 0);
}
