// `npm run bench`: ThirdSpace measured in the shape it runs deployed, next to
// the platform's floor and a plain Node server.
//
//   ThirdSpace  both Workers bundled as `wrangler deploy` would, served by ONE
//               workerd through Miniflare's API (no dev proxy)
//   DO floor    a bare Durable Object relay (bench/floor-relay.js) in that same workerd
//   R2 floor    a bare Worker streaming request bodies into the same R2 bucket (bench/floor-files.js)
//   Node ws     a bare `ws` relay in its own Node process (bench/ws-baseline.mjs)
//
// Measures: SHARE broadcast to 30/100/500 students, a 500-student join storm,
// memory per idle connection, inbound SHAREs to the teacher, RUN round trip,
// chat fan-out, 100 students typing in their live editors for 60 s with the
// teacher watching 30 of them, a student joining a live lecture until its
// first video frame and the teacher's upload with 1, 5 and 10 viewers (in
// Chromium, with the app's own WebRTC code), a 200 MiB course file upload
// beside a bare R2 writer, and a deadline rush of 300 submissions through the
// grading queue. Before any server starts: the gateway bundle's size and
// cold start, beside a one-line Worker and the gateway built other ways.
// Fresh storage, free ports, everything stopped at the end.
//
//   npm run bench                     the full run (about 13 minutes)
//   npm run bench -- --students=30 --shares=50 --storm=100 --inbound-seconds=10 --chat-messages=30 \
//                    --typing-seconds=10 --upload-mib=20 --upload-single-mib=10 --submissions=30 \
//                    --live-joins=3 --live-viewers=1,5 --live-warmup-seconds=10
//                                     a quick look (about three minutes)
//   npm run bench -- --only=upload,grading
//                                     some measurements only, of: bundle (size and cold start), storm
//                                     (join storm and memory), broadcast, inbound, run, chat, typing,
//                                     live, upload, grading
//   npm run bench -- --app=/tmp/wt    bench another checkout (e.g. a git worktree of a commit)
//
// Tables go to stdout; figures to bench/results/latest.json (+ a dated copy),
// the chart to bench/results/latency.svg and docs/bench-latency.svg. A run
// with --only writes its figures to a dated copy alone: latest.json stays a
// whole run.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { signUpPool } from "../bench/accounts.mjs";
import { measureBroadcast } from "../bench/broadcast.mjs";
import { measureBundle, printBundle } from "../bench/bundle-cost.mjs";
import { measureChatFanout } from "../bench/chat-fanout.mjs";
import { measureGrading } from "../bench/grading.mjs";
import { measureInbound } from "../bench/inbound.mjs";
import { joinStorm } from "../bench/join-storm.mjs";
import { measureLiveJoins, measureLiveUpload, startLiveBrowser } from "../bench/live.mjs";
import { machineBusy, rssBytes, waitForQuiet } from "../bench/proc.mjs";
import { printReport, writePartialReport, writeReport } from "../bench/report.mjs";
import { measureRun } from "../bench/run-latency.mjs";
import { measureTyping } from "../bench/typing.mjs";
import { measureUpload } from "../bench/upload.mjs";
import { startWorkerd } from "../bench/workerd.mjs";
import { QUIET_ENV, ROOT, freePort, stopTree, waitForHttp } from "./lib/processes.mjs";
import { ensureDependencies } from "./lib/setup.mjs";

const arg = (name, fallback) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? fallback;
const num = (name, fallback) => Number(arg(name, fallback));

