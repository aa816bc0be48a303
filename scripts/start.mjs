// `npm start`: install what is missing, build the front end, start the code
// runner and the app, and rebuild/reload on change. Ctrl+C stops everything.
//
//   PORT=9000 npm start       serve on another port (default 8787)
//   npm start -- --no-watch   build once, no file watching (tests, benchmarks)
//   npm start -- --no-demo    no demo accounts, course or class
import { spawn } from "node:child_process";
import { join } from "node:path";
import { BIN, QUIET_ENV, ROOT, freePort, startWrangler, stopTree, waitForHttp } from "./lib/processes.mjs";
import { DEMO, seedDemoData } from "./lib/seed.mjs";
import { applyLocalD1Migrations, buildWeb, ensureDependencies } from "./lib/setup.mjs";

const port = Number(process.env.PORT ?? 8787);
const watch = !process.argv.includes("--no-watch");
const persistArg = process.argv.find((a) => a.startsWith("--persist-to="));
const persistTo = persistArg ? persistArg.slice("--persist-to=".length) : join(ROOT, ".wrangler", "state");
const children = [];
// wrangler's dev registry is how the app finds the runner. One per server, so
// two servers on one machine (a dev server and a test run) never cross-wire.
const registry = { WRANGLER_REGISTRY_PATH: join(ROOT, ".wrangler", `registry-${port}`) };

function shutdown(code = 0) {
  for (const child of children.reverse()) stopTree(child);
  process.exit(code);
}
process.on("SIGINT", () => shutdown(0));
process.on("SIGTERM", () => shutdown(0));
process.on("SIGHUP", () => shutdown(0));

ensureDependencies();
applyLocalD1Migrations(persistTo);
if (!process.argv.includes("--no-demo")) seedDemoData(persistTo);
buildWeb();

if (watch) {
  const viteWatch = spawn(join(BIN, "vite"), ["build", "--watch", "--logLevel", "warn"], {
    cwd: ROOT,
    env: QUIET_ENV,
    stdio: ["ignore", "inherit", "inherit"],
    detached: true,
  });
  children.push(viteWatch);
}

// The runner is its own `wrangler dev` (its own workerd process, so a busy
// program never blocks the app); the app reaches its `Runner` entrypoint
// through wrangler's local dev registry, with Workers RPC as when deployed.
// The runner's own port answers 404 to everything, as its URL would.
const runnerPort = await freePort();
const runnerInspector = await freePort();
let runner = startRunner();

function startRunner() {
  const started = startWrangler({
    config: "worker/runner/wrangler.toml",
    port: runnerPort,
    inspectorPort: runnerInspector,
    // The runner keeps no state, but two workerd processes must never share
    // one persistence folder (its SQLite files would be locked by both).
    persistTo: join(ROOT, ".wrangler", `runner-${port}`),
    env: registry,
  });
  children.push(started.child);
  started.child.on("exit", (code) => {
    if (code !== null && code !== 0 && started === runner) console.error(`The code runner exited (${code}):\n${started.log()}`);
  });
  return started;
}

// Deployed, the platform ends a run past the runner's CPU limit (5 s) and
// its isolate with it. Locally nothing limits CPU, and a program whose work
// between two of QuickJS's interrupt checks is huge (a stack overflow caught
// again and again) would hold the runner's one thread for good. So, as the
// platform would: when the runner's port stops answering for ~6 s, the
// runner is restarted; the room has long answered that run RUN_UNAVAILABLE.
let silent = 0;
let seen = false; // counted only once this runner has answered: starting takes a few seconds
let restarting = false;
setInterval(async () => {
  if (restarting) return;
  const answered = await fetch(`http://127.0.0.1:${runnerPort}/`, { signal: AbortSignal.timeout(3_000) }).then(
    () => true,
    () => false,
  );
  seen ||= answered;
  silent = answered || !seen ? 0 : silent + 1;
  if (silent < 2) return;
  restarting = true;
  console.error("The code runner stopped answering (a program past any CPU limit): restarting it.");
  const stuck = runner.child;
  const gone = stuck.exitCode !== null ? Promise.resolve() : new Promise((done) => stuck.once("exit", done));
  stopTree(stuck, "SIGKILL");
  await gone;
  runner = startRunner();
  silent = 0;
  seen = false;
  restarting = false;
}, 3_000).unref();

const app = startWrangler({
  config: "wrangler.toml",
  port,
  inspectorPort: await freePort(),
  persistTo,
  stdio: "inherit",
  env: registry,
  extraArgs: watch ? ["--live-reload"] : [],
});
children.push(app.child);
app.child.on("exit", (code) => shutdown(code ?? 0));

try {
  await waitForHttp(`http://127.0.0.1:${port}/api/health`, { child: app.child, timeoutMs: 120_000 });
} catch (e) {
  console.error(String(e));
  shutdown(1);
}
console.log(`\n  ThirdSpace is running at http://127.0.0.1:${port}\n`);
if (!process.argv.includes("--no-demo")) {
  console.log("  Demo accounts (local data only):");
  console.log(`    instructor  ${DEMO.instructor.email}  password ${DEMO.instructor.password}`);
  console.log(`    student     ${DEMO.student.email}  password ${DEMO.student.password}`);
  console.log(`  Both are in ${DEMO.course.code} ${DEMO.course.title}, which has a class running now.\n`);
}
