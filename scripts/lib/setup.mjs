// First-run setup shared by `npm start`, `npm test` and `npm run bench`.
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { BIN, QUIET_ENV, ROOT } from "./processes.mjs";

/** Installs dependencies when node_modules is missing or older than the lock file. */
export function ensureDependencies() {
  const marker = join(ROOT, "node_modules", ".package-lock.json");
  const lock = join(ROOT, "package-lock.json");
  const stale = !existsSync(marker) || (existsSync(lock) && statSync(lock).mtimeMs > statSync(marker).mtimeMs);
  if (!stale) return;
  console.log("Installing dependencies (npm ci)…");
  const result = spawnSync("npm", [existsSync(lock) ? "ci" : "install", "--no-audit", "--no-fund"], {
    cwd: ROOT,
    stdio: "inherit",
    env: QUIET_ENV,
  });
  if (result.status !== 0) {
    console.error("Installing dependencies failed; see the npm output above.");
    process.exit(result.status ?? 1);
  }
}

/** Runs a tool from node_modules/.bin in the foreground; exits the script on failure. */
export function runTool(tool, args, { allowFailure = false, env = {} } = {}) {
  const result = spawnSync(join(BIN, tool), args, { cwd: ROOT, stdio: "inherit", env: { ...QUIET_ENV, ...env } });
  if (result.status !== 0 && !allowFailure) {
    console.error(`${tool} ${args.join(" ")} failed (exit ${result.status}).`);
    process.exit(result.status ?? 1);
  }
  return result.status ?? 1;
}

/** Builds the front end into dist/web, where the Worker's static assets live. */
export function buildWeb() {
  runTool("vite", ["build", "--logLevel", "warn"]);
}

/**
 * Applies migrations/ to every D1 database that wrangler.toml binds, in the
 * local state folder `wrangler dev` will use. A no-op while none is bound.
 */
export function applyLocalD1Migrations(persistTo) {
  const config = readFileSync(join(ROOT, "wrangler.toml"), "utf8");
  const bindings = [...config.matchAll(/\[\[d1_databases\]\][^[]*?binding\s*=\s*"([^"]+)"/g)].map((m) => m[1]);
  for (const binding of bindings) {
    console.log(`Applying local D1 migrations to ${binding}…`);
    runTool("wrangler", ["d1", "migrations", "apply", binding, "--local", "--persist-to", persistTo]);
  }
}
