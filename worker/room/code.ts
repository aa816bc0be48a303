/**
 * Code in the room: RUN (in the sandboxed runner Worker, never on the room's
 * own thread, within a per-user quota across rooms) and SHARE (stored, then
 * sent: a student's to the staff, the teacher's to every student).
 */
import type { DocMark, RequestOf } from "../../protocol";
import { runWithQuota, type StartedRun } from "../lib/run-code";
import type { Caller, Outcome } from "./actions";
import { reject, shareAudience, type Participant, type Rejection } from "./rules";
import type { RoomSockets } from "./sockets";
import type { RoomStore } from "./storage";

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
    let run: StartedRun | Rejection;
    try {
      run = await runWithQuota(this.db, this.runner, self.userId, message.payload, now);
    } finally {
      this.running.delete(ws);
    }
    if (!("output" in run)) return run;
    this.sockets.send(ws, { responseType: "RUN", room: this.sockets.roster().view(this.store.roomId()), payload: run.output });
    mark(run.output.error === null && !run.output.timedOut ? "run-ok" : "run-error", Date.now());
    // After the answer is on its way: the student waits for the program, not for this write.
    await run.finish();
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
    this.marker(self)("share", now);
  };
}
