// wrangler.toml's `[build]` command, so that a plain `npx wrangler dev` (or
// `wrangler deploy`) on a fresh clone finds what the app needs: the built
// front end in dist/web, and the D1 tables in wrangler's default local state.
// wrangler runs it before starting and again when a file under `watch_dir`
// changes. https://developers.cloudflare.com/workers/wrangler/custom-builds/
//
// `npm start`, the tests and the benchmarks build and migrate themselves (into
// their own state folders) and set THIRDSPACE_BUILT=1 to skip this.
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT } from "./lib/processes.mjs";
import { applyLocalD1Migrations, buildWeb } from "./lib/setup.mjs";

if (process.env.THIRDSPACE_BUILT === "1") process.exit(0);

buildWeb();

// wrangler dev keeps the local database open while it runs, and re-runs this
// script on every change: the migrations are applied only when they differ
// from the last ones applied here, never under a running server for nothing.
const state = join(ROOT, ".wrangler", "state");
const stamp = join(state, "migrations.sha256");
const migrations = join(ROOT, "migrations");
const hash = createHash("sha256");
for (const file of readdirSync(migrations).sort()) hash.update(file).update(readFileSync(join(migrations, file)));
const digest = hash.digest("hex");
if (!existsSync(stamp) || readFileSync(stamp, "utf8") !== digest) {
  applyLocalD1Migrations(state);
  mkdirSync(state, { recursive: true });
  writeFileSync(stamp, digest);
}
