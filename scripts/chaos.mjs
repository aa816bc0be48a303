// `npm run chaos`: the crash test. Runs the app as it runs deployed (both
// Workers bundled by wrangler, ONE workerd, state persisted on disk), holds
// a class in it (a teacher and 20 students chatting, asking, voting,
// raising hands and sharing code), and kills that workerd with SIGKILL
// mid-class, twice. Miniflare starts workerd again on the same ports and the
// same state, as a supervisor would; the clients reconnect and resume by
// themselves (scripts/lib/chaos-client.mjs).
//
// Then it holds what every client saw confirmed, and every event it
// received, against what the room returns (scripts/lib/chaos-check.mjs),
// prints the recovery times and counts, and exits 0 only if nothing
// confirmed was lost or duplicated and every client is caught up.
//
//   npm run chaos
//   npm run chaos -- --students=20 --seconds=60 --kills=2 --seed=7 --port=8801 --app=/tmp/chaos-app
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { performance } from "node:perf_hooks";
import { setTimeout as sleep } from "node:timers/promises";
import { api, createCourse, signUp, signUpPool } from "../bench/accounts.mjs";
import { childPidNamed } from "../bench/proc.mjs";
import { startWorkerd } from "../bench/workerd.mjs";
import { ChaosClass, seededRandom } from "./lib/chaos-class.mjs";
import { ChaosClient } from "./lib/chaos-client.mjs";
import { readRoom } from "./lib/chaos-audit.mjs";
import { verdict } from "./lib/chaos-check.mjs";
import { printFigures, recoveryFigures } from "./lib/chaos-report.mjs";
import { ROOT } from "./lib/processes.mjs";
import { ensureDependencies } from "./lib/setup.mjs";

const arg = (name, fallback) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? fallback;
const PARAMS = {
  students: Number(arg("students", 20)),
  seconds: Number(arg("seconds", 60)),
  kills: Number(arg("kills", 2)),
  seed: Number(arg("seed", Date.now() % 100_000)),
  port: Number(arg("port", 8801)),
};
const APP_ROOT = resolve(arg("app", ROOT));
/** How long everyone gets to come back after a kill, and to get everything confirmed at the end. */
const RECOVERY_TIMEOUT_MS = 30_000;
/** Events the audit asks the room to replay: well inside what one replay holds (200 events, 256 KiB). */
const AUDIT_REPLAY = 150;

let workerd = null;
let tmp = null;
let clients = [];

async function cleanup() {
  for (const c of clients) c.stop();
  await workerd?.dispose().catch(() => {});
  workerd = null;
  if (tmp) rmSync(tmp, { recursive: true, force: true });
  tmp = null;
}

for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => cleanup().finally(() => process.exit(130)));

const free = (port) =>
  new Promise((ok) => {
    const server = createServer();
    server.once("error", () => ok(false));
    server.listen(port, "127.0.0.1", () => server.close(() => ok(true)));
  });

/** Four ports in a row from `first` up: fixed, so a restarted workerd listens where the clients reconnect, and below the kernel's range for outgoing connections. */
async function portsFrom(first) {
  for (let p = first; p < first + 200; p += 4) {
    const all = await Promise.all([p, p + 1, p + 2, p + 3].map(free));
    if (all.every(Boolean)) return { entry: p, app: p + 1, floor: p + 2, filesFloor: p + 3 };
  }
  throw new Error(`no four free ports in a row from ${first}`);
}

async function until(what, ready, timeoutMs = RECOVERY_TIMEOUT_MS, stepMs = 20) {
  const deadline = performance.now() + timeoutMs;
  while (!ready()) {
    if (performance.now() > deadline) throw new Error(`${what} within ${timeoutMs} ms`);
    await sleep(stepMs);
  }
}

/** A live class of the course's instructor and its students, with a TA and a student who only read the room at the end. */
async function setUpClass(target) {
  const pool = await signUpPool(target, PARAMS.students);
  const [ta, auditor] = [await signUp(target, "TA auditor"), await signUp(target, "Student auditor")];
  const courseId = await createCourse(target, pool.teacher, [...pool.students, ta, auditor]);
  const { user } = await api(target, ta, "GET", "/api/me");
  await api(target, pool.teacher, "PATCH", `/api/courses/${courseId}/members/${user.id}`, { role: "ta" });
  // The course is in UTC, so local wall-clock time is the ISO string; a class that started this minute is open.
  const at = (ms) => new Date(ms).toISOString().slice(0, 16);
  const { classes } = await api(target, pool.teacher, "POST", `/api/courses/${courseId}/classes`, { title: "Crash test", start: at(Date.now()), end: at(Date.now() + 2 * 3_600_000) }, 201);
  if (!classes[0].open) throw new Error(`the class room is not open: ${JSON.stringify(classes[0])}`);
  return { pool, ta, auditor, roomId: classes[0].roomId };
}

/**
 * When the app first answers HTTP again. A request sent while workerd is
 * starting may hang until it is up, so a new one goes out every few
 * milliseconds without waiting for the last, and the first answer counts.
 */
async function httpBack(target) {
  let answeredAt = null;
  const tries = [];
  const deadline = performance.now() + RECOVERY_TIMEOUT_MS;
  while (answeredAt === null) {
    // Miniflare restarts a crashed workerd by itself; nothing else here would.
    if (performance.now() > deadline) throw new Error(`the app did not answer HTTP within ${RECOVERY_TIMEOUT_MS} ms of the kill`);
    tries.push(
      fetch(`${target.http}/api/health`, { signal: AbortSignal.timeout(5_000) })
        .then(async (res) => {
          await res.arrayBuffer();
          if (res.ok) answeredAt ??= performance.now();
        })
        .catch(() => {}),
    );
    await sleep(10);
  }
  await Promise.all(tries);
  return answeredAt;
}

