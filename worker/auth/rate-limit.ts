/**
 * Fixed-window counters of attempts in D1. An attempt is counted before the
 * password is checked, in the one statement that reads the count, so
 * requests sent in parallel cannot all slip under the limit while the slow
 * hash runs; a sign-in that succeeds takes its attempt back.
 *
 * Sign-in limits are per account *and address*, so a stranger's guesses
 * never lock the owner out from their own network; per address across
 * accounts (an IPv6 client is its /64: it usually holds the whole block);
 * and, more slowly, per account from addresses that have not signed in to it
 * before, which bounds guessing spread over many addresses.
 */

export interface Limit {
  key: string;
  max: number;
  windowMs: number;
}

const MINUTE = 60_000;
/** An address that signed in to an account is trusted by it this long. */
export const TRUSTED_MS = 30 * 24 * 60 * MINUTE;

export const signInLimits = (email: string, address: string, trusted: boolean): Limit[] => [
  { key: `pair:${email}:${address}`, max: 5, windowMs: 15 * MINUTE },
  { key: `address:${address}`, max: 20, windowMs: 15 * MINUTE },
  ...(trusted ? [] : [{ key: `account:${email}`, max: 100, windowMs: 60 * MINUTE }]),
];

// Generous: a whole class often signs up at once from one school network (one address).
export const signUpLimits = (address: string): Limit[] => [{ key: `signup:${address}`, max: 100, windowMs: 60 * MINUTE }];

/** Past the longest window a counter would start again from 1, so a row that old is the same as none. */
export const LONGEST_WINDOW_MS = Math.max(...[...signInLimits("", "", false), ...signUpLimits("")].map((limit) => limit.windowMs));

/**
 * Counts one attempt against every limit and answers the milliseconds until
 * all of them allow it, 0 when it may go ahead now. Each count is taken and
 * read in one statement (RETURNING), so parallel attempts get 1, 2, 3, ….
 */
export async function takeAttempt(db: D1Database, limits: Limit[], now: number): Promise<number> {
  const rows = await db.batch<{ window_start: number; failures: number }>(
    limits.map((limit) =>
      db
        .prepare(
          `INSERT INTO login_failures (key, window_start, failures) VALUES (?1, ?2, 1)
           ON CONFLICT (key) DO UPDATE SET
             failures = CASE WHEN ?2 - window_start >= ?3 THEN 1 ELSE failures + 1 END,
             window_start = CASE WHEN ?2 - window_start >= ?3 THEN ?2 ELSE window_start END
           RETURNING window_start, failures`,
        )
        .bind(limit.key, now, limit.windowMs),
    ),
  );
  let wait = 0;
  limits.forEach((limit, i) => {
    const row = rows[i]?.results[0];
    if (row && row.failures > limit.max) wait = Math.max(wait, row.window_start + limit.windowMs - now);
  });
  return wait;
}

/** A sign-in that succeeded: its attempts do not count, and its address is trusted by the account. */
export async function signedIn(db: D1Database, email: string, address: string, now: number): Promise<void> {
  await db.batch([
    db.prepare("DELETE FROM login_failures WHERE key = ?").bind(`pair:${email}:${address}`),
    db.prepare("UPDATE login_failures SET failures = MAX(failures - 1, 0) WHERE key = ?").bind(`address:${address}`),
    db.prepare("UPDATE login_failures SET failures = MAX(failures - 1, 0) WHERE key = ?").bind(`account:${email}`),
    db
      .prepare("INSERT INTO login_failures (key, window_start, failures) VALUES (?1, ?2, 0) ON CONFLICT (key) DO UPDATE SET window_start = ?2")
      .bind(`trusted:${email}:${address}`, now),
  ]);
}

export async function isTrusted(db: D1Database, email: string, address: string, now: number): Promise<boolean> {
  const row = await db.prepare("SELECT window_start FROM login_failures WHERE key = ?").bind(`trusted:${email}:${address}`).first<{ window_start: number }>();
  return row !== null && now - row.window_start < TRUSTED_MS;
}

/** The caller's address as Cloudflare reports it (an IPv6 one as its /64); one shared bucket where there is none (local runs). */
export function clientAddress(headers: Headers): string {
  const ip = headers.get("CF-Connecting-IP");
  if (!ip) return "local";
  return ip.includes(":") ? ipv6Prefix64(ip) : ip;
}

/** The first four groups of an IPv6 address, with `::` expanded: "2001:db8::1" → "2001:db8:0:0::/64". */
export function ipv6Prefix64(ip: string): string {
  const [head = "", tail] = ip.toLowerCase().split("::");
  const left = head ? head.split(":") : [];
  const right = tail ? tail.split(":") : [];
  const groups = tail === undefined ? left : [...left, ...Array(Math.max(0, 8 - left.length - right.length)).fill("0"), ...right];
  return `${groups
    .slice(0, 4)
    .map((g) => g.replace(/^0+(?=.)/, ""))
    .join(":")}::/64`;
}
