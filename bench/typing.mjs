// Live typing: a whole class typing in its editors at once, the teacher
// watching some of them as tiles. Each student types a few characters a
// second into its own document (`student:<name>`); the teacher subscribes to
// `tiles` of them. Measures how long a push takes to reach the teacher, how
// long a keystroke waits before the teacher sees it (batching included), and
// whether the room keeps up: per window of the run, latency and keys per push
// stay flat, and every key typed is confirmed once typing stops.
//
// Each editor types the way @codemirror/collab sends: one push in flight;
// keys typed while it is out wait, and all go in the next push (one update
// per key, as each keystroke is a transaction) once the room has confirmed
// the last one. A server that falls behind therefore shows as fuller pushes
// and keystrokes that wait longer, not as a growing pile of pushes.
import { performance } from "node:perf_hooks";
import { setTimeout as sleep } from "node:timers/promises";
import { classroom, closeAll } from "./client.mjs";
import { summarize } from "./stats.mjs";

/** How long the last pushes may take after typing stops before the rest count as lost. */
const DRAIN_TIMEOUT_MS = 10_000;
/** The typing loop's tick: keys fall due every 2 ms on average (100 students x 5/s). */
const TICK_MS = 1;
/** DOC_LIMITS.maxUpdatesPerPush (protocol/docs.ts): more keys than this wait for the next push. */
const MAX_UPDATES_PER_PUSH = 50;
/** What the students type, over and over: ASCII only, so a character is one position, as CodeMirror counts. */
const CODE = "for (let i = 0; i < 10; i++) {\n  console.log(i * i);\n}\n";

/** ChangeSet.toJSON() of `text` inserted at the end of a document of `length` characters (a line break splits the insert). */
export function insertAtEnd(length, text) {
  const insert = [0, ...text.split("\n")];
  return length ? [length, insert] : [insert];
}

/** One student's editor: types into `doc`, one push in flight, confirmed by the room's DOC_UPDATES. */
class Editor {
  constructor(participant, doc, pushes) {
    this.p = participant;
    this.doc = doc;
    this.clientID = `bench-${participant.username}`;
    this.pushes = pushes; // shared log: `${doc}@${version}` -> push record
    this.version = null; // from the snapshot
    this.length = 0;
    this.typed = 0;
    this.pending = []; // typed, not yet sent: performance.now() of each key
    this.inFlight = null;
  }

  type(at) {
    this.pending.push(at);
    this.typed += 1;
    this.send();
  }

  send() {
    if (this.inFlight || !this.pending.length) return;
    const keys = this.pending.splice(0, MAX_UPDATES_PER_PUSH);
    // Everything sent before is confirmed, so the document is `length` characters long and each key lands at its end.
    const updates = keys.map((_, i) => {
      const at = this.length + i;
      return { clientID: this.clientID, changes: insertAtEnd(at, CODE[at % CODE.length]) };
    });
    const push = { doc: this.doc, version: this.version, keys, sentAt: performance.now(), confirmedAt: null, teacherAt: null };
    this.inFlight = push;
    this.pushes.set(`${this.doc}@${this.version}`, push);
    this.p.send({ action: "DOC_PUSH", role: "Student", payload: { doc: this.doc, version: this.version, updates } });
  }

  /** The room's DOC_UPDATES for this editor's document: with a single writer, always the push in flight. */
  receive(frame, receivedAt) {
    const { version, updates } = frame.payload;
    const push = this.inFlight;
    if (!push || version !== push.version || updates.length !== push.keys.length || updates[0]?.clientID !== this.clientID) {
      throw new Error(`${this.p.username}: DOC_UPDATES at version ${version} while ${push ? `version ${push.version}` : "nothing"} was in flight`);
    }
    push.confirmedAt = receivedAt;
    this.version += updates.length;
    this.length += updates.length;
    this.inFlight = null;
    this.send();
  }
}

/** Latencies of the pushes (and their keys) sent in [from, to) ms after the start. */
function figures(pushes, start, from = 0, to = Infinity) {
  const toTeacher = [];
  const keyToTeacher = [];
  const confirm = [];
  let keys = 0;
  let count = 0;
  for (const push of pushes) {
    const t = push.sentAt - start;
    if (t < from || t >= to) continue;
    count += 1;
    keys += push.keys.length;
    if (push.confirmedAt !== null) confirm.push(push.confirmedAt - push.sentAt);
    if (push.teacherAt === null) continue;
    toTeacher.push(push.teacherAt - push.sentAt);
    for (const at of push.keys) keyToTeacher.push(push.teacherAt - at);
  }
  return { pushes: count, keysPerPush: count ? Math.round((keys / count) * 100) / 100 : null, toTeacher, keyToTeacher, confirm };
}

const brief = (samples) => {
  const { p50, p99, max } = summarize(samples);
  return { p50, p99, max };
};