/** SIGKILL to our workerd, by its pid; answers { at, httpAt } once the restarted one serves HTTP. */
async function crash(target, cls, k) {
  cls.burst(`burst before crash ${k}`);
  await sleep(15);
  const pid = workerd.pid;
  const at = performance.now();
  process.kill(pid, "SIGKILL");
  const httpAt = await httpBack(target);
  // Miniflare started a new workerd; later kills must hit that one.
  await until("the restarted workerd was not found", () => {
    try {
      const next = childPidNamed(process.pid, "workerd");
      if (next === pid) return false;
      workerd.pid = next;
      return true;
    } catch {
      return false;
    }
  }, 10_000, 50);
  return { at, httpAt, pid };
}

async function main() {
  ensureDependencies();
  const started = performance.now();
  tmp = mkdtempSync(join(tmpdir(), "thirdspace-chaos-"));
  const ports = await portsFrom(PARAMS.port);
  console.log(`Bundling ${APP_ROOT}, starting one workerd on 127.0.0.1:${ports.app} with its state in ${tmp}…`);
  workerd = await startWorkerd({ appRoot: APP_ROOT, tmp, ports });
  const target = workerd.thirdspace;
  console.log(`Signing up ${PARAMS.students + 3} accounts, a course and a class running now…`);
  const { pool, ta, auditor, roomId } = await setUpClass(target);

  const random = seededRandom(PARAMS.seed);
  let cls = null;
  const make = (account, role) => new ChaosClient({ target, roomId, account, role, onFrame: (c, f) => cls?.observe(c, f) });
  const teacher = make(pool.teacher, "Teacher");
  const students = pool.students.map((s) => make(s, "Student"));
  clients = [teacher, ...students];
  cls = new ChaosClass({ random, teacher, students });
  for (const c of clients) c.start();
  await until("not everyone joined the class", () => clients.every((c) => c.settled()));
  const setupMs = performance.now() - started;
  console.log(`Class ${roomId}: ${clients.length} joined; running ${PARAMS.seconds} s with ${PARAMS.kills} SIGKILLs (seed ${PARAMS.seed})…`);

  const classStart = performance.now();
  const ticker = setInterval(() => cls.tick(), 200);
  const kills = [];
  for (let k = 0; k < PARAMS.kills; k += 1) {
    // Spread over the class, each after the last recovery has settled.
    await sleep(Math.max(3_000, classStart + (PARAMS.seconds * 1000 * (k + 0.6)) / (PARAMS.kills + 0.8) - performance.now()));
    const kill = await crash(target, cls, k + 1);
    kills.push(kill);
    await until(`after kill ${k + 1}, not every client joined again`, () => clients.every((c) => c.joins.some((j) => j.at > kill.at)));
    console.log(`  kill ${k + 1} (pid ${kill.pid}): HTTP back after ${Math.round(kill.httpAt - kill.at)} ms, every client joined again after ${Math.round(performance.now() - kill.at)} ms`);
  }
  await sleep(Math.max(0, classStart + PARAMS.seconds * 1000 - performance.now()));
  clearInterval(ticker);
  const classMs = performance.now() - classStart;

  console.log("Class over: waiting for every confirmation, then reading the room…");
  const auditStart = performance.now();
  await until("not everything was confirmed", () => clients.every((c) => c.settled() || c.failed)).catch((e) => console.log(`  ${e.message}`));
  // The teacher's last claims and the last events reach every socket.
  await sleep(1_000);
  // The room keeps only the newest events: ask for fewer than a replay's worth, counted in what the clients received.
  const received = [...new Set(clients.flatMap((c) => c.events.map((e) => e.seq)))].sort((a, b) => a - b);
  const lastSeq = received.at(-AUDIT_REPLAY - 1) ?? 0;
  const [staffRead, studentRead] = await Promise.all([
    readRoom({ target, roomId, account: ta, role: "Teacher", lastSeq }),
    readRoom({ target, roomId, account: auditor, role: "Student", lastSeq }),
  ]);
  const auditMs = performance.now() - auditStart;
  for (const c of clients) c.stop();

  const result = verdict({ teacher, students, staffRead, studentRead });
  const recovery = recoveryFigures(clients, kills, auditStart);
  for (const r of recovery) if (r.neverRejoined.length) result.failures.push(`after kill ${r.kill}: ${r.neverRejoined.join(", ")} never joined again`);
  printFigures({ recovery, result, clients, params: PARAMS, durations: { setup: setupMs, class: classMs, audit: auditMs } });
  if (result.failures.length) {
    console.log(`\nFAILED: ${result.failures.length} problem(s):`);
    for (const f of result.failures) console.log(`  - ${f}`);
    console.log(`(seed ${PARAMS.seed}: run again with --seed=${PARAMS.seed} for the same class)`);
    return 1;
  }
  console.log(`\nOK: nothing confirmed was lost or duplicated across ${kills.length} crashes; every client is caught up.`);
  return 0;
}

main()
  .then(async (code) => {
    await cleanup();
    process.exit(code);
  })
  .catch(async (error) => {
    console.error(`\nchaos: ${error.stack ?? error}\n--- workerd output (last lines) ---\n${workerd?.logs().slice(-4000) ?? ""}`);
    await cleanup();
    process.exit(2);
  });
