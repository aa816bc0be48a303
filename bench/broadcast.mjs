// Broadcast latency: one teacher SHAREs, N students receive it, over real
// WebSockets, one share at a time.
import { performance } from "node:perf_hooks";
import { setTimeout as sleep } from "node:timers/promises";
import { classroom, closeAll } from "./client.mjs";
import { withSamples, summarize } from "./stats.mjs";

const SHARE_TIMEOUT_MS = 10_000;

/**
 * Sends `warmup + shares` teacher SHAREs one at a time; each waits until every
 * student has it, so one share's queueing never inflates the next one's figure.
 * The result carries the raw delays (not serialised) for the chart.
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
        username: room.teacher.username,
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
      // Shows what each server sends per delivery, so the ratios compare like with like.
      frameBytes = room.students[0].lastFrameBytes;
      // A short pause lets the server and this process finish their writes, so shares do not queue behind each other.
      await sleep(gapMs);
    }
  } finally {
    current = null;
    await closeAll(room.everyone);
  }
  return withSamples({ students, shares, frameBytes, ...summarize(latencies) }, latencies);
}
