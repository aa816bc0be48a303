// Inbound load: every student sends its code to the teacher several times a
// second (a student's SHARE goes to the teacher(s) only), as live editors do.
// Measures what reaches the teacher: messages per second and delivery
// latency, overall and per time window, to show whether it stays flat or
// builds a queue.
import { performance } from "node:perf_hooks";
import { setTimeout as sleep } from "node:timers/promises";
import { classroom, closeAll } from "./client.mjs";
import { summarize } from "./stats.mjs";

/** How long the stragglers may take after the last send before the rest count as lost. */
const DRAIN_TIMEOUT_MS = 10_000;
/** The send loop's tick: sends fall due every 2 ms on average (100 students x 5/s). */
const TICK_MS = 1;

export async function measureInbound(target, { students, perSecond, seconds, windowSeconds, batchSize }) {
  const room = await classroom(target, students, batchSize);
  const perStudent = perSecond * seconds;
  const intervalMs = 1000 / perSecond;
  const sentAts = []; // send time of each delivered message, for the windows
  const delays = [];
  const problems = [];
  let sent = 0;
  let lastDelivery = 0;
  let frameBytes = 0;

  for (const p of room.everyone) p.onProblem = (error) => problems.push(error.message);
  for (const s of room.students) s.onShare = () => {}; // the sender's echo is its acknowledgement, not a delivery
  room.teacher.onShare = (frame, receivedAt) => {
    // The send time travels in the code itself: sender and teacher share this process's clock.
    const sentAt = Number(/@([\d.]+)$/.exec(frame.payload.shared_code)?.[1]);
    if (!Number.isFinite(sentAt)) return;
    sentAts.push(sentAt);
    delays.push(receivedAt - sentAt);
    lastDelivery = receivedAt;
    frameBytes = room.teacher.lastFrameBytes;
  };

  const start = performance.now() + 50;
  try {
    // Each student's sends are evenly spaced, and the students are offset
    // from one another, so the server sees a steady stream, not bursts.
    const next = room.students.map((_, i) => ({ due: start + (i / students) * intervalMs, count: 0 }));
    await new Promise((resolve) => {
      const timer = setInterval(() => {
        const now = performance.now();
        let done = true;
        next.forEach((n, i) => {
          while (n.count < perStudent && n.due <= now) {
            const s = room.students[i];
            const sentAt = performance.now();
            s.send({ action: "SHARE", role: "Student", payload: { shared_code: `// ${s.username} #${n.count}\n@${sentAt.toFixed(3)}` } });
            sent += 1;
            n.count += 1;
            n.due += intervalMs;
          }
          if (n.count < perStudent) done = false;
        });
        if (done) clearInterval(timer), resolve();
      }, TICK_MS);
    });
    const lastSend = performance.now();
    while (delays.length < sent && performance.now() - lastSend < DRAIN_TIMEOUT_MS) await sleep(20);
  } finally {
    await closeAll(room.everyone);
  }

  const windows = [];
  for (let from = 0; from < seconds; from += windowSeconds) {
    const inWindow = delays.filter((_, k) => sentAts[k] - start >= from * 1000 && sentAts[k] - start < (from + windowSeconds) * 1000);
    const { count, p50, p99 } = summarize(inWindow);
    windows.push({ fromS: from, toS: Math.min(seconds, from + windowSeconds), count, p50, p99 });
  }
  const elapsedS = (lastDelivery - start) / 1000;
  return {
    students,
    perStudentPerSecond: perSecond,
    seconds,
    sent,
    delivered: delays.length,
    errors: problems.length,
    ...(problems.length ? { firstErrors: [...new Set(problems)].slice(0, 3) } : {}),
    offeredPerSecond: Math.round((sent / seconds) * 10) / 10,
    // Delivered to the teacher per second, from the first send to the last delivery.
    deliveredPerSecond: Math.round((delays.length / elapsedS) * 10) / 10,
    frameBytes,
    ...summarize(delays),
    windows,
  };
}
