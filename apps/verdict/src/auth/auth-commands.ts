import fs from 'node:fs';
import os from 'node:os';
import type { Command } from 'commander';
import { loadCliConfig } from '@verdict/config';
import { ApiClient } from '../client/api-client';
import { Credentials } from '../client/credentials';
import type { Output } from '../output';

interface Me {
  username: string;
  email: string;
  role: string;
  via: string;
  workspaces: { slug: string; role: string | null }[];
}

/** Reads a secret from stdin (for --api-key - or a password not given on the command line). */
function readStdin(): string {
  return fs.readFileSync(0, 'utf8').trim();
}

/** `verdict login`, `verdict logout`, `verdict whoami`: credentials for a server, kept per server URL. */
export function registerAuthCommands(program: Command, out: Output): void {
  const server = () =>
    (program.opts<{ server?: string }>().server ?? loadCliConfig().url).replace(/\/+$/, '');

  program
    .command('login')
    .description(
      'Sign in to a server and keep an API key for it (in ~/.config/verdict/credentials.json, readable only by you): --api-key KEY (or - to read it from stdin), or --username NAME with --password (or the password on stdin) to create one',
    )
    .option('--api-key <key>', 'an API key made with POST /api/v1/api-keys ("-": read it from stdin)')
    .option('--username <name>', 'sign in with this username or email and create an API key for this machine')
    .option('--password <password>', 'with --username (default: read from stdin)')
    .action(async (opts: { apiKey?: string; username?: string; password?: string }) => {
      const config = loadCliConfig();
      const url = server();
      // --api-key is also the program's own option (for every command): take it from either.
      const given = opts.apiKey ?? program.opts<{ apiKey?: string }>().apiKey;
      let key = given === '-' ? readStdin() : given;
      if (!key && !opts.username)
        throw new Error('give --api-key KEY, or --username NAME (with --password, or the password on stdin)');
      if (!key) {
        const password = opts.password ?? readStdin();
        const anonymous = new ApiClient(url);
        const session = await anonymous.request<{ token: string }>('POST', '/auth/login', {
          login: opts.username,
          password,
        });
        const withSession = new ApiClient(url, undefined, undefined, session.token);
        const created = await withSession.request<{ key: string }>('POST', '/api-keys', {
          name: `verdict cli on ${os.hostname()}`,
        });
        key = created.key;
        await withSession.request('POST', '/auth/logout');
      }
      const me = await new ApiClient(url, undefined, undefined, key).request<Me>('GET', '/auth/me');
      new Credentials(config.credentialsFile).save(url, key, me.username);
      out.result({ server: url, username: me.username, role: me.role, workspaces: me.workspaces }, () =>
        [
          `signed in to ${url} as ${me.username} (${me.role})`,
          `workspaces: ${me.workspaces.map((w) => `${w.slug} (${w.role ?? 'admin'})`).join(', ') || 'none yet'}`,
        ].join('\n'),
      );
    });

  program
    .command('logout')
    .description(
      "Forget this server's saved API key (revoke it on the server with DELETE /api/v1/api-keys/{id})",
    )
    .action(() => {
      const url = server();
      const forgot = new Credentials(loadCliConfig().credentialsFile).forget(url);
      out.result({ server: url, forgotten: forgot }, () =>
        forgot ? `forgot the key for ${url}` : `no key was saved for ${url}`,
      );
    });

  program
    .command('whoami')
    .description('Who the saved credentials (or VERDICT_API_KEY) sign in as')
    .action(async () => {
      const config = loadCliConfig();
      const url = server();
      const key =
        program.opts<{ apiKey?: string }>().apiKey ??
        config.apiKey ??
        new Credentials(config.credentialsFile).get(url)?.apiKey;
      const me = await new ApiClient(url, undefined, undefined, key).request<Me>('GET', '/auth/me');
      out.result(me, () => `${me.username} <${me.email}> ${me.role} via ${me.via} on ${url}`);
    });
}
