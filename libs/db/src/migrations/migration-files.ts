import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { MigrationError } from '../errors';

export interface MigrationFile {
  version: number;
  name: string;
  up: string;
  down: string;
  /** SHA-256 of the up script: an applied migration must never change. */
  checksum: string;
}

/** The migrations shipped with this library: NNNN_name.up.sql and NNNN_name.down.sql pairs. */
export const DEFAULT_MIGRATIONS_DIR =
  // beside the sources, or copied beside a bundled app (tools/build-app.mjs)
  [path.resolve(__dirname, '../../migrations'), path.join(__dirname, 'migrations')].find((d) =>
    fs.existsSync(d),
  ) ?? path.resolve(__dirname, '../../migrations');

const FILE = /^(\d{4})_([a-z0-9_]+)\.(up|down)\.sql$/;

export function readMigrations(dir = DEFAULT_MIGRATIONS_DIR): MigrationFile[] {
  const byVersion = new Map<number, Partial<MigrationFile> & { version: number; name: string }>();
  for (const file of fs.readdirSync(dir).sort()) {
    const m = FILE.exec(file);
    if (!m) continue;
    const version = Number(m[1]);
    const entry = byVersion.get(version) ?? { version, name: m[2] };
    if (entry.name !== m[2])
      throw new MigrationError(`Two migrations share version ${m[1]}: ${entry.name} and ${m[2]}`);
    entry[m[3] as 'up' | 'down'] = fs.readFileSync(path.join(dir, file), 'utf8');
    byVersion.set(version, entry);
  }
  return [...byVersion.values()]
    .sort((a, b) => a.version - b.version)
    .map((e) => {
      if (e.up === undefined || e.down === undefined) {
        throw new MigrationError(
          `Migration ${String(e.version).padStart(4, '0')}_${e.name} needs both .up.sql and .down.sql in ${dir}`,
        );
      }
      return {
        version: e.version,
        name: e.name,
        up: e.up,
        down: e.down,
        checksum: createHash('sha256').update(e.up).digest('hex'),
      };
    });
}
