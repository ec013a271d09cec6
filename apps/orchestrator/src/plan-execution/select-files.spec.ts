import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ValidationError } from '@verdict/contracts';
import { checkGlobs, selectFiles } from './select-files';

describe('selectFiles', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'verdict-select-'));
  for (const f of [
    'test/a.test.js',
    'test/b.test.js',
    'test/slow/c.test.js',
    'node_modules/x/d.test.js',
    'src/e.js',
  ]) {
    fs.mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
    fs.writeFileSync(path.join(dir, f), '');
  }
  const source = { type: 'local' as const, path: dir };

  it('picks the included files less the excluded, relative and sorted, never from node_modules', async () => {
    expect(await selectFiles(source, { include: ['**/*.test.js'], exclude: ['test/slow/**'] })).toEqual([
      'test/a.test.js',
      'test/b.test.js',
    ]);
    expect(await selectFiles(source, { include: [], exclude: [] })).toEqual([
      'test/a.test.js',
      'test/b.test.js',
      'test/slow/c.test.js',
    ]);
  });

  it('refuses a malformed glob, naming it and the field', () => {
    let err: unknown;
    try {
      checkGlobs({ include: ['test/[a.test.js'], exclude: [] });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ValidationError);
    expect((err as ValidationError).field).toBe('selectors.include');
    expect((err as Error).message).toContain('malformed glob "test/[a.test.js"');
    expect(() => checkGlobs({ include: ['../other/**'], exclude: [] })).toThrow(
      /must stay inside the source/,
    );
  });

  it('says when the source path does not exist', async () => {
    await expect(
      selectFiles({ type: 'local', path: path.join(dir, 'missing') }, { include: [], exclude: [] }),
    ).rejects.toThrow(/does not exist/);
  });
});
