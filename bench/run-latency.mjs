// RUN latency: the round trip a student waits for after pressing Run, through
// the room and the separate code-runner Worker. A tiny program, so the figure
// is the platform's overhead rather than the program's own run time.
import { setTimeout as sleep } from "node:timers/promises";
import { performance } from "node:perf_hooks";
import { createRoom } from "./accounts.mjs";
import { Participant } from "./client.mjs";
import { summarize } from "./stats.mjs";

/** Between runs: above the rate a student may run code at, so no run is refused. */
const RUN_GAP_MS = 250;
const RUN_TIMEOUT_MS = 10_000;

export async function measureRun(target, { runs, warmup, code }) {
  const { roomId } = await createRoom(target, target.pool.teacher);
  const student = await Participant.connect(target, roomId, target.pool.students[0]);
  const latencies = [];
  const durations = []; // the runner's own durationMs: the part of the round trip spent running
  let output = null;
  try {
    await student.join("Student");
    for (let i = 0; i < warmup + runs; i++) {
      student.lastRun = null;
      const sentAt = performance.now();
      student.send({ action: "RUN", role: "Student", payload: { code } });
      await student.waitFor(() => student.lastRun !== null, `RUN #${i}: no answer`, RUN_TIMEOUT_MS);
      const { frame, receivedAt } = student.lastRun;
      if (i < warmup) continue;
      latencies.push(receivedAt - sentAt);
      durations.push(frame.payload.durationMs);
      output = frame.payload.codeOutput;
      // Paced like a person: a student may run 10 programs a second (the room's "code" rate class).
      await sleep(RUN_GAP_MS);
    }
  } finally {
    await student.close();
  }
  return { runs, code, output, ...summarize(latencies), runnerDurationMs: summarize(durations) };
}
