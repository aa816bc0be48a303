// Bundles a Worker exactly as `wrangler deploy` would upload it, without
// uploading: `wrangler deploy --dry-run --outdir`. What the bench serves is
// then the deployed artefact (same esbuild settings, same module rules, the
// runner's QuickJS .wasm as a separate module), not `wrangler dev`'s build.
import { spawn } from "node:child_process";
import { mkdirSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { BIN, QUIET_ENV } from "../scripts/lib/processes.mjs";

/** Module types by file ending, as Miniflare's manifest names them. Anything else in outdir (README, source maps) is not code. */
const MODULE_TYPES = [
  [".js", "esm"],
  [".mjs", "esm"],
  [".wasm", "wasm"],
];

function run(args, cwd) {
  return new Promise((resolve, reject) => {
    const child = spawn(join(BIN, "wrangler"), args, { cwd, env: QUIET_ENV, stdio: ["ignore", "pipe", "pipe"] });
    let log = "";
    child.stdout.on("data", (d) => (log += d));
    child.stderr.on("data", (d) => (log += d));
    child.on("error", reject);
    child.on("exit", (code) => (code === 0 ? resolve(log) : reject(new Error(`wrangler ${args.join(" ")} exited ${code}:\n${log}`))));
  });
}

/** The compatibility date a wrangler.toml declares: Miniflare needs it, and it must be the deployed one. */
function compatibilityDate(configPath) {
  const date = /^compatibility_date\s*=\s*"([^"]+)"/m.exec(readFileSync(configPath, "utf8"))?.[1];
  if (!date) throw new Error(`${configPath}: no compatibility_date`);
  return date;
}

/**
 * Reads a bundle directory into Miniflare v5's `config.manifest`: module
 * names are paths relative to the bundle, as the bundle's own imports
 * (`import wasm from "./<hash>-emscripten-module.wasm"`) spell them.
 */
export function manifestOf(dir, mainModule = "index.js") {
  const modules = {};
  for (const file of readdirSync(dir)) {
    const type = MODULE_TYPES.find(([ending]) => file.endsWith(ending))?.[1];
    if (!type) continue;
    const bytes = readFileSync(join(dir, file));
    modules[file] = { type, contents: type === "wasm" ? new Uint8Array(bytes) : bytes.toString("utf8") };
  }
  if (!modules[mainModule]) throw new Error(`${dir}: no ${mainModule} in the bundle`);
  return { mainModule, modules };
}

/**
 * Bundles `config` (a wrangler.toml path) into `outDir` and returns
 * { manifest, compatibilityDate }. `emptyAssets` stands in for the built front
 * end: wrangler refuses a config whose assets directory is missing, and the
 * bench measures only /api/*, which runs the Worker first anyway.
 */
export async function bundleWorker({ appRoot, config, outDir, emptyAssets }) {
  mkdirSync(outDir, { recursive: true });
  const args = ["deploy", "--dry-run", "--outdir", outDir, "-c", config];
  if (emptyAssets) args.push("--assets", emptyAssets);
  await run(args, appRoot);
  return { manifest: manifestOf(outDir), compatibilityDate: compatibilityDate(join(appRoot, config)) };
}
