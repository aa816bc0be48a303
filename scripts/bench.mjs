// `npm run bench`: how long a teacher's SHARE takes to reach every student and
// a chat message everyone else (against a bare `ws` relay as the floor, in
// the same run), and how long a small RUN takes.
// Starts its own app (fresh storage, free port) and stops it at the end.
//
//   npm run bench                            the full run (about 2 minutes)
//   npm run bench -- --students=30 --shares=50 --chat-messages=30   a quicker look
//
// Figures go to stdout and to bench/results/ (latest.json and a dated copy).
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { measureBroadcast } from "../bench/broadcast.mjs";
import { measureChatFanout } from "../bench/chat-fanout.mjs";
import { measureRun } from "../bench/run-latency.mjs";
import { QUIET_ENV, ROOT, freePort, stopTree, waitForHttp } from "./lib/processes.mjs";
import { ensureDependencies } from "./lib/setup.mjs";

const arg = (name, fallback) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? fallback;

const PARAMS = {
  students: arg("students", "30,100").split(",").map(Number),
  shares: Number(arg("shares", 200)),
  warmupShares: 20,
  // Long enough for both ends to finish the previous share's writes; short enough to keep the run brisk.
  gapMs: 10,
  joinBatchSize: 10,
  runs: 50,
  warmupRuns: 5,
  runCode: "1 + 1",
  chatStudents: Number(arg("chat-students", 100)),
  chatMessages: Number(arg("chat-messages", 100)),
};

const children = [];
let tmp = null;

/** Output of a child kept for the error report; printing it live would bury the table under wrangler's request log. */
function spawnQuiet(args, env) {
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { ...QUIET_ENV, ...env },
    stdio: ["ignore", "pipe", "pipe"],
    // Its own process group, so stopTree ends it and everything it started.
    detached: process.platform !== "win32",
  });
  let log = "";
  const keep = (d) => (log = (log + d).slice(-8_000));
  child.stdout.on("data", keep);
  child.stderr.on("data", keep);
  children.push(child);
  return { child, log: () => log };
}

async function cleanup() {
  const running = children.splice(0).filter((c) => c.exitCode === null && c.signalCode === null);
  for (const child of running) stopTree(child);
  // start.mjs stops wrangler on SIGTERM; waiting keeps workerd from outliving the bench.
  // An unref'd timer: once everything has exited, the bench must not linger for it.
  const gaveUp = () => sleep(15_000, undefined, { ref: false });
  await Promise.all(running.map((c) => Promise.race([new Promise((r) => c.once("exit", r)), gaveUp()])));
  if (tmp) rmSync(tmp, { recursive: true, force: true });
  tmp = null;
}

for (const signal of ["SIGINT", "SIGTERM"]) {
  process.on(signal, () => cleanup().finally(() => process.exit(130)));
}

const ms = (x) => x.toFixed(2).padStart(8);
const ratio = (a, b) => `${(a / b).toFixed(1)}x`.padStart(7);

function printChat(chat) {
  const { thirdspace: t, baseline: b } = chat;
  console.log(`\nChat fan-out: one student's message -> ${t.recipients} others, ms over all deliveries`);
  console.log(`(${t.messages} messages one at a time, senders rotating)\n`);
  console.log(`  ThirdSpace p50 ${ms(t.p50)}  p99 ${ms(t.p99)}   ws baseline p50 ${ms(b.p50)}  p99 ${ms(b.p99)}   ratio p50 ${ratio(t.p50, b.p50)}  p99 ${ratio(t.p99, b.p99)}`);
}

function printTable(broadcast, run) {
  const { shares, warmupShares, gapMs } = PARAMS;
  console.log(`\nBroadcast: teacher SHARE -> every student, ms over all deliveries`);
  console.log(`(${shares} shares one at a time after ${warmupShares} warm-ups, ${gapMs} ms apart)\n`);
  console.log("students |  ThirdSpace p50      p99     mean      max |  ws base p50      p99 |  p50 ratio  p99 ratio");
  console.log("-".repeat(104));
  for (const { students, thirdspace: t, baseline: b } of broadcast) {
    console.log(
      `${String(students).padStart(8)} |     ${ms(t.p50)} ${ms(t.p99)} ${ms(t.mean)} ${ms(t.max)} |  ` +
        `${ms(b.p50)} ${ms(b.p99)} |    ${ratio(t.p50, b.p50)}    ${ratio(t.p99, b.p99)}`,
    );
  }
  const sizes = broadcast.map((r) => `${r.students}: ${r.thirdspace.frameBytes} vs ${r.baseline.frameBytes}`).join(", ");
  console.log(`\nSHARE frame bytes, ThirdSpace vs baseline (${sizes})`);
  console.log(`\nRUN "${PARAMS.runCode}" round trip, ${run.runs} sequential runs after ${PARAMS.warmupRuns} warm-ups:`);
  console.log(
    `  p50 ${run.p50.toFixed(2)} ms   p99 ${run.p99.toFixed(2)} ms   mean ${run.mean.toFixed(2)} ms   max ${run.max.toFixed(2)} ms` +
      `   (runner's own durationMs p50 ${run.runnerDurationMs.p50})`,
  );
}

