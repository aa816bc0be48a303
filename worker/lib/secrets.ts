/** Random capabilities and their stored digests. Only digests ever reach storage. */

const ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";

/** A random id for links and keys; 10 symbols of 57 ≈ 58 bits, far beyond guessing by scan. */
export function newId(length = 10): string {
  // Rejection sampling keeps every symbol equally likely (256 % 57 ≠ 0).
  const limit = 256 - (256 % ALPHABET.length);
  let id = "";
  while (id.length < length) {
    for (const byte of crypto.getRandomValues(new Uint8Array(length * 2))) {
      if (byte < limit && id.length < length) id += ALPHABET[byte % ALPHABET.length];
    }
  }
  return id;
}

/** 256 random bits, base64url: a bearer capability (the teacher link). */
export function newToken(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  return toBase64(bytes).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/** Standard base64 of raw bytes (for salts and hashes stored as text). */
export function toBase64(bytes: Uint8Array): string {
  return btoa(String.fromCharCode(...bytes));
}

export function fromBase64(text: string): Uint8Array {
  return Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
}

export async function sha256Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** Compares a presented token with a stored digest without leaking where they differ. */
export async function tokenMatches(presented: string, storedHex: string): Promise<boolean> {
  const a = new TextEncoder().encode(await sha256Hex(presented));
  const b = new TextEncoder().encode(storedHex);
  return a.byteLength === b.byteLength && crypto.subtle.timingSafeEqual(a, b);
}
