import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { childProcessEnv } from '@verdict/config';
import { UnavailableError, ValidationError } from '@verdict/contracts';

/** A failed git command, with what git said. */
export class GitError extends Error {
  override readonly name = 'GitError';
}

export interface GitCheckoutsOptions {
  /** Where mirrors and working trees live. */
  root: string;
  /** Working trees kept beside the one in use; older ones are removed. */
  keepCheckouts?: number;
  timeoutMs?: number;
  /** git's environment; by default this process's, without Verdict's own settings and secrets. */
  env?: Record<string, string>;
}

/**
 * Git sources: one bare mirror per repository URL (cloned once, fetched when a ref or commit is
 * asked for that it may not have), and one working tree per commit cloned from the mirror with
 * shared objects (no second download). Operations on one repository run one at a time; git
 * never prompts for credentials (a private repository without them fails at once, saying so).
 */
export class GitCheckouts {
  private readonly locks = new Map<string, Promise<unknown>>();

  private readonly env: Record<string, string>;

  constructor(private readonly opts: GitCheckoutsOptions) {
    this.env = opts.env ?? childProcessEnv();
  }

  /** The commit SHA a branch, tag or SHA names now, after fetching. */
  async resolve(url: string, ref: string): Promise<string> {
    return this.serial(url, async () => {
      const mirror = await this.mirror(url, true);
      const sha = await this.git(['rev-parse', '--verify', '--quiet', `${ref}^{commit}`], mirror).catch(
        () => '',
      );
      if (!sha)
        throw new ValidationError(`ref "${ref}" does not exist in ${redact(url)}`, 'run.source.ref', {
          url: redact(url),
          ref,
        });
      return sha;
    });
  }

  /** A working tree of the repository at `commit`; reused when one exists. Returns its path. */
  async checkout(url: string, commit: string): Promise<string> {
    if (!/^[0-9a-f]{7,64}$/.test(commit))
      throw new ValidationError(`"${commit}" is not a commit SHA`, 'commit');
    return this.serial(url, async () => {
      const dest = path.join(this.opts.root, 'checkouts', `${key(url)}-${commit}`);
      if (fs.existsSync(path.join(dest, '.git'))) {
        const now = new Date();
        fs.utimesSync(dest, now, now);
        return dest;
      }
      let mirror = await this.mirror(url, false);
      if (!(await this.has(mirror, commit))) mirror = await this.mirror(url, true);
      if (!(await this.has(mirror, commit)))
        throw new ValidationError(`commit ${commit} does not exist in ${redact(url)}`, 'commit', {
          url: redact(url),
          commit,
        });
      const tmp = `${dest}.tmp-${randomBytes(4).toString('hex')}`;
      fs.mkdirSync(path.dirname(dest), { recursive: true });
      try {
        await this.git(['clone', '--quiet', '--shared', '--no-checkout', mirror, tmp]);
        await this.git(['checkout', '--quiet', '--detach', commit], tmp);
        fs.renameSync(tmp, dest);
      } finally {
        fs.rmSync(tmp, { recursive: true, force: true });
      }
      this.prune(dest);
      return dest;
    });
  }

  /** The bare mirror of `url`, cloned when missing and fetched when `fetch` says so. */
  private async mirror(url: string, fetch: boolean): Promise<string> {
    const dir = path.join(this.opts.root, 'mirrors', `${key(url)}.git`);
    if (!fs.existsSync(path.join(dir, 'HEAD'))) {
      const tmp = `${dir}.tmp-${randomBytes(4).toString('hex')}`;
      fs.mkdirSync(path.dirname(dir), { recursive: true });
      try {
        await this.git(['clone', '--quiet', '--mirror', url, tmp]);
        fs.rmSync(dir, { recursive: true, force: true });
        fs.renameSync(tmp, dir);
      } finally {
        fs.rmSync(tmp, { recursive: true, force: true });
      }
    } else if (fetch) {
      await this.git(['fetch', '--quiet', '--prune', '--tags', 'origin'], dir);
    }
    return dir;
  }

  private async has(repo: string, commit: string): Promise<boolean> {
    return this.git(['cat-file', '-e', `${commit}^{commit}`], repo).then(
      () => true,
      () => false,
    );
  }

  /** Keeps the newest working trees, the one in use among them. */
  private prune(inUse: string): void {
    const dir = path.dirname(inUse);
    const keep = this.opts.keepCheckouts ?? 5;
    const trees = fs
      .readdirSync(dir)
      .filter((d) => !d.includes('.tmp-'))
      .map((d) => path.join(dir, d))
      .filter((d) => d !== inUse)
      .sort((a, b) => fs.statSync(b).mtimeMs - fs.statSync(a).mtimeMs);
    for (const old of trees.slice(Math.max(0, keep - 1))) fs.rmSync(old, { recursive: true, force: true });
  }

  private serial<T>(url: string, fn: () => Promise<T>): Promise<T> {
    const k = key(url);
    const next = (this.locks.get(k) ?? Promise.resolve()).catch(() => undefined).then(fn);
    this.locks.set(k, next);
    return next;
  }

  private git(args: string[], cwd?: string): Promise<string> {
    return new Promise((resolve, reject) => {
      execFile(
        'git',
        cwd ? ['-C', cwd, ...args] : args,
        {
          timeout: this.opts.timeoutMs ?? 5 * 60_000,
          maxBuffer: 16 * 1024 * 1024,
          env: {
            ...this.env,
            GIT_TERMINAL_PROMPT: '0',
            GIT_ASKPASS: 'echo',
            GIT_SSH_COMMAND: 'ssh -o BatchMode=yes',
          },
        },
        (error, stdout, stderr) => {
          if (!error) return resolve(stdout.trim());
          if ((error as NodeJS.ErrnoException).code === 'ENOENT')
            return reject(
              new UnavailableError('git is not installed on this machine; install it to run git sources'),
            );
          reject(new GitError(`git ${args[0]} failed: ${redact(stderr.trim() || error.message)}`));
        },
      );
    });
  }
}

/** Stable directory name of a repository URL. */
const key = (url: string) => createHash('sha256').update(url).digest('hex').slice(0, 16);

/** A URL with its password or token hidden, for messages. */
export const redact = (s: string) => s.replace(/\/\/([^/@\s:]+):([^/@\s]+)@/g, '//$1:***@');
