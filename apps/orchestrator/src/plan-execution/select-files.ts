import fs from 'node:fs';
import path from 'node:path';
import picomatch from 'picomatch';
import { glob } from 'tinyglobby';
import { ValidationError, type SuiteSelectors, type SuiteSource } from '@verdict/contracts';

/** Refuses a malformed glob at registration, naming it, rather than matching nothing at run time. */
export function checkGlobs(selectors: Pick<SuiteSelectors, 'include' | 'exclude'>): void {
  for (const [field, globs] of [
    ['selectors.include', selectors.include],
    ['selectors.exclude', selectors.exclude],
  ] as const) {
    for (const g of globs) {
      try {
        picomatch.makeRe(g, { strictBrackets: true, strictSlashes: true });
      } catch (error) {
        throw new ValidationError(`malformed glob "${g}": ${(error as Error).message}`, field);
      }
      if (path.isAbsolute(g) || g.split('/').includes('..'))
        throw new ValidationError(`glob "${g}" must stay inside the source (relative, no "..")`, field);
    }
  }
}

/** The test files of a local source that the suite's selectors pick, relative and sorted. */
export async function selectFiles(
  source: SuiteSource,
  selectors: Pick<SuiteSelectors, 'include' | 'exclude'>,
): Promise<string[]> {
  if (source.type !== 'local')
    throw new ValidationError(
      'planning a git source needs a checkout; only local sources are planned here',
      'run.source',
    );
  if (!fs.existsSync(source.path))
    throw new ValidationError(`source path ${source.path} does not exist`, 'run.source.path');
  checkGlobs(selectors);
  const files = await glob(
    selectors.include.length ? selectors.include : ['**/*.test.{js,ts,mjs,cjs}', '**/*.spec.{js,ts,mjs,cjs}'],
    {
      cwd: source.path,
      ignore: ['**/node_modules/**', ...selectors.exclude],
      onlyFiles: true,
      dot: false,
    },
  );
  return files.sort();
}
