// RUN latency: the round trip a student waits for after pressing Run, through
// the room and the separate code-runner Worker. A tiny program, so the figure
// is the platform's overhead rather than the program's own run time.
import { setTimeout as sleep } from "node:timers/promises";
import { performance } from "node:perf_hooks";
import { createRoom, signUp } from "./accounts.mjs";
import { Participant } from "./client.mjs";
import { summarize } from "./stats.mjs";

/** Between runs: above the rate a student may run code at, so no run is refused. */
const RUN_GAP_MS = 250;
// Above the room's own deadline for the runner (15 s), so a slow stop is measured rather than lost.
const RUN_TIMEOUT_MS = 20_000;
/**
 * Each account runs at most this many of the programs: an account may start
 * 30 a minute across all rooms (RUN_QUOTA in worker/room/code.ts), and this
 * pace would pass that, so the runs take turns among a few students.
 */
const RUNS_PER_ACCOUNT = 25;
/**
 * Programs the sandbox must stop, each run a few times after the latency
 * runs: how long a student waits for the stop, and what stopped it. An
 * endless loop meets the interrupt budget; a loop of large allocations meets
 * the memory limit (worker/runner/sandbox.ts).
 */
const STOPPED = {
  loop: "while (true) {}",
  allocation: "const a = []; for (;;) a.push(new Array(1e5).fill(1.5))",
};
const STOP_RUNS = 3;

/** `count` student accounts: the pool's, then more signed up if the pool is short. */
async function students(target, count) {
  const accounts = target.pool.students.slice(0, count);
  while (accounts.length < count) accounts.push(await signUp(target, `R${accounts.length}`));
  return accounts;
}

export async function measureRun(target, { runs, warmup, code }) {
  const { roomId } = await createRoom(target, target.pool.teacher);
  const total = warmup + runs + Object.keys(STOPPED).length * STOP_RUNS;
  const accounts = await students(target, Math.ceil(total / RUNS_PER_ACCOUNT));
  const participants = [];
  const latencies = [];
  const durations = []; // the runner's own durationMs: the part of the round trip spent running
  const stops = {};
  let output = null;
  let turn = 0;
  /** One RUN by the next student in turn: { frame, ms } once its answer is in. */
  const runOnce = async (program) => {
    const student = participants[turn++ % participants.length];
    student.lastRun = null;
    const sentAt = performance.now();
    student.send({ action: "RUN", role: "Student", payload: { code: program } });
    await student.waitFor(() => student.lastRun !== null, `RUN #${turn}: no answer`, RUN_TIMEOUT_MS);
    return { frame: student.lastRun.frame, ms: student.lastRun.receivedAt - sentAt };
  };
  try {
    for (const account of accounts) {
      const participant = await Participant.connect(target, roomId, account);
      participants.push(participant);
      await participant.join("Student");
    }
    for (let i = 0; i < warmup + runs; i++) {
      const { frame, ms } = await runOnce(code);
      if (i < warmup) continue;
      latencies.push(ms);
      durations.push(frame.payload.durationMs);
      output = frame.payload.codeOutput;
      // Paced like a person: a student may run 10 programs a second (the room's "code" rate class).
      await sleep(RUN_GAP_MS);
    }
    for (const [name, program] of Object.entries(STOPPED)) {
      const answers = [];
      for (let i = 0; i < STOP_RUNS; i++) answers.push(await runOnce(program));
      stops[name] = {
        code: program,
        error: answers[0].frame.payload.error,
        roundTripMs: summarize(answers.map((a) => a.ms)),
        runnerDurationMs: summarize(answers.map((a) => a.frame.payload.durationMs)),
      };
    }
  } finally {
    await Promise.all(participants.map((p) => p.close()));
  }
  return { runs, code, output, ...summarize(latencies), runnerDurationMs: summarize(durations), stops };
}