const PARAMS = {
  students: arg("students", "30,100,500").split(",").map(Number),
  shares: num("shares", 200),
  warmupShares: 20,
  // Long enough for both ends to finish the previous share's writes; short enough to keep the run brisk.
  gapMs: 10,
  joinBatchSize: 10,
  storm: num("storm", 500),
  stormWindowMs: num("storm-window", 10_000),
  inboundStudents: num("inbound-students", 100),
  inboundRate: num("inbound-rate", 5),
  inboundSeconds: num("inbound-seconds", 30),
  inboundWindowSeconds: 5,
  runs: num("runs", 50),
  warmupRuns: 5,
  runCode: "1 + 1",
  chatStudents: num("chat-students", 100),
  chatMessages: num("chat-messages", 100),
  typingStudents: num("typing-students", 100),
  // The tiles on the teacher's screen: the documents it subscribes to.
  typingTiles: num("typing-tiles", 30),
  typingRate: num("typing-rate", 5),
  typingSeconds: num("typing-seconds", 60),
  // First and last 10 s compared for a growing backlog; a quick run compares its halves.
  typingWindowSeconds: Math.min(10, num("typing-seconds", 60) / 2),
  uploadMiB: num("upload-mib", 200),
  // One request's body may be at most 100 MiB; 0 skips the one-request upload.
  uploadSingleMiB: num("upload-single-mib", 100),
  // As many parts in flight as the web uploader sends (web/src/files/uploader.ts).
  uploadConcurrency: num("upload-concurrency", 3),
  submissions: num("submissions", 300),
  // Students joining a live lecture one at a time, each timed to its first video frame.
  liveJoins: num("live-joins", 10),
  // Audiences for the teacher's upload; past LIVE_LIMITS.localViewers (25) the room refuses more.
  liveViewers: arg("live-viewers", "1,5,10").split(",").map(Number),
  // At most: the warm-up ends sooner once every encoder runs at the camera's size (bench/live.mjs).
  liveWarmupSeconds: num("live-warmup-seconds", 30),
  liveSampleSeconds: num("live-sample-seconds", 10),
  // Cold loads of each bundle variant (about 0.2 s each, four variants).
  coldLoads: num("cold-loads", 20),
};
const APP_ROOT = resolve(arg("app", ROOT));

/** Every measurement, in the order a run takes them; `--only` picks some. */
const SECTIONS = ["bundle", "storm", "broadcast", "inbound", "run", "chat", "typing", "live", "upload", "grading"];
const ONLY = arg("only", "") ? arg("only").split(",") : null;
const unknown = (ONLY ?? []).filter((name) => !SECTIONS.includes(name));
if (unknown.length) {
  console.error(`Unknown --only section(s): ${unknown.join(", ")}. Known: ${SECTIONS.join(", ")}.`);
  process.exit(2);
}
const wanted = (section) => !ONLY || ONLY.includes(section);
/** The result keys, in the order bench/results/*.json has always listed them. */
const RESULT_KEYS = ["broadcast", "joinStorm", "memory", "inbound", "run", "chat", "typing", "upload", "grading", "live", "bundle"];

let workerd = null;
let baselineChild = null;
let liveBrowser = null;
let tmp = null;
/** The server processes; each measurement starts only once they are idle. */
let serverPids = [];

async function cleanup() {
  await liveBrowser?.close().catch(() => {});
  liveBrowser = null;
  await workerd?.dispose().catch(() => {});
  workerd = null;
  if (baselineChild && baselineChild.exitCode === null) {
    const exited = new Promise((r) => baselineChild.once("exit", r));
    stopTree(baselineChild);
    await Promise.race([exited, sleep(5_000, undefined, { ref: false })]);
  }
  if (tmp) rmSync(tmp, { recursive: true, force: true });
  tmp = null;
}

for (const signal of ["SIGINT", "SIGTERM"]) {
  process.on(signal, () => cleanup().finally(() => process.exit(130)));
}

/** The Node relay in its own process: in this one, its sends would compete with the client's receives for one thread. */
async function startBaseline() {
  const port = await freePort();
  baselineChild = spawn(process.execPath, [join(ROOT, "bench", "ws-baseline.mjs"), String(port)], {
    cwd: ROOT,
    env: QUIET_ENV,
    stdio: ["ignore", "ignore", "pipe"],
    detached: process.platform !== "win32", // its own process group, so stopTree ends it
  });
  let log = "";
  baselineChild.stderr.on("data", (d) => (log = (log + d).slice(-8_000)));
  const target = { name: "Node ws", http: `http://127.0.0.1:${port}`, ws: `ws://127.0.0.1:${port}` };
  await waitForHttp(`${target.http}/api/health`, { child: baselineChild, timeoutMs: 15_000 }).catch((e) => {
    throw new Error(`${e.message}\n${log}`);
  });
  return { target, pid: baselineChild.pid };
}

