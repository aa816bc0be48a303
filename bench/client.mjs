// The bench's classroom client: one WebSocket per participant, the same code
// for ThirdSpace, the Durable Object floor and the Node `ws` relay, so any
// difference between them is the server's.
//
// It reads only what every server sends alike: frame types, `seq`, JOIN
// answers (a JOIN without `payload.username`, with the name the room calls
// this account in `payload.you`), live-document frames and the payloads it
// sent itself. Never the room view's roster or shared code, which change shape.
import { performance } from "node:perf_hooks";
import { setTimeout as sleep } from "node:timers/promises";
import WebSocket from "ws";
import { createRoom } from "./accounts.mjs";

const SETUP_TIMEOUT_MS = 15_000;

export class Participant {
  /** Opens a socket to `roomId` as `account` ({ name, cookie }); resolves once it is open. */
  static async connect(target, roomId, account) {
    // No compression on either side: every server must send the same bytes.
    const ws = new WebSocket(`${target.ws}/api/rooms/${encodeURIComponent(roomId)}/ws`, {
      perMessageDeflate: false,
      headers: { cookie: account.cookie },
    });
    const p = new Participant(ws, roomId, account.name);
    try {
      await p.waitFor(() => ws.readyState === WebSocket.OPEN, `${account.name}: socket did not open`);
    } catch (error) {
      p.closing = true;
      ws.terminate(); // nobody else holds this socket: it must not linger half-open
      throw error;
    }
    return p;
  }

  constructor(ws, roomId, username) {
    this.ws = ws;
    this.roomId = roomId;
    this.username = username;
    this.joined = false;
    this.joinedAt = null; // when the JOIN answer arrived (performance.now())
    this.you = username; // the name the room calls this account, from the JOIN answer
    this.joinSeq = 0; // highest JOIN seq seen: tells when all join notices are drained
    this.lastRun = null;
    this.lastFrameBytes = 0;
    this.onShare = null; // (frame, receivedAt) => void, set while measuring
    this.onChat = null;
    this.onDoc = null; // (frame, receivedAt) => void for DOC_SNAPSHOT and DOC_UPDATES
    this.onProblem = null; // (Error) => void, set while measuring
    this.waiters = new Set();
    ws.on("message", (data) => {
      // Taken before parsing, so a slow JSON.parse is not charged to the
      // server; parsing still delays the *next* frame.
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
      case "DOC_UPDATES":
      case "DOC_SNAPSHOT":
        this.onDoc?.(frame, receivedAt);
        break; // a subscriber may be waiting for its snapshots
      case "JOIN":
        if (frame.payload.username === undefined && !this.joined) {
          this.joined = true;
          this.joinedAt = receivedAt;
          this.you = frame.payload.you ?? this.username;
        }
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
    this.failed ??= error;
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

  /** Sends JOIN (without waiting). */
  sendJoin(role, token) {
    this.send({ action: "JOIN", role, payload: { roomId: this.roomId, role, ...(token ? { token } : {}) } });
  }

  async join(role, token, timeoutMs) {
    this.sendJoin(role, token);
    await this.waitFor(() => this.joined, `${this.username}: no JOIN answer`, timeoutMs);
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

/** Closes every participant; used at the end of each measurement. */
export const closeAll = (participants) => Promise.all(participants.map((p) => p.close()));

/** Waits until every participant has seen the latest JOIN notice: frames on a socket arrive in order, so all before it too. */
export async function drainJoins(everyone) {
  const lastSeq = Math.max(...everyone.map((p) => p.joinSeq));
  await Promise.all(everyone.map((p) => p.waitFor(() => p.joinSeq >= lastSeq, `${p.username}: join notices not drained`)));
}

/**
 * Opens a room on `target` with its pool's teacher and the first `students`
 * pool students, every join notice drained. Joins go in small batches: a burst
 * of 500 upgrades is the join storm's subject, not this helper's.
 */
export async function classroom(target, students, batchSize = 10) {
  const { pool } = target;
  if (pool.students.length < students) throw new Error(`${target.name}: ${students} students wanted, ${pool.students.length} signed up`);
  const { roomId, teacherToken } = await createRoom(target, pool.teacher);
  const everyone = [];
  try {
    const teacher = await Participant.connect(target, roomId, pool.teacher);
    everyone.push(teacher);
    await teacher.join("Teacher", teacherToken);
    for (let i = 0; i < students; i += batchSize) {
      const batch = pool.students.slice(i, Math.min(students, i + batchSize));
      await Promise.all(
        batch.map(async (account) => {
          const p = await Participant.connect(target, roomId, account);
          everyone.push(p);
          await p.join("Student");
        }),
      );
    }
    await drainJoins(everyone);
    return { roomId, teacherToken, teacher, students: everyone.slice(1), everyone };
  } catch (error) {
    await closeAll(everyone);
    throw error;
  }
}
