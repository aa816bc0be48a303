/**
 * Fixed-window counters of failed attempts in D1, keyed per account and per
 * address. Only failures count, so a user who signs in correctly is never
 * slowed down by their own success.
 */

export interface Limit {
  key: string;
  max: number;
  windowMs: number;
}

const MINUTE = 60_000;

export const signInLimits = (email: string, address: string): Limit[] => [
  { key: `account:${email}`, max: 5, windowMs: 15 * MINUTE },
  { key: `address:${address}`, max: 20, windowMs: 15 * MINUTE },
];

// Generous: a whole class often signs up at once from one school network (one address).
export const signUpLimits = (address: string): Limit[] => [{ key: `signup:${address}`, max: 100, windowMs: 60 * MINUTE }];

/** Milliseconds until every limit allows another attempt; 0 when allowed now. */
export async function blockedFor(db: D1Database, limits: Limit[], now: number): Promise<number> {
  let wait = 0;
  for (const limit of limits) {
    const row = await db
      .prepare("SELECT window_start, failures FROM login_failures WHERE key = ?")
      .bind(limit.key)
      .first<{ window_start: number; failures: number }>();
    if (row && now - row.window_start < limit.windowMs && row.failures >= limit.max) {
      wait = Math.max(wait, row.window_start + limit.windowMs - now);
    }
  }
  return wait;
}

/** Counts one attempt against every limit (a new window starts when the old one is over). */
export async function countAttempt(db: D1Database, limits: Limit[], now: number): Promise<void> {
  await db.batch(
    limits.map((limit) =>
      db
        .prepare(
          `INSERT INTO login_failures (key, window_start, failures) VALUES (?1, ?2, 1)
           ON CONFLICT (key) DO UPDATE SET
             failures = CASE WHEN ?2 - window_start >= ?3 THEN 1 ELSE failures + 1 END,
             window_start = CASE WHEN ?2 - window_start >= ?3 THEN ?2 ELSE window_start END`,
        )
        .bind(limit.key, now, limit.windowMs),
    ),
  );
}

export async function clearAttempts(db: D1Database, key: string): Promise<void> {
  await db.prepare("DELETE FROM login_failures WHERE key = ?").bind(key).run();
}

/** The caller's address as Cloudflare reports it; one shared bucket where there is none (local runs). */
export function clientAddress(headers: Headers): string {
  return headers.get("CF-Connecting-IP") ?? "local";
}
