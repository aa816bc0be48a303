/**
 * Code in the room: RUN (in the sandboxed runner Worker, never on the room's
 * own thread) and SHARE (stored, then sent: a student's to the staff, the
 * teacher's to every student).
 */
import { RunOutput, type RequestOf } from "../../protocol";
import { RUNNER_ANSWER_MAX_BYTES, readAnswerCapped } from "../lib/read-capped";
import type { Caller, Outcome } from "./actions";
import { reject, shareAudience } from "./rules";
import type { RoomSockets } from "./sockets";
import type { RoomStore } from "./storage";

/**
 * A run is stopped by its interrupt budget within about 2 s, and the runner
 * Worker's CPU limit (5 s, worker/runner/wrangler.toml) ends anything the
 * budget misses; an answer later than this is not coming, and the student
 * should be free to run again.
 */
export const RUNNER_TIMEOUT_MS = 15_000;

export class RoomCode {
  /** Sockets with a RUN in flight: one program at a time per connection. */
  private readonly running = new WeakSet<WebSocket>();

  constructor(
    private readonly store: RoomStore,
    private readonly sockets: RoomSockets,
    private readonly runner: Env["RUNNER"],
  ) {}

  readonly run = async ({ ws }: Caller, message: RequestOf<"RUN">): Promise<Outcome> => {
    if (this.running.has(ws)) return reject("RUN_BUSY", "Your previous program is still running.");
    this.running.add(ws);
    let output: RunOutput | null = null;
    try {
      // The runner is another Worker: awaiting it leaves this room free to
      // serve everyone else while the program runs.
      const answer = await readAnswerCapped(this.runner.run({ code: message.payload.code, language: message.payload.language }), {
        maxBytes: RUNNER_ANSWER_MAX_BYTES,
        timeoutMs: RUNNER_TIMEOUT_MS,
      });
      const checked = RunOutput.safeParse(answer);
      if (checked.success) output = checked.data;
      else console.error("room: runner answered something other than a RunOutput");
    } catch (error) {
      console.error("room: runner unreachable, too slow or too large", error);
    } finally {
      this.running.delete(ws);
    }
    if (!output) return reject("RUN_UNAVAILABLE", "The code runner is not available right now; try again.");
    this.sockets.send(ws, { responseType: "RUN", room: this.sockets.roster().view(this.store.roomId()), payload: output });
  };

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
  };
}
