import type { ReportFormat } from '@verdict/contracts';
import { parseJestJson } from './jest-json/parse-jest-json';
import { parseJunit } from './junit/parse-junit';
import { parseNodeTest } from './node-test/parse-node-test';
import { parseScenarioReport } from './scenario/parse-scenario';
import { ReportParseError, type ParsedTest } from './parsed-report';

const PARSERS: Partial<Record<ReportFormat, (content: string, opts: { rootDir?: string }) => ParsedTest[]>> =
  {
    junit: parseJunit,
    'jest-json': parseJestJson,
    'node-test': parseNodeTest,
    scenario: parseScenarioReport,
  };

/** Parses a report of a known format; throws ReportParseError naming the format and the problem. */
export function parseReport(
  format: ReportFormat,
  content: string,
  opts: { rootDir?: string } = {},
): ParsedTest[] {
  const parse = PARSERS[format];
  if (!parse)
    throw new ReportParseError(
      format,
      `no parser for "${format}" (known: ${Object.keys(PARSERS).join(', ')})`,
    );
  return parse(content, opts);
}
