// Broadcast latency: one teacher SHAREs, N students receive it, over real
// WebSockets. The same client code measures ThirdSpace and the bare `ws`
// baseline, so any difference between the two is the server's.
import { performance } from "node:perf_hooks";
import { setTimeout as sleep } from "node:timers/promises";
import WebSocket from "ws";
import { createRoom, signUp } from "./accounts.mjs";
import { summarize } from "./stats.mjs";

export { createRoom };

const SETUP_TIMEOUT_MS = 15_000;
const SHARE_TIMEOUT_MS = 10_000;

/** One connected client. Keeps the per-frame work small: it runs inside the measured interval of later frames. */
export class Participant {
  /** `target` is { http: "http://127.0.0.1:port", ws: "ws://127.0.0.1:port" }. */
  static async connect(target, roomId, username) {
    const cookie = await signUp(target, username);
    // No compression on either side: workerd and the baseline must send the same bytes.
    const ws = new WebSocket(`${target.ws}/api/rooms/${encodeURIComponent(roomId)}/ws`, {
      perMessageDeflate: false,
      headers: { cookie },
    });
    const p = new Participant(ws, roomId, username);
    await p.waitFor(() => ws.readyState === WebSocket.OPEN, `${username}: socket did not open`);
    return p;
  }

  constructor(ws, roomId, username) {
    this.ws = ws;
    this.roomId = roomId;
    this.username = username;
    this.joinSeq = 0; // highest JOIN seq seen: tells when all join notices are drained
    this.lastRun = null;
    this.onShare = null; // (frame, receivedAt) => void, set while measuring
    this.onProblem = null; // (Error) => void, set while measuring
    this.waiters = new Set();
    ws.on("message", (data) => {
      // Taken before parsing, so a slow JSON.parse of a big room view is not
      // charged to the server; parsing still delays the *next* frame.
      const receivedAt = performance.now();
      this.lastFrameBytes = data.length;
      this.handle(JSON.parse(data.toString()), receivedAt);
    });
    ws.on("open", () => this.check());
    ws.on("error", (e) => this.problem(new Error(`${username}: ${e.message}`)));
    ws.on("close", (code, reason) => this.problem(new Error(`${username}: socket closed (${code} ${reason})`)));
  }

  handle(frame, receivedAt) {
    switch (frame.responseType) {
      case "SHARE":
        this.onShare?.(frame, receivedAt);
        return;
      case "CHAT":
        this.onChat?.(frame, receivedAt);
        return;
      case "JOIN":
        if (frame.payload.username === undefined) this.joined = true;
        this.joinSeq = Math.max(this.joinSeq, frame.seq ?? 0);
        break;
      case "RUN":
        this.lastRun = { frame, receivedAt };
        break;
      case "ERROR":
        return this.problem(new Error(`${this.username}: ${frame.payload.code}: ${frame.payload.error_message}`));
    }
    this.check();
  }

