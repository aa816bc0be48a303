// Join storm: a whole class arriving at once. `students` students open a
// socket and JOIN one room within `windowMs`, starts spread evenly over the
// window (as a class does when the bell rings, not as one synchronous burst).
// Reports when the last one was in (had its JOIN answer), per-join latency and
// errors. Accounts come from the pool signed up earlier: no sign-up happens
// inside the window.
//
// With `rss` (a () => bytes reader for the server process), the same joined
// room then gives the memory figure: RSS with only the teacher in, and again
// once all the students sit idle in the room, divided by the students.
import { performance } from "node:perf_hooks";
import { setTimeout as sleep } from "node:timers/promises";
import { createRoom } from "./accounts.mjs";
import { Participant, closeAll, drainJoins } from "./client.mjs";
import { perConnection } from "./proc.mjs";
import { summarize } from "./stats.mjs";

const JOIN_TIMEOUT_MS = 30_000;
/** Idle time before the second RSS reading, so the server has finished sending the storm's notices. */
const SETTLE_MS = 2_000;

export async function joinStorm(target, { students, windowMs, rss }) {
  const { pool } = target;
  if (pool.students.length < students) throw new Error(`${target.name}: ${students} students wanted, ${pool.students.length} signed up`);
  const { roomId, teacherToken } = await createRoom(target, pool.teacher);
  const teacher = await Participant.connect(target, roomId, pool.teacher);
  const everyone = [teacher];
  const errors = [];
  try {
    await teacher.join("Teacher", teacherToken);
    await sleep(500); // let the room settle so the "before" reading is not mid-join
    const rssBefore = rss?.();

    const delays = [];
    const start = performance.now();
    const joinedAt = await Promise.all(
      pool.students.slice(0, students).map(async (account, i) => {
        await sleep(start + (i * windowMs) / students - performance.now());
        const begun = performance.now();
        try {
          const p = await Participant.connect(target, roomId, account);
          everyone.push(p);
          await p.join("Student", undefined, JOIN_TIMEOUT_MS);
          delays.push(p.joinedAt - begun);
          return p.joinedAt;
        } catch (error) {
          errors.push(error.message);
          return null;
        }
      }),
    );
    const joined = joinedAt.filter((t) => t !== null);
    const result = {
      students,
      windowMs,
      joined: joined.length,
      errors: errors.length,
      // From the first student's start to the last JOIN answer.
      allInMs: joined.length ? Math.round(Math.max(...joined) - start) : null,
      joinLatency: summarize(delays),
      ...(errors.length ? { firstErrors: [...new Set(errors)].slice(0, 3) } : {}),
    };

    if (rss) {
      const open = everyone.filter((p) => !p.failed);
      await drainJoins(open).catch(() => {}); // a straggler shows in `errors` already; the reading goes on
      await sleep(SETTLE_MS);
      // Sockets dropped while idle are errors too: what is measured must be connections that stay.
      const dropped = everyone.filter((p) => p.failed && p.joined).length;
      if (dropped) result.droppedWhileIdle = dropped;
      result.memory = perConnection(rssBefore, rss(), result.joined - dropped);
    }
    return result;
  } finally {
    await closeAll(everyone);
  }
}
