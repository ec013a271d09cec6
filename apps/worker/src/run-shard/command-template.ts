export { checkCommandTemplate } from '@verdict/contracts';

/** Single-quotes a word for /bin/sh. */
export const shellQuote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

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
