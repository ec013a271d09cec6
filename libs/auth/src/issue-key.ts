import { ApiKeyRepository, UserRepository, type SqlExecutor } from '@verdict/db';
import { newApiKey, sha256 } from './secrets';

/**
 * An API key for a user by username, made directly in the database: for tools that start a
 * server themselves (tests, benchmarks) and for `verdict db` commands run where the database is.
 */
export async function issueApiKey(
  db: SqlExecutor,
  username: string,
  name = 'issued',
  opts: { workspaceId?: string | null; scopes?: string[] } = {},
): Promise<string> {
  const user = await new UserRepository(db).findByUsername(username);
  if (!user) throw new Error(`no user "${username}"`);
  const { key, prefix } = newApiKey();
  await new ApiKeyRepository(db).create({
    userId: user.id,
    workspaceId: opts.workspaceId ?? null,
    name,
    prefix,
    keyHash: sha256(key),
    scopes: opts.scopes ?? [],
    expiresAt: null,
  });
  return key;
}