function writeResults(report) {
  const dir = join(ROOT, "bench", "results");
  mkdirSync(dir, { recursive: true });
  const json = `${JSON.stringify(report, null, 2)}\n`;
  const dated = join(dir, `bench-${report.date.replace(/:/g, "-")}.json`);
  writeFileSync(dated, json);
  writeFileSync(join(dir, "latest.json"), json);
  console.log(`\nWrote ${dated} and bench/results/latest.json`);
}

async function main() {
  ensureDependencies();
  tmp = mkdtempSync(join(tmpdir(), "thirdspace-bench-"));
  const [appPort, basePort] = [await freePort(), await freePort()];
  const thirdspace = { http: `http://127.0.0.1:${appPort}`, ws: `ws://127.0.0.1:${appPort}` };
  const baseline = { http: `http://127.0.0.1:${basePort}`, ws: `ws://127.0.0.1:${basePort}` };

  console.log(`Starting ThirdSpace on port ${appPort} (build + wrangler dev) and the ws baseline on ${basePort}…`);
  const app = spawnQuiet([join(ROOT, "scripts", "start.mjs"), "--no-watch", "--no-demo", `--persist-to=${join(tmp, "state")}`], {
    PORT: String(appPort),
    // A private service registry: with a developer's `npm start` running, the
    // app could otherwise find that server's code runner instead of its own.
    WRANGLER_REGISTRY_PATH: join(tmp, "registry"),
  });
  const base = spawnQuiet([join(ROOT, "bench", "ws-baseline.mjs"), String(basePort)]);
  try {
    await Promise.all([
      waitForHttp(`${thirdspace.http}/api/health`, { child: app.child, timeoutMs: 120_000 }),
      waitForHttp(`${baseline.http}/api/health`, { child: base.child, timeoutMs: 15_000 }),
    ]);
  } catch (error) {
    throw new Error(`${error.message}\n--- app output ---\n${app.log()}\n--- baseline output ---\n${base.log()}`);
  }

  const options = {
    shares: PARAMS.shares,
    warmup: PARAMS.warmupShares,
    gapMs: PARAMS.gapMs,
    batchSize: PARAMS.joinBatchSize,
  };
  const broadcast = [];
  for (const students of PARAMS.students) {
    console.log(`Broadcast with ${students} students: ThirdSpace…`);
    const t = await measureBroadcast(thirdspace, { ...options, students }).catch((e) => {
      throw new Error(`ThirdSpace broadcast (${students} students): ${e.message}\n--- app output ---\n${app.log()}`);
    });
    console.log(`Broadcast with ${students} students: baseline…`);
    const b = await measureBroadcast(baseline, { ...options, students });
    broadcast.push({
      students,
      thirdspace: t,
      baseline: b,
      ratio: { p50: t.p50 / b.p50, p99: t.p99 / b.p99 },
    });
  }

  console.log("RUN latency…");
  const run = await measureRun(thirdspace, { runs: PARAMS.runs, warmup: PARAMS.warmupRuns, code: PARAMS.runCode }).catch((e) => {
    throw new Error(`ThirdSpace RUN: ${e.message}\n--- app output ---\n${app.log()}`);
  });

  const chatOptions = { students: PARAMS.chatStudents, messages: PARAMS.chatMessages, warmup: 10, gapMs: PARAMS.gapMs, batchSize: PARAMS.joinBatchSize };
  console.log(`Chat fan-out with ${PARAMS.chatStudents} students: ThirdSpace…`);
  const chatT = await measureChatFanout(thirdspace, chatOptions).catch((e) => {
    throw new Error(`ThirdSpace chat fan-out: ${e.message}\n--- app output ---\n${app.log()}`);
  });
  console.log(`Chat fan-out with ${PARAMS.chatStudents} students: baseline…`);
  const chatB = await measureChatFanout(baseline, chatOptions);
  const chat = { thirdspace: chatT, baseline: chatB, ratio: { p50: chatT.p50 / chatB.p50, p99: chatT.p99 / chatB.p99 } };

  printTable(broadcast, run);
  printChat(chat);
  const cpu = cpus();
  writeResults({
    date: new Date().toISOString(),
    node: process.version,
    os: { platform: process.platform, cpuModel: cpu[0]?.model ?? "unknown", cpuCount: cpu.length },
    parameters: PARAMS,
    broadcast,
    run,
    chat,
  });
}

try {
  await main();
} catch (error) {
  console.error(`\nBench failed: ${error.stack ?? error}`);
  process.exitCode = 1;
} finally {
  await cleanup();
}
