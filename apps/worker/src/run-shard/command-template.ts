import { ValidationError } from '@verdict/contracts';

const PLACEHOLDERS = ['files', 'report', 'reporter'] as const;

/** Single-quotes a word for /bin/sh. */
export const shellQuote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/** Checks a suite's command template once, at registration, so a typo never reaches a worker. */
export function checkCommandTemplate(template: string): void {
  for (const m of template.matchAll(/\{(\w+)\}/g)) {
    if (!(PLACEHOLDERS as readonly string[]).includes(m[1])) {
      throw new ValidationError(
        `unknown placeholder {${m[1]}} in the command; known: ${PLACEHOLDERS.map((p) => `{${p}}`).join(', ')}`,
        'run.command',
      );
    }
  }
  if (!template.includes('{files}'))
    throw new ValidationError(
      "the command must contain {files}, where the shard's test files go",
      'run.command',
    );
}

/** Expands {files}, {report} and {reporter} into a shell command, every value quoted. */
export function expandCommand(
  template: string,
  values: { files: string[]; report: string; reporter: string },
): string {
  return template
    .replace(/\{files\}/g, values.files.map(shellQuote).join(' '))
    .replace(/\{report\}/g, shellQuote(values.report))
    .replace(/\{reporter\}/g, shellQuote(values.reporter));
}
