// Chat fan-out latency: one message reaches everyone else in the room. The
// sender rotates through the students, so no connection nears the chat rate
// limit (a burst of 10, then 1 a second): the figure is delivery, not throttling.
import { performance } from "node:perf_hooks";
import { setTimeout as sleep } from "node:timers/promises";
import { classroom, closeAll } from "./client.mjs";
import { summarize } from "./stats.mjs";

const MESSAGE_TIMEOUT_MS = 10_000;

export async function measureChatFanout(target, { students, messages, warmup, gapMs, batchSize }) {
  const room = await classroom(target, students, batchSize);
  const latencies = [];
  let frameBytes = 0;
  let current = null; // { n, sender, sentAt, remaining, delays, resolve, reject }
  const fail = (error) => current?.reject(error);

  for (const p of room.everyone) {
    p.onProblem = fail;
    p.onChat = (frame, receivedAt) => {
      const n = Number(/#(\d+)/.exec(frame.payload.message.text)?.[1]);
      if (!current || n !== current.n) return fail(new Error(`${p.username}: unexpected message #${n} while waiting for #${current?.n}`));
      if (p === current.sender) return; // the sender's copy is its storage confirmation, not a delivery
      current.delays.push(receivedAt - current.sentAt);
      frameBytes = p.lastFrameBytes;
      if (--current.remaining === 0) current.resolve();
    };
  }

  try {
    for (let n = 0; n < warmup + messages; n++) {
      const sender = room.students[n % room.students.length];
      const delivered = new Promise((resolve, reject) => {
        current = { n, sender, remaining: room.everyone.length - 1, delays: [], resolve, reject };
      });
      const timer = setTimeout(() => fail(new Error(`message #${n}: ${current.remaining} still waiting`)), MESSAGE_TIMEOUT_MS);
      current.sentAt = performance.now();
      sender.send({ action: "CHAT", role: "Student", payload: { clientId: `bench-${n}-${Date.now()}`, text: `bench message #${n}` } });
      try {
        await delivered;
      } finally {
        clearTimeout(timer);
      }
      if (n >= warmup) latencies.push(...current.delays);
      await sleep(gapMs);
    }
  } finally {
    current = null;
    await closeAll(room.everyone);
  }
  return { students, recipients: room.everyone.length - 1, messages, frameBytes, ...summarize(latencies) };
}