export async function measureTyping(target, { students, tiles, perSecond, seconds, windowSeconds, batchSize }) {
  const room = await classroom(target, students, batchSize);
  const pushes = new Map();
  const problems = [];
  const editors = room.students.map((s) => new Editor(s, `student:${s.you}`, pushes));
  const watched = new Set(editors.slice(0, tiles).map((e) => e.doc));
  let teacherFrames = 0;
  let teacherBytes = 0;
  let strays = 0; // frames to the teacher for no push this run sent: none are expected

  for (const p of room.everyone) p.onProblem = (error) => problems.push(error.message);
  for (const e of editors) {
    e.p.onDoc = (frame, receivedAt) => {
      if (frame.payload.doc !== e.doc) return;
      if (frame.responseType === "DOC_SNAPSHOT") return void (e.version = frame.payload.version);
      try {
        e.receive(frame, receivedAt);
      } catch (error) {
        problems.push(error.message); // that editor stops: its keys show as unconfirmed
      }
    };
  }
  let snapshots = 0;
  room.teacher.onDoc = (frame, receivedAt) => {
    if (frame.responseType === "DOC_SNAPSHOT") return void (snapshots += 1);
    const push = pushes.get(`${frame.payload.doc}@${frame.payload.version}`);
    if (!push || push.teacherAt !== null) return void (strays += 1);
    push.teacherAt = receivedAt;
    teacherFrames += 1;
    teacherBytes += room.teacher.lastFrameBytes;
  };

  const intervalMs = 1000 / perSecond;
  const perStudent = Math.round(perSecond * seconds);
  let start = 0;
  let typingEnded = 0;
  let backlogAtEnd = 0;
  try {
    // Each editor opens its own document, as a student's editor does; the teacher opens the tiles on screen.
    for (const e of editors) e.p.send({ action: "DOC_SUBSCRIBE", role: "Student", payload: { docs: [e.doc] } });
    room.teacher.send({ action: "DOC_SUBSCRIBE", role: "Teacher", payload: { docs: [...watched] } });
    await Promise.all([
      ...editors.map((e) => e.p.waitFor(() => e.version !== null, `${e.p.username}: no DOC_SNAPSHOT of ${e.doc}`)),
      room.teacher.waitFor(() => snapshots >= watched.size, `teacher: ${watched.size - snapshots} of ${watched.size} tile snapshots missing`),
    ]);

    start = performance.now() + 50;
    // Keys evenly spaced per student, the students offset from one another: a steady stream, as a class typing is.
    const due = editors.map((_, i) => start + (i / students) * intervalMs);
    await new Promise((resolve) => {
      const timer = setInterval(() => {
        const now = performance.now();
        let done = true;
        editors.forEach((e, i) => {
          while (e.typed < perStudent && due[i] <= now) {
            e.type(performance.now());
            due[i] += intervalMs;
          }
          if (e.typed < perStudent) done = false;
        });
        if (done) clearInterval(timer), resolve();
      }, TICK_MS);
    });
    typingEnded = performance.now();
    const unconfirmed = () => editors.reduce((n, e) => n + e.pending.length + (e.inFlight?.keys.length ?? 0), 0);
    backlogAtEnd = unconfirmed();
    const tileDone = () => [...pushes.values()].every((p) => p.teacherAt !== null || !watched.has(p.doc));
    while ((unconfirmed() > 0 || !tileDone()) && performance.now() - typingEnded < DRAIN_TIMEOUT_MS) await sleep(20);
  } finally {
    await closeAll(room.everyone);
  }

  const all = [...pushes.values()];
  const confirmed = all.filter((p) => p.confirmedAt !== null);
  const typed = editors.reduce((n, e) => n + e.typed, 0);
  const confirmedKeys = confirmed.reduce((n, p) => n + p.keys.length, 0);
  const tilePushes = all.filter((p) => watched.has(p.doc));
  const lastConfirm = confirmed.reduce((latest, p) => Math.max(latest, p.confirmedAt), 0);
  const whole = figures(all, start);
  const windows = [];
  for (let from = 0; from < seconds; from += windowSeconds) {
    const to = Math.min(seconds, from + windowSeconds);
    const w = figures(all, start, from * 1000, to * 1000);
    const { pushes: count, keysPerPush } = w;
    windows.push({ fromS: from, toS: to, pushes: count, keysPerPush, toTeacher: brief(w.toTeacher), keystrokeToTeacher: brief(w.keyToTeacher) });
  }
  const [first, last] = [windows[0], windows.at(-1)];
  // A backlog delays every key, so it moves the median; a disk stall on a shared machine moves only the tail.
  // Flat: the last window's keystroke p50 within twice the first's, plus 5 ms.
  const flat = last.keystrokeToTeacher.p50 <= 2 * first.keystrokeToTeacher.p50 + 5;
  const allIn = confirmedKeys === typed && tilePushes.every((p) => p.teacherAt !== null);
  return {
    students,
    tiles: watched.size,
    perStudentPerSecond: perSecond,
    seconds,
    typed,
    offeredKeysPerSecond: Math.round((typed / seconds) * 10) / 10,
    pushesSent: all.length,
    pushesConfirmed: confirmed.length,
    keysConfirmed: confirmedKeys,
    keysPerPush: whole.keysPerPush,
    // Keys confirmed per second, first key to last confirmation.
    confirmedKeysPerSecond: lastConfirm ? Math.round((confirmedKeys / ((lastConfirm - start) / 1000)) * 10) / 10 : 0,
    tilePushes: tilePushes.length,
    teacherReceived: teacherFrames,
    teacherFrameBytes: teacherFrames ? Math.round(teacherBytes / teacherFrames) : null,
    ...(strays ? { strayFrames: strays } : {}),
    // Keys typed but not yet confirmed when typing stopped, and how long the room took to confirm them.
    backlogAtEnd,
    drainMs: Math.round(Math.max(0, lastConfirm - typingEnded)),
    errors: problems.length,
    ...(problems.length ? { firstErrors: [...new Set(problems)].slice(0, 3) } : {}),
    keepsUp: allIn && problems.length === 0 && flat,
    // Push sent -> the teacher has the DOC_UPDATES carrying it: the figure the p50/p99 report.
    ...summarize(whole.toTeacher),
    keystrokeToTeacher: summarize(whole.keyToTeacher),
    // Push sent -> the sender's own DOC_UPDATES (every student, not only the tiles).
    confirm: summarize(whole.confirm),
    windows,
  };
}
