/** Human text or --json: every command prints through this, so both stay in step. */
export interface Output {
  json: boolean;
  result(data: unknown, text: () => string): void;
}

export function createOutput(json: boolean): Output {
  return {
    json,
    result(data, text) {
      process.stdout.write((json ? JSON.stringify(data, null, 2) : text()) + '\n');
    },
  };
}

export function printTable(headers: string[], rows: string[][]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (c ?? '').padEnd(widths[i]))
      .join('  ')
      .trimEnd();
  return [line(headers), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}
