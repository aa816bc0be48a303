// `npm test`: type checks, unit and integration tests in workerd (vitest with
// @cloudflare/vitest-plugin), browser tests in Chromium (Playwright), then the
// crash test (scripts/chaos.mjs).
// Ends with one line, "N passed, N failed", over every suite it ran.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { QUIET_ENV, ROOT } from "./lib/processes.mjs";
import { ensureDependencies, runTool } from "./lib/setup.mjs";

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const results = join(ROOT, "test-results");
const totals = { passed: 0, failed: 0 };
const failures = [];

function record(suite, passed, failed) {
  totals.passed += passed;
  totals.failed += failed;
  if (failed) failures.push(`${suite}: ${failed} failed`);
  console.log(`\n── ${suite}: ${passed} passed, ${failed} failed\n`);
}

function readJson(path) {
  try {
    return JSON.parse(readFileSync(path, "utf8"));
  } catch {
    return null;
  }
}

/** Debian's Chromium; installed on the spot when we are root on Debian. */
function ensureChromium() {
  if (existsSync(CHROMIUM)) return true;
  const isRoot = process.getuid?.() === 0;
  if (isRoot && existsSync("/usr/bin/apt-get")) {
    console.log("Chromium is missing: installing it from Debian's packages (apt-get install -y chromium)…");
    spawnSync("apt-get", ["update", "-qq"], { stdio: "inherit" });
    const install = spawnSync("apt-get", ["install", "-y", "-qq", "chromium"], {
      stdio: "inherit",
      env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" },
    });
    if (install.status === 0 && existsSync(CHROMIUM)) return true;
  }
  console.error(
    `Chromium was not found at ${CHROMIUM}. Install it (Debian/Ubuntu: sudo apt-get install chromium) ` +
      "or point CHROMIUM_PATH at a Chromium or Chrome binary, then run npm test again.",
  );
  return false;
}

ensureDependencies();
rmSync(results, { recursive: true, force: true });
mkdirSync(results, { recursive: true });

// 1. Types: worker + protocol + workerd tests, the web app, the browser tests.
for (const [suite, project] of [
  ["typecheck (worker)", "tsconfig.json"],
  ["typecheck (web)", "web/tsconfig.json"],
  ["typecheck (browser tests)", "test/browser/tsconfig.json"],
]) {
  const ok = runTool("tsc", ["-p", project, "--noEmit"], { allowFailure: true }) === 0;
  record(suite, ok ? 1 : 0, ok ? 0 : 1);
}
// worker-configuration.d.ts is generated from the wrangler.toml files: fails when it is out of date.
const typesOk = spawnSync("npm", ["run", "--silent", "types", "--", "--check"], { cwd: ROOT, env: QUIET_ENV, stdio: "inherit" }).status === 0;
record("generated types (wrangler types --check)", typesOk ? 1 : 0, typesOk ? 0 : 1);

// 1b. A plain `npx wrangler dev` on a fresh checkout: builds, migrates, signs up, runs code in a room.
const devCheck = spawnSync(process.execPath, [join(ROOT, "test", "dev", "wrangler-dev.mjs")], { cwd: ROOT, env: QUIET_ENV, encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] });
process.stdout.write(devCheck.stdout ?? "");
const devCounts = /(\d+) passed, (\d+) failed\s*$/.exec(devCheck.stdout ?? "");
record("wrangler dev (fresh checkout)", devCounts ? Number(devCounts[1]) : 0, devCounts ? Number(devCounts[2]) : 1);

// 2. Unit and integration tests inside workerd.
const vitestJson = join(results, "vitest.json");
const vitestStatus = runTool("vitest", ["run", "--reporter=default", "--reporter=json", `--outputFile=${vitestJson}`], {
  allowFailure: true,
});
const vitest = readJson(vitestJson);
if (vitest) record("vitest (workerd)", vitest.numPassedTests, vitest.numFailedTests + (vitestStatus !== 0 && !vitest.numFailedTests ? 1 : 0));
else record("vitest (workerd)", 0, 1);

// 3. Browser tests against a real server (started by Playwright's webServer).
if (ensureChromium()) {
  rmSync(join(ROOT, ".wrangler", "e2e-state"), { recursive: true, force: true });
  const status = runTool("playwright", ["test"], { allowFailure: true, env: { CHROMIUM_PATH: CHROMIUM } });
  const report = readJson(join(results, "playwright.json"));
  if (report) {
    const { expected = 0, unexpected = 0, flaky = 0 } = report.stats ?? {};
    const crashed = status !== 0 && unexpected === 0 ? 1 : 0;
    record("browser (Chromium)", expected + flaky, unexpected + crashed);
  } else record("browser (Chromium)", 0, 1);
} else {
  record("browser (Chromium)", 0, 1);
}

// 4. The crash test: a class of 20 on the deployed shape, its workerd killed twice (scripts/chaos.mjs).
const chaos = spawnSync(process.execPath, [join(ROOT, "scripts", "chaos.mjs")], { cwd: ROOT, stdio: "inherit", env: { ...process.env, ...QUIET_ENV } });
record("crash test (npm run chaos)", chaos.status === 0 ? 1 : 0, chaos.status === 0 ? 0 : 1);

if (failures.length) console.log(`Failed: ${failures.join("; ")}`);
console.log(`${totals.passed} passed, ${totals.failed} failed`);
process.exit(totals.failed === 0 ? 0 : 1);
