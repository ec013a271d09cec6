import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import bcrypt from 'bcryptjs';

/** bcrypt's cost: about a quarter of a second per hash here, on purpose. */
const COST = 12;
/** Compared against when the user does not exist, so a login takes as long either way. */
const DUMMY_HASH = bcrypt.hashSync('verdict-no-such-user', COST);

export const hashPassword = (password: string) => bcrypt.hash(password, COST);

export async function verifyPassword(password: string, hash: string | null): Promise<boolean> {
  const ok = await bcrypt.compare(password, hash ?? DUMMY_HASH);
  return ok && hash !== null;
}

/** SHA-256, hex: what is kept of session tokens and API keys (both are long random strings). */
export const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

export const newSessionToken = () => `vs_${randomBytes(32).toString('base64url')}`;

/** An API key: "vk_" + 8 characters shown in lists + 32 random bytes. */
export function newApiKey(): { key: string; prefix: string } {
  const prefix = randomBytes(6).toString('base64url').slice(0, 8);
  return { key: `vk_${prefix}_${randomBytes(32).toString('base64url')}`, prefix };
}

/** Constant-time comparison of two strings (signatures, tokens). */
export function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