/**
 * Runs one measurement once the servers have finished the previous one's
 * aftermath; on failure names it and adds the workerd log, where the cause usually is.
 */
async function step(label, fn) {
  await waitForQuiet(serverPids);
  console.log(`${label}…`);
  try {
    return await fn();
  } catch (error) {
    throw new Error(`${label}: ${error.message}\n--- workerd output (last lines) ---\n${workerd?.logs() ?? ""}`);
  }
}

const ratios = (a, b) => ({ p50: a.p50 / b.p50, p99: a.p99 / b.p99 });

/**
 * Students each server must have signed up for the wanted sections (-1: that
 * server is not needed at all). Keyed as the servers below.
 */
function poolSizes() {
  const everyone = ["thirdspace", "floor", "baseline"];
  const needs = {
    bundle: [[], -1],
    storm: [everyone, PARAMS.storm],
    broadcast: [everyone, Math.max(...PARAMS.students)],
    inbound: [["thirdspace", "floor"], PARAMS.inboundStudents],
    run: [["thirdspace"], 1],
    chat: [everyone, PARAMS.chatStudents],
    typing: [everyone, PARAMS.typingStudents],
    live: [everyone, Math.max(PARAMS.liveJoins + 1, ...PARAMS.liveViewers)],
    upload: [["thirdspace"], 0],
    grading: [["thirdspace"], PARAMS.submissions],
  };
  const sizes = Object.fromEntries(everyone.map((key) => [key, -1]));
  for (const section of SECTIONS.filter(wanted)) {
    const [servers, students] = needs[section];
    for (const key of servers) sizes[key] = Math.max(sizes[key], students);
  }
  return sizes;
}