  /** Resolves once `ready()` holds; checked after every frame. Rejects on an ERROR frame, a close or the timeout. */
  waitFor(ready, what, timeoutMs = SETUP_TIMEOUT_MS) {
    if (ready()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const waiter = { ready, resolve, reject };
      waiter.timer = setTimeout(() => {
        this.waiters.delete(waiter);
        reject(new Error(`${what} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.waiters.add(waiter);
    });
  }

  check() {
    for (const w of this.waiters) {
      if (!w.ready()) continue;
      clearTimeout(w.timer);
      this.waiters.delete(w);
      w.resolve();
    }
  }

  problem(error) {
    if (this.closing) return;
    for (const w of this.waiters) {
      clearTimeout(w.timer);
      w.reject(error);
    }
    this.waiters.clear();
    this.onProblem?.(error);
  }

  send(message) {
    this.ws.send(JSON.stringify({ username: this.username, roomId: this.roomId, ...message }));
  }

  async join(role, token) {
    const payload = { roomId: this.roomId, role, ...(token ? { token } : {}) };
    this.send({ action: "JOIN", role, payload });
    await this.waitFor(() => this.joined, `${this.username}: no JOIN answer`);
  }

  close() {
    this.closing = true;
    if (this.ws.readyState === WebSocket.CLOSED) return Promise.resolve();
    const closed = new Promise((resolve) => this.ws.once("close", resolve));
    this.ws.close();
    // A server that never completes the close handshake must not hang the bench.
    return Promise.race([closed, sleep(5_000, undefined, { ref: false }).then(() => this.ws.terminate())]);
  }
}

/** Opens a room with a teacher and `students` students, every join notice drained. */
export async function classroom(target, students, batchSize) {
  const { roomId, teacherToken } = await createRoom(target);
  const everyone = [];
  try {
    const teacher = await Participant.connect(target, roomId, "T");
    everyone.push(teacher);
    await teacher.join("Teacher", teacherToken);
    // Small batches: a burst of 100 upgrades measures connection setup, which is not what this bench is about.
    for (let i = 0; i < students; i += batchSize) {
      const names = Array.from({ length: Math.min(batchSize, students - i) }, (_, k) => `S${i + k}`);
      await Promise.all(
        names.map(async (name) => {
          const p = await Participant.connect(target, roomId, name);
          everyone.push(p);
          await p.join("Student");
        }),
      );
    }
    // Frames on a socket arrive in order, so whoever has seen the last join's seq has seen every notice before it.
    const lastSeq = Math.max(...everyone.map((p) => p.joinSeq));
    await Promise.all(everyone.map((p) => p.waitFor(() => p.joinSeq >= lastSeq, `${p.username}: join notices not drained`)));
    return { roomId, teacher, students: everyone.slice(1), everyone };
  } catch (error) {
    await Promise.all(everyone.map((p) => p.close()));
    throw error;
  }
}

/**
 * Sends `warmup + shares` teacher SHAREs one at a time; each waits until every
 * student has it, so one share's queueing never inflates the next one's figure.
 */
export async function measureBroadcast(target, { students, shares, warmup, gapMs, batchSize }) {
  const room = await classroom(target, students, batchSize);
  const latencies = [];
  let frameBytes = 0;
  let current = null; // the share in flight: { n, sentAt, remaining, resolve, reject, delays }
  const fail = (error) => current?.reject(error);

  for (const p of room.everyone) p.onProblem = fail;
  room.teacher.onShare = () => {}; // the echo is the teacher's storage acknowledgement, not a delivery
  for (const s of room.students) {
    s.lastShare = -1;
    s.onShare = (frame, receivedAt) => {
      const n = Number(/#(\d+)/.exec(frame.payload.shared_code)?.[1]);
      if (!current || n !== current.n || s.lastShare === n) {
        return fail(new Error(`${s.username}: unexpected share #${n} while waiting for #${current?.n}`));
      }
      s.lastShare = n;
      current.delays.push(receivedAt - current.sentAt);
      if (--current.remaining === 0) current.resolve();
    };
  }

  try {
    for (let n = 0; n < warmup + shares; n++) {
      const frame = JSON.stringify({
        username: "T",
        action: "SHARE",
        roomId: room.roomId,
        role: "Teacher",
        payload: { shared_code: `// bench share #${n}\nconsole.log(${n});` },
      });
      const delivered = new Promise((resolve, reject) => {
        current = { n, remaining: students, delays: [], resolve, reject };
      });
      const late = () => fail(new Error(`share #${n}: ${current.remaining} of ${students} students still waiting after ${SHARE_TIMEOUT_MS} ms`));
      const timer = setTimeout(late, SHARE_TIMEOUT_MS);
      current.sentAt = performance.now();
      room.teacher.ws.send(frame);
      try {
        await delivered;
      } finally {
        clearTimeout(timer);
      }
      if (n >= warmup) latencies.push(...current.delays);
      // Shows that both servers send frames of the same size, so the ratio compares like with like.
      frameBytes = room.students[0].lastFrameBytes;
      // A short pause lets the server and this process finish their writes, so shares do not queue behind each other.
      await sleep(gapMs);
    }
  } finally {
    current = null;
    await Promise.all(room.everyone.map((p) => p.close()));
  }
  return { students, shares, frameBytes, ...summarize(latencies) };
}
