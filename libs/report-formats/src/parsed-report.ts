import type { ResultStatus, TestError } from '@verdict/contracts';

/** One test as a report states it, whatever the format. */
export interface ParsedTest {
  /** Path of the test file, relative to the project root when it can be told. */
  file: string;
  name: string;
  /** Ancestors and name, joined with " › ". Unique within a file. */
  fullName: string;
  status: ResultStatus;
  durationMs: number;
  error: TestError | null;
}

export const testKey = (t: Pick<ParsedTest, 'file' | 'fullName'>) => `${t.file}::${t.fullName}`;

/** The report cannot be read: the shard's tests are recorded as broken with this reason. */
export class ReportParseError extends Error {
  override readonly name = 'ReportParseError';
  constructor(
    readonly format: string,
    reason: string,
  ) {
    super(`Cannot read the ${format} report: ${reason}`);
  }
}

export function relativeTo(rootDir: string | undefined, file: string): string {
  if (!rootDir || !file.startsWith(rootDir)) return file;
  return file.slice(rootDir.length).replace(/^[\\/]+/, '');
}
