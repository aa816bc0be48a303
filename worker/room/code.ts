/**
 * Code in the room: RUN (in the sandboxed runner Worker, never on the room's
 * own thread, within a per-user quota across rooms) and SHARE (stored, then
 * sent: a student's to the staff, the teacher's to every student).
 */
import { RunOutput, type DocMark, type RequestOf } from "../../protocol";
import { RUNNER_ANSWER_MAX_BYTES, readAnswerCapped } from "../lib/read-capped";
import { newId } from "../lib/secrets";
import type { Caller, Outcome } from "./actions";
import { reject, shareAudience, type Participant, type Rejection } from "./rules";
import type { RoomSockets } from "./sockets";
import type { RoomStore } from "./storage";

/**
 * A run is stopped by its interrupt budget within about 2 s, and the runner
 * Worker's CPU limit (5 s, worker/runner/wrangler.toml) ends anything the
 * budget misses; an answer later than this is not coming, and the student
 * should be free to run again.
 */
export const RUNNER_TIMEOUT_MS = 15_000;

/**
 * Per user, across every room and connection: programs running at once, and
 * programs started in the last minute. The per-connection limits alone would
 * let one account keep an endless loop going in every room it opens.
 */
export const RUN_QUOTA = { atOnce: 2, perMinute: 30, windowMs: 60_000 } as const;

/** code_runs rows older than this count for no limit: the hourly sweep deletes them (worker/auth/sweep.ts). */
export const CODE_RUNS_KEPT_MS = RUN_QUOTA.windowMs;

const seconds = (ms: number) => Math.max(1, Math.ceil(ms / 1000));

/**
 * Takes one of `userId`'s run slots, or says which limit refuses it. Rooms
 * are separate Durable Objects, so the count is in D1; the check and the
 * insert are one statement, and D1 runs one statement at a time, so of many
 * parallel runs only as many as the quota allows get a row. A run with no
 * finished_at counts as running only until the room's deadline for its
 * answer: a room that crashed mid-run holds no slot for ever.
 */
async function takeRunSlot(db: D1Database, userId: string, now: number): Promise<{ ok: true; id: string } | Rejection> {
  const id = newId(16);
  const taken = await db
    .prepare(
      `INSERT INTO code_runs (id, user_id, started_at)
       SELECT ?1, ?2, ?3
       WHERE (SELECT COUNT(*) FROM code_runs WHERE user_id = ?2 AND started_at > ?3 - ?4 AND finished_at IS NULL) < ?5
         AND (SELECT COUNT(*) FROM code_runs WHERE user_id = ?2 AND started_at > ?3 - ?6) < ?7`,
    )
    .bind(id, userId, now, RUNNER_TIMEOUT_MS, RUN_QUOTA.atOnce, RUN_QUOTA.windowMs, RUN_QUOTA.perMinute)
    .run();
  if (taken.meta.changes === 1) return { ok: true, id };
  // Refused: read which limit, and when it frees a slot (only now, so a run that passes costs one statement).
  const usage = await db
    .prepare(
      `SELECT COUNT(*) AS recent, MIN(started_at) AS oldest,
              MIN(CASE WHEN finished_at IS NULL AND started_at > ?2 - ?3 THEN started_at END) AS oldest_running
       FROM code_runs WHERE user_id = ?1 AND started_at > ?2 - ?4`,
    )
    .bind(userId, now, RUNNER_TIMEOUT_MS, RUN_QUOTA.windowMs)
    .first<{ recent: number; oldest: number | null; oldest_running: number | null }>();
  if (usage && usage.recent >= RUN_QUOTA.perMinute && usage.oldest !== null) {
    return reject("RATE_LIMITED", `At most ${RUN_QUOTA.perMinute} runs a minute: try again in ${seconds(usage.oldest + RUN_QUOTA.windowMs - now)} s.`);
  }
  const frees = usage?.oldest_running != null ? usage.oldest_running + RUNNER_TIMEOUT_MS - now : 0;
  return reject(
    "RATE_LIMITED",
    `You already have ${RUN_QUOTA.atOnce} programs running (here or in another room); try again in ${seconds(frees)} s, or once one has finished.`,
  );
}

