import fs from 'node:fs';
import path from 'node:path';
import type { CliConfig } from '@verdict/config';

interface Saved {
  apiKey: string;
  username: string;
  savedAt: string;
}

/** Credentials `verdict login` saved, per server URL, in a file only its owner can read. */
export class Credentials {
  constructor(private readonly file: string) {}

  private read(): Record<string, Saved> {
    try {
      return JSON.parse(fs.readFileSync(this.file, 'utf8')) as Record<string, Saved>;
    } catch {
      return {};
    }
  }

  get(server: string): Saved | undefined {
    return this.read()[server];
  }

  save(server: string, apiKey: string, username: string): void {
    const all = this.read();
    all[server] = { apiKey, username, savedAt: new Date().toISOString() };
    fs.mkdirSync(path.dirname(this.file), { recursive: true, mode: 0o700 });
    fs.writeFileSync(this.file, JSON.stringify(all, null, 2), { mode: 0o600 });
    fs.chmodSync(this.file, 0o600);
  }

  forget(server: string): boolean {
    const all = this.read();
    if (!all[server]) return false;
    delete all[server];
    fs.writeFileSync(this.file, JSON.stringify(all, null, 2), { mode: 0o600 });
    return true;
  }
}

/** The token to send: --api-key, else VERDICT_API_KEY, else what `verdict login` saved for the server. */
export function tokenFor(config: CliConfig, server: string, given?: string): string | undefined {
  return given ?? config.apiKey ?? new Credentials(config.credentialsFile).get(server)?.apiKey;
}
