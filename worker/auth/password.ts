/**
 * Password hashing with PBKDF2-SHA256 from WebCrypto, a random salt per user.
 * Workers cap PBKDF2 at 100,000 iterations (a higher count is rejected), so
 * that is the count we use; the count is stored per user so it can change.
 * https://developers.cloudflare.com/workers/runtime-apis/web-crypto/#supported-algorithms
 */
import { fromBase64, toBase64 } from "../lib/secrets";

export const PBKDF2_ITERATIONS = 100_000;
const KEY_BITS = 256;

export interface StoredPassword {
  hash: string;
  salt: string;
  iterations: number;
}

async function derive(password: string, salt: Uint8Array, iterations: number): Promise<Uint8Array> {
  const key = await crypto.subtle.importKey("raw", new TextEncoder().encode(password), "PBKDF2", false, ["deriveBits"]);
  const bits = await crypto.subtle.deriveBits({ name: "PBKDF2", hash: "SHA-256", salt, iterations }, key, KEY_BITS);
  return new Uint8Array(bits);
}

export async function hashPassword(password: string): Promise<StoredPassword> {
  const salt = crypto.getRandomValues(new Uint8Array(16));
  const hash = await derive(password, salt, PBKDF2_ITERATIONS);
  return { hash: toBase64(hash), salt: toBase64(salt), iterations: PBKDF2_ITERATIONS };
}

export async function verifyPassword(password: string, stored: StoredPassword): Promise<boolean> {
  const expected = fromBase64(stored.hash);
  const actual = await derive(password, fromBase64(stored.salt), stored.iterations);
  return actual.byteLength === expected.byteLength && crypto.subtle.timingSafeEqual(actual, expected);
}

/**
 * Spends the same work as a real check for an email with no account, so the
 * answer time does not tell whether the email is registered.
 */
const DUMMY: StoredPassword = { hash: toBase64(new Uint8Array(32)), salt: toBase64(new Uint8Array(16)), iterations: PBKDF2_ITERATIONS };
export async function burnPasswordCheck(password: string): Promise<false> {
  await verifyPassword(password, DUMMY);
  return false;
}