async function main() {
  ensureDependencies();
  // Taken before the bench starts anything: on a shared 2-core machine another
  // job (a test run, a browser) moves every figure, so the report says so.
  const busyAtStart = Math.round((await machineBusy()) * 100);
  if (busyAtStart > 15) console.log(`Note: the CPUs were ${busyAtStart}% busy before the bench started anything: figures will be noisy.`);
  tmp = mkdtempSync(join(tmpdir(), "thirdspace-bench-"));
  const results = {};
  // Before the servers start: cold loads time a workerd process's start, which an idle server beside it still slows.
  if (wanted("bundle")) {
    results.bundle = await step("Bundle size and cold start of the gateway", () => measureBundle({ appRoot: APP_ROOT, tmp, loads: PARAMS.coldLoads }));
  }
  const withServers = SECTIONS.some((section) => section !== "bundle" && wanted(section));
  const pools = poolSizes();
  const withBaseline = pools.baseline >= 0;
  if (withServers) console.log(`Bundling ${APP_ROOT} and starting one workerd (ThirdSpace + runner + floors)${withBaseline ? " and the Node ws relay" : ""}…`);
  // Both settle before either failure is thrown, so cleanup() sees (and stops) whatever did start.
  const launched = await Promise.allSettled([withServers ? startWorkerd({ appRoot: APP_ROOT, tmp }) : null, withBaseline ? startBaseline() : null]);
  workerd = launched[0].value ?? null;
  const failed = launched.find((s) => s.status === "rejected");
  if (failed) throw failed.reason;
  const baseline = launched[1].value;
  const { thirdspace, floor, filesFloor } = workerd ?? {};
  serverPids = [workerd?.pid, baseline?.pid].filter(Boolean);
  // Keyed as in bench/results/*.json; `process` names whose memory `rss` reads.
  const servers = [
    { key: "thirdspace", target: thirdspace, process: "workerd (ThirdSpace)", rss: () => rssBytes(workerd.pid) },
    { key: "floor", target: floor, process: "workerd (DO floor)", rss: () => rssBytes(workerd.pid) },
    baseline && { key: "baseline", target: baseline.target, process: "node (ws relay)", rss: () => rssBytes(baseline.pid) },
  ].filter(Boolean);
  const onWorkerd = servers.slice(0, 2); // inbound load: ThirdSpace against its floor

  // Every account the run needs, signed up once, before anything is timed.
  for (const { key, target } of servers.filter(({ key }) => pools[key] >= 0)) {
    const started = performance.now();
    target.pool = await step(`Signing up ${pools[key] + 1} accounts on ${target.name}`, () => signUpPool(target, pools[key]));
    console.log(`  ${((performance.now() - started) / 1000).toFixed(1)} s`);
  }

  // First, while the processes are least grown by the other measurements.
  if (wanted("storm")) {
    results.joinStorm = {};
    results.memory = {};
    for (const { key, target, process, rss } of servers) {
      const { memory: m, ...storm } = await step(`Join storm of ${PARAMS.storm} on ${target.name}`, () =>
        joinStorm(target, { students: PARAMS.storm, windowMs: PARAMS.stormWindowMs, rss }),
      );
      results.joinStorm[key] = storm;
      results.memory[key] = { process, ...m };
    }
  }

  if (wanted("broadcast")) {
    const options = { shares: PARAMS.shares, warmup: PARAMS.warmupShares, gapMs: PARAMS.gapMs, batchSize: PARAMS.joinBatchSize };
    results.broadcast = [];
    for (const students of PARAMS.students) {
      const row = {};
      for (const { key, target } of servers) {
        row[key] = await step(`Broadcast to ${students} students on ${target.name}`, () => measureBroadcast(target, { ...options, students }));
      }
      results.broadcast.push({
        students,
        thirdspace: row.thirdspace,
        baseline: row.baseline,
        ratio: ratios(row.thirdspace, row.baseline),
        floor: row.floor,
        floorRatio: ratios(row.thirdspace, row.floor),
      });
    }
  }

  if (wanted("inbound")) {
    const inboundOptions = {
      students: PARAMS.inboundStudents,
      perSecond: PARAMS.inboundRate,
      seconds: PARAMS.inboundSeconds,
      windowSeconds: PARAMS.inboundWindowSeconds,
      batchSize: PARAMS.joinBatchSize,
    };
    results.inbound = {};
    for (const { key, target } of onWorkerd) {
      results.inbound[key] = await step(`Inbound SHAREs for ${PARAMS.inboundSeconds} s on ${target.name}`, () => measureInbound(target, inboundOptions));
    }
  }

  if (wanted("run")) {
    results.run = await step("RUN latency on ThirdSpace", () =>
      measureRun(thirdspace, { runs: PARAMS.runs, warmup: PARAMS.warmupRuns, code: PARAMS.runCode }),
    );
  }

  if (wanted("chat")) {
    const chatOptions = { students: PARAMS.chatStudents, messages: PARAMS.chatMessages, warmup: 10, gapMs: PARAMS.gapMs, batchSize: PARAMS.joinBatchSize };
    const chat = {};
    for (const { key, target } of servers) {
      chat[key] = await step(`Chat fan-out to ${PARAMS.chatStudents} on ${target.name}`, () => measureChatFanout(target, chatOptions));
    }
    chat.ratio = ratios(chat.thirdspace, chat.baseline);
    chat.floorRatio = ratios(chat.thirdspace, chat.floor);
    results.chat = chat;
  }

  if (wanted("typing")) {
    const typingOptions = {
      students: PARAMS.typingStudents,
      tiles: PARAMS.typingTiles,
      perSecond: PARAMS.typingRate,
      seconds: PARAMS.typingSeconds,
      windowSeconds: PARAMS.typingWindowSeconds,
      batchSize: PARAMS.joinBatchSize,
    };
    const typing = {};
    for (const { key, target } of servers) {
      const label = `Typing: ${PARAMS.typingStudents} students for ${PARAMS.typingSeconds} s on ${target.name}`;
      typing[key] = await step(label, () => measureTyping(target, typingOptions));
    }
    typing.ratio = ratios(typing.thirdspace, typing.baseline);
    typing.floorRatio = ratios(typing.thirdspace, typing.floor);
    results.typing = typing;
  }

  if (wanted("live")) {
    liveBrowser = await startLiveBrowser(APP_ROOT);
    try {
      const firstFrame = {};
      for (const { key, target } of servers) {
        firstFrame[key] = await step(`Live: ${PARAMS.liveJoins} students join a live lecture, one at a time, on ${target.name}`, () =>
          measureLiveJoins(liveBrowser, target, { joins: PARAMS.liveJoins }),
        );
      }
      const ts = firstFrame.thirdspace.firstFrameMs;
      const ratio = (other) => other && { p50: ts.p50 / other.firstFrameMs.p50, p90: ts.p90 / other.firstFrameMs.p90 };
      const uploadOptions = { viewerCounts: PARAMS.liveViewers, warmupSeconds: PARAMS.liveWarmupSeconds, sampleSeconds: PARAMS.liveSampleSeconds };
      const upload = await step(`Live: the teacher's upload with ${PARAMS.liveViewers.join(", ")} viewers on ThirdSpace`, () =>
        measureLiveUpload(liveBrowser, thirdspace, uploadOptions),
      );
      results.live = { firstFrame: { ...firstFrame, floorRatio: ratio(firstFrame.floor), ratio: ratio(firstFrame.baseline) }, upload };
    } finally {
      await liveBrowser.close().catch(() => {});
      liveBrowser = null;
    }
  }

  // Last: they leave hundreds of MiB on disk and a graded course behind, which the room measurements need not pay for.
  if (wanted("upload")) {
    results.upload = await step(`Upload of ${PARAMS.uploadMiB} MiB on ThirdSpace and the R2 floor`, () =>
      measureUpload(thirdspace, filesFloor, { mib: PARAMS.uploadMiB, singleMib: PARAMS.uploadSingleMiB, concurrency: PARAMS.uploadConcurrency }),
    );
  }

  if (wanted("grading")) {
    results.grading = await step(`Deadline rush: ${PARAMS.submissions} submissions graded on ThirdSpace`, () =>
      measureGrading(thirdspace, workerd, { submissions: PARAMS.submissions }),
    );
  }

  const cpu = cpus();
  const report = {
    date: new Date().toISOString(),
    node: process.version,
    os: { platform: process.platform, cpuModel: cpu[0]?.model ?? "unknown", cpuCount: cpu.length, cpuBusyPercentAtStart: busyAtStart },
    servers: {
      thirdspace: "gateway + ClassroomRoom + runner, bundled by `wrangler deploy --dry-run`, one workerd via Miniflare 5, direct socket",
      floor: "bench/floor-relay.js: bare Durable Object relay (hibernation API, no storage), same workerd, direct socket",
      filesFloor: "bench/floor-files.js: bare Worker streaming request bodies into the same R2 bucket, same workerd, direct socket",
      baseline: "bench/ws-baseline.mjs: bare Node `ws` relay, own process",
      ...(results.live && {
        browser: "Debian's Chromium, headless: one browser for the teacher, one for the students, a context per participant, synthetic camera and microphone, the app's web/src/lectures/live bundled by esbuild",
      }),
    },
    parameters: { ...PARAMS, ...(ONLY && { only: ONLY }) },
    ...Object.fromEntries(RESULT_KEYS.filter((key) => key in results).map((key) => [key, results[key]])),
  };
  printReport(report);
  if (report.bundle) printBundle(report.bundle);
  const written = ONLY ? writePartialReport(ROOT, report) : writeReport(ROOT, report);
  console.log(`\nWrote ${written.map((p) => p.slice(ROOT.length + 1)).join(", ")}`);
}

try {
  await main();
} catch (error) {
  console.error(`\nBench failed: ${error.stack ?? error}`);
  process.exitCode = 1;
} finally {
  await cleanup();
}
