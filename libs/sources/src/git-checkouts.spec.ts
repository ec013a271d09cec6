import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ValidationError } from '@verdict/contracts';
import { GitCheckouts, GitError } from './git-checkouts';

const git = (cwd: string, ...args: string[]) =>
  execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], {
    cwd,
    encoding: 'utf8',
  }).trim();

/** A real repository with two commits on main and a tag on the first. */
function makeRepo() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'verdict-origin-'));
  git(dir, 'init', '--quiet', '--initial-branch=main');
  fs.writeFileSync(path.join(dir, 'a.test.js'), 'one');
  git(dir, 'add', '.');
  git(dir, 'commit', '--quiet', '-m', 'first');
  git(dir, 'tag', 'v1');
  const first = git(dir, 'rev-parse', 'HEAD');
  fs.writeFileSync(path.join(dir, 'a.test.js'), 'two');
  git(dir, 'commit', '--quiet', '-am', 'second');
  return { dir, url: `file://${dir}`, first, second: git(dir, 'rev-parse', 'HEAD') };
}

describe('git sources', () => {
  const root = () => fs.mkdtempSync(path.join(os.tmpdir(), 'verdict-git-cache-'));

  it('resolves refs after fetching and checks out the exact commit asked for', async () => {
    const repo = makeRepo();
    const checkouts = new GitCheckouts({ root: root() });
    expect(await checkouts.resolve(repo.url, 'main')).toBe(repo.second);
    expect(await checkouts.resolve(repo.url, 'v1')).toBe(repo.first);

    const old = await checkouts.checkout(repo.url, repo.first);
    expect(fs.readFileSync(path.join(old, 'a.test.js'), 'utf8')).toBe('one');

    // A push after the mirror was made: resolving fetches it; the old checkout stays as it was.
    fs.writeFileSync(path.join(repo.dir, 'a.test.js'), 'three');
    git(repo.dir, 'commit', '--quiet', '-am', 'third');
    const third = git(repo.dir, 'rev-parse', 'HEAD');
    expect(await checkouts.resolve(repo.url, 'main')).toBe(third);
    const now = await checkouts.checkout(repo.url, third);
    expect(fs.readFileSync(path.join(now, 'a.test.js'), 'utf8')).toBe('three');
    expect(fs.readFileSync(path.join(old, 'a.test.js'), 'utf8')).toBe('one');
    // Asked again: the same tree, no second clone.
    expect(await checkouts.checkout(repo.url, third)).toBe(now);
  });

  it('fetches a commit the mirror does not have yet when it is asked for by SHA', async () => {
    const repo = makeRepo();
    const checkouts = new GitCheckouts({ root: root() });
    await checkouts.resolve(repo.url, 'main');
    git(repo.dir, 'commit', '--quiet', '--allow-empty', '-m', 'later');
    const later = git(repo.dir, 'rev-parse', 'HEAD');
    expect(fs.existsSync(path.join(await checkouts.checkout(repo.url, later), 'a.test.js'))).toBe(true);
  });

  it('names what is wrong: an unknown ref or commit, a repository that is not there', async () => {
    const repo = makeRepo();
    const checkouts = new GitCheckouts({ root: root() });
    await expect(checkouts.resolve(repo.url, 'no-such-branch')).rejects.toThrow(
      new ValidationError(`ref "no-such-branch" does not exist in ${repo.url}`, 'run.source.ref'),
    );
    await expect(checkouts.checkout(repo.url, 'deadbeefdeadbeef')).rejects.toThrow(
      /commit deadbeefdeadbeef does not exist/,
    );
    await expect(checkouts.checkout(repo.url, '--upload-pack=x')).rejects.toThrow(/not a commit SHA/);
    const missing = checkouts.resolve('file:///no/such/repo', 'main');
    await expect(missing).rejects.toBeInstanceOf(GitError);
    await expect(missing).rejects.toThrow(/git clone failed: .*does not appear to be a git repository/);
  });

  it('serialises concurrent work on one repository and keeps only the newest working trees', async () => {
    const repo = makeRepo();
    const dir = root();
    const checkouts = new GitCheckouts({ root: dir, keepCheckouts: 2 });
    const shas = [repo.first, repo.second];
    for (let i = 0; i < 2; i++) {
      git(repo.dir, 'commit', '--quiet', '--allow-empty', '-m', `c${i}`);
      shas.push(git(repo.dir, 'rev-parse', 'HEAD'));
    }
    const trees = await Promise.all(shas.map((s) => checkouts.checkout(repo.url, s)));
    expect(new Set(trees).size).toBe(4);
    expect(fs.readdirSync(path.join(dir, 'checkouts'))).toHaveLength(2);
    expect(fs.existsSync(trees[3])).toBe(true);
  });
});
