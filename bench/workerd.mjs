// Serves the app the way it runs deployed: ONE workerd process holding the
// gateway (with its ClassroomRoom Durable Object and D1), the code runner
// behind the RUNNER service binding, and the bench's bare Durable Object
// relay (the platform floor) — started through Miniflare's API, with no
// `wrangler dev` proxy in front.
//
// Miniflare v5 (the beta wrangler 4.156 installs) takes each Worker as
// `workers[].config` in wrangler's own vocabulary (`env` bindings, `exports`
// for Durable Object classes, a `manifest` of modules) plus `workers[].dev`
// for local-only settings; the v4 flat options (`scriptPath`,
// `durableObjects`, `d1Databases`, ...) are gone.
//
// Each measured Worker gets its own port (a `dev.unsafeDirectSockets` entry):
// the socket leads straight into that Worker, as a route does when deployed,
// and ThirdSpace and the floor are reached the same way. Miniflare's own entry
// socket (unused here) would run its routing Worker in front of each HTTP
// request and upgrade; once a socket is upgraded its frames bypass it
// (measured: the same broadcast latency at 100 students either way).
import { mkdirSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Miniflare } from "miniflare";
import { freePort } from "../scripts/lib/processes.mjs";
import { bundleWorker } from "./bundle.mjs";
import { childPidNamed } from "./proc.mjs";

/** The floor is one hand-written module with no imports but the runtime's: nothing to bundle. */
const FLOOR_MANIFEST = {
  mainModule: "floor-relay.js",
  modules: { "floor-relay.js": { type: "esm", contents: readFileSync(fileURLToPath(new URL("floor-relay.js", import.meta.url)), "utf8") } },
};

/** migrations/*.sql as statements: comments dropped, split at semicolons (the files hold no ';' inside strings). */
function migrationBatches(dir) {
  return readdirSync(dir)
    .filter((f) => f.endsWith(".sql"))
    .sort()
    .map((file) => ({
      file,
      statements: readFileSync(join(dir, file), "utf8")
        .replace(/--[^\n]*/g, "")
        .split(";")
        .map((s) => s.trim())
        .filter(Boolean),
    }));
}

/** The `[limits] cpu_ms` a wrangler.toml sets, so the runner keeps its deployed CPU cap. */
function cpuMs(configPath) {
  const ms = /^cpu_ms\s*=\s*(\d+)/m.exec(readFileSync(configPath, "utf8"))?.[1];
  return ms ? { cpuMs: Number(ms) } : undefined;
}

/**
 * Bundles both Workers from `appRoot`, starts workerd with fresh persistence
 * under `tmp`, applies the D1 migrations and returns
 * { thirdspace, floor, pid, logs, dispose }. `thirdspace` and `floor` are
 * bench targets ({ name, http, ws }); `pid` is the workerd process.
 */
export async function startWorkerd({ appRoot, tmp }) {
  const bundles = join(tmp, "bundles");
  const emptyAssets = join(tmp, "empty-assets");
  mkdirSync(emptyAssets, { recursive: true });
  const [gateway, runner] = await Promise.all([
    bundleWorker({ appRoot, config: "wrangler.toml", outDir: join(bundles, "gateway"), emptyAssets }),
    bundleWorker({ appRoot, config: "worker/runner/wrangler.toml", outDir: join(bundles, "runner") }),
  ]);
  const [entryPort, appPort, floorPort] = await Promise.all([freePort(), freePort(), freePort()]);

  // Worker output kept for error reports; printed live it would bury the tables.
  let logs = "";
  const keep = (line) => (logs = `${logs}${line}\n`.slice(-20_000));

  const mf = new Miniflare({
    host: "127.0.0.1",
    port: entryPort,
    resourcePersistencePath: join(tmp, "state"),
    // No discovery of (or by) a developer's `npm start` on this machine.
    enableDevRegistry: false,
    logRequests: false,
    handleStructuredLogs: ({ level, message }) => keep(`[${level}] ${message}`),
    workers: [
      {
        config: {
          name: "thirdspace",
          compatibilityDate: gateway.compatibilityDate,
          manifest: gateway.manifest,
          env: {
            DB: { type: "d1", name: "thirdspace", id: "bench" },
            ROOM: { type: "durable-object", worker: "thirdspace", exportName: "ClassroomRoom" },
            RUNNER: { type: "worker", worker: "thirdspace-runner" },
          },
          exports: { ClassroomRoom: { type: "durable-object", storage: "sqlite" } },
        },
        dev: { unsafeDirectSockets: [{ host: "127.0.0.1", port: appPort }] },
      },
      {
        config: {
          name: "thirdspace-runner",
          compatibilityDate: runner.compatibilityDate,
          manifest: runner.manifest,
          limits: cpuMs(join(appRoot, "worker", "runner", "wrangler.toml")),
        },
      },
      {
        config: {
          name: "bench-floor",
          compatibilityDate: gateway.compatibilityDate,
          manifest: FLOOR_MANIFEST,
          env: { FLOOR: { type: "durable-object", worker: "bench-floor", exportName: "FloorRoom" } },
          exports: { FloorRoom: { type: "durable-object", storage: "sqlite" } },
        },
        dev: { unsafeDirectSockets: [{ host: "127.0.0.1", port: floorPort }] },
      },
    ],
  });

  try {
    await mf.ready;
    const db = await mf.getD1Database("DB", "thirdspace");
    for (const { file, statements } of migrationBatches(join(appRoot, "migrations"))) {
      await db.batch(statements.map((s) => db.prepare(s))).catch((e) => {
        throw new Error(`migration ${file}: ${e.message}`);
      });
    }
  } catch (error) {
    await mf.dispose();
    throw new Error(`${error.message}\n--- workerd output ---\n${logs}`);
  }

  const target = (name, port) => ({ name, http: `http://127.0.0.1:${port}`, ws: `ws://127.0.0.1:${port}` });
  return {
    thirdspace: target("ThirdSpace", appPort),
    floor: target("DO floor", floorPort),
    // Miniflare spawns the workerd binary itself, so it is a direct child of this process.
    pid: childPidNamed(process.pid, "workerd"),
    logs: () => logs,
    dispose: () => mf.dispose(),
  };
}
