// Serves the app the way it runs deployed: ONE workerd process holding the
// gateway (with its ClassroomRoom Durable Object and D1), the code runner
// behind the RUNNER service binding, and the bench's own Workers: the bare
// Durable Object relay (the platform floor for rooms), the bare R2 writer
// (the floor for uploads, bench/floor-files.js) and the grading dead-letter
// queue's consumer (bench/dead-letters.js) — started through Miniflare's
// API, with no `wrangler dev` proxy in front.
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
//
// The gateway's R2 bucket, grading queue (producer and consumer) and [vars]
// are read from its wrangler.toml with wrangler's own parser, so the queue's
// batch size, timeout, retries and dead-letter queue are the deployed ones.
import { mkdirSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Miniflare } from "miniflare";
import { experimental_readRawConfig } from "wrangler";
import { freePort } from "../scripts/lib/processes.mjs";
import { bundleWorker } from "./bundle.mjs";
import { childPidNamed } from "./proc.mjs";

/** A Worker of the bench's own: one hand-written module with no imports but the runtime's, nothing to bundle. */
function benchManifest(file) {
  return { mainModule: file, modules: { [file]: { type: "esm", contents: readFileSync(fileURLToPath(new URL(file, import.meta.url)), "utf8") } } };
}

/**
 * The [vars], R2 buckets and queues a wrangler config declares, as Miniflare
 * v5 `env` bindings and queue `triggers`, plus the dead-letter queues its
 * consumers name. A checkout that declares none of them gets none.
 */
function storageAndQueues(configPath) {
  const { rawConfig } = experimental_readRawConfig({ config: configPath });
  const env = {};
  for (const [name, value] of Object.entries(rawConfig.vars ?? {})) {
    env[name] = typeof value === "string" ? { type: "text", value } : { type: "json", value };
  }
  for (const bucket of rawConfig.r2_buckets ?? []) env[bucket.binding] = { type: "r2", name: bucket.bucket_name };
  for (const producer of rawConfig.queues?.producers ?? []) {
    env[producer.binding] = { type: "queue", name: producer.queue, deliveryDelay: producer.delivery_delay };
  }
  const consumers = rawConfig.queues?.consumers ?? [];
  const triggers = consumers.map((c) => ({
    type: "queue",
    name: c.queue,
    maxBatchSize: c.max_batch_size,
    maxBatchTimeout: c.max_batch_timeout,
    maxRetries: c.max_retries,
    retryDelay: c.retry_delay,
    maxConcurrency: c.max_concurrency,
    deadLetterQueue: c.dead_letter_queue,
  }));
  return { env, triggers, deadLetterQueues: consumers.map((c) => c.dead_letter_queue).filter(Boolean) };
}

/**
 * The RUNNER service binding as the config declares it: into the runner's
 * `entrypoint` (its RPC class) when it names one, else its default export
 * (a checkout from before the runner had one).
 */
function runnerBinding(configPath) {
  const { rawConfig } = experimental_readRawConfig({ config: configPath });
  const service = (rawConfig.services ?? []).find((s) => s.binding === "RUNNER");
  return { type: "worker", worker: "thirdspace-runner", ...(service?.entrypoint && { exportName: service.entrypoint }) };
}

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
 * { thirdspace, floor, filesFloor, pid, logs, onLog, d1, deadLetters, dispose }.
 * `thirdspace`, `floor` and `filesFloor` are bench targets ({ name, http, ws }),
 * `filesFloor` null when the app declares no FILES bucket;
 * `pid` is the workerd process; `d1()` the gateway's database as Node sees
 * it; `deadLetters()` the jobs its queues moved to a dead-letter queue.
 * `ports` ({ entry, app, floor, filesFloor }) fixes the ports instead of
 * taking free ones, for a caller that needs them known in advance or kept
 * outside the range the kernel hands out to outgoing connections.
 */
export async function startWorkerd({ appRoot, tmp, ports }) {
  const bundles = join(tmp, "bundles");
  const emptyAssets = join(tmp, "empty-assets");
  mkdirSync(emptyAssets, { recursive: true });
  const [gateway, runner] = await Promise.all([
    bundleWorker({ appRoot, config: "wrangler.toml", outDir: join(bundles, "gateway"), emptyAssets }),
    bundleWorker({ appRoot, config: "worker/runner/wrangler.toml", outDir: join(bundles, "runner") }),
  ]);
  const declared = storageAndQueues(join(appRoot, "wrangler.toml"));
  const [entryPort, appPort, floorPort, filesFloorPort] = ports
    ? [ports.entry, ports.app, ports.floor, ports.filesFloor]
    : await Promise.all([freePort(), freePort(), freePort(), freePort()]);

  // Worker output kept for error reports; printed live it would bury the tables.
  let logs = "";
  const keep = (line) => (logs = `${logs}${line}\n`.slice(-20_000));
  const listeners = new Set();

  const mf = new Miniflare({
    host: "127.0.0.1",
    port: entryPort,
    resourcePersistencePath: join(tmp, "state"),
    // No discovery of (or by) a developer's `npm start` on this machine.
    enableDevRegistry: false,
    logRequests: false,
    handleStructuredLogs: ({ level, message }) => {
      keep(`[${level}] ${message}`);
      for (const listener of listeners) listener(level, message);
    },
    workers: [
      {
        config: {
          name: "thirdspace",
          compatibilityDate: gateway.compatibilityDate,
          manifest: gateway.manifest,
          env: {
            DB: { type: "d1", name: "thirdspace", id: "bench" },
            ROOM: { type: "durable-object", worker: "thirdspace", exportName: "ClassroomRoom" },
            RUNNER: runnerBinding(join(appRoot, "wrangler.toml")),
            ...declared.env,
          },
          exports: { ClassroomRoom: { type: "durable-object", storage: "sqlite" } },
          triggers: declared.triggers,
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
          manifest: benchManifest("floor-relay.js"),
          env: { FLOOR: { type: "durable-object", worker: "bench-floor", exportName: "FloorRoom" } },
          exports: { FloorRoom: { type: "durable-object", storage: "sqlite" } },
        },
        dev: { unsafeDirectSockets: [{ host: "127.0.0.1", port: floorPort }] },
      },
      ...(declared.env.FILES
        ? [
            {
              config: {
                name: "bench-floor-files",
                compatibilityDate: gateway.compatibilityDate,
                manifest: benchManifest("floor-files.js"),
                env: { FILES: declared.env.FILES },
              },
              dev: { unsafeDirectSockets: [{ host: "127.0.0.1", port: filesFloorPort }] },
            },
          ]
        : []),
      ...(declared.deadLetterQueues.length
        ? [
            {
              config: {
                name: "bench-dead-letters",
                compatibilityDate: gateway.compatibilityDate,
                manifest: benchManifest("dead-letters.js"),
                triggers: declared.deadLetterQueues.map((name) => ({ type: "queue", name })),
              },
            },
          ]
        : []),
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
    filesFloor: declared.env.FILES ? target("R2 floor", filesFloorPort) : null,
    // Miniflare spawns the workerd binary itself, so it is a direct child of this process.
    pid: childPidNamed(process.pid, "workerd"),
    logs: () => logs,
    /** Calls `listener(level, message)` for each line the Workers log, until the returned function is called. */
    onLog: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    d1: () => mf.getD1Database("DB", "thirdspace"),
    deadLetters: async () => {
      if (!declared.deadLetterQueues.length) return [];
      const res = await (await mf.getWorker("bench-dead-letters")).fetch("http://dead-letters/");
      return (await res.json()).jobs;
    },
    dispose: () => mf.dispose(),
  };
}