export class RoomCode {
  /** Sockets with a RUN in flight: one program at a time per connection. */
  private readonly running = new WeakSet<WebSocket>();

  constructor(
    private readonly store: RoomStore,
    private readonly sockets: RoomSockets,
    private readonly runner: Env["RUNNER"],
    /** Where the run quota is counted (code_runs). */
    private readonly db: D1Database,
    /** Marks a run or a share on the timeline of the person's live editor, at its version when it started (docs.ts). */
    private readonly marker: (who: Participant) => (kind: DocMark["kind"], now: number) => void,
  ) {}

  readonly run = async ({ ws, self, now }: Caller, message: RequestOf<"RUN">): Promise<Outcome> => {
    if (this.running.has(ws)) return reject("RUN_BUSY", "Your previous program is still running.");
    this.running.add(ws);
    const mark = this.marker(self);
    let slot: { ok: true; id: string } | Rejection;
    let output: RunOutput | null;
    try {
      slot = await takeRunSlot(this.db, self.userId, now).catch((error: unknown) => {
        console.error("room: run quota unreadable", error);
        return reject("RUN_UNAVAILABLE", "The code runner is not available right now; try again.");
      });
      if (!slot.ok) return slot;
      output = await this.execute(message);
    } finally {
      this.running.delete(ws);
    }
    if (output) {
      this.sockets.send(ws, { responseType: "RUN", room: this.sockets.roster().view(this.store.roomId()), payload: output });
      mark(output.error === null && !output.timedOut ? "run-ok" : "run-error", Date.now());
    }
    // After the answer is on its way: the student waits for the program, not for this write.
    await this.db
      .prepare("UPDATE code_runs SET finished_at = ? WHERE id = ?")
      .bind(Date.now(), slot.id)
      .run()
      .catch((error: unknown) => console.error("room: run not marked finished (its slot frees at the deadline)", error));
    if (!output) return reject("RUN_UNAVAILABLE", "The code runner is not available right now; try again.");
  };

  /** The program's output, or null when the runner did not answer in time, within the byte limit, or with a RunOutput. */
  private async execute(message: RequestOf<"RUN">): Promise<RunOutput | null> {
    try {
      // The runner is another Worker: awaiting it leaves this room free to
      // serve everyone else while the program runs.
      const answer = await readAnswerCapped(this.runner.run({ code: message.payload.code, language: message.payload.language }), {
        maxBytes: RUNNER_ANSWER_MAX_BYTES,
        timeoutMs: RUNNER_TIMEOUT_MS,
      });
      const checked = RunOutput.safeParse(answer);
      if (checked.success) return checked.data;
      console.error("room: runner answered something other than a RunOutput");
    } catch (error) {
      console.error("room: runner unreachable, too slow or too large", error);
    }
    return null;
  }

  readonly share = ({ ws, self, now }: Caller, message: RequestOf<"SHARE">): Outcome => {
    const code = message.payload.shared_code;
    const seq =
      self.role === "Student" ? this.store.saveStudentCode(self.userId, self.username, code, now) : this.store.saveTeacherCode(code, now);
    // Sent after the write: the output gate holds these frames until it is
    // durable, so the echo to the sender is an acknowledgement of storage.
    const audience = shareAudience(self.role);
    this.sockets.broadcast(
      {
        responseType: "SHARE",
        room: this.sockets.roster().view(this.store.roomId()),
        payload: { shared_code: code, from: self.username, role: self.role, sharedAt: now },
        seq,
      },
      (p, to) => to === ws || p.role === audience,
    );
    this.marker(self)("share", now);
  };
}
