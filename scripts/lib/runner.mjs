// The code runner in a workerd process of its own, started through
// Miniflare's API from the bundle `wrangler deploy` would upload. Used by the
// integration tests, which reach it from the test Worker's own workerd: one
// workerd process runs its isolates on one thread, so only a second process
// shows a room answering while a program spins.
//
// Two sockets, as deployed: `rpcPort` leads into the `Runner` entrypoint (the
// app's service binding, `entrypoint = "Runner"`; Workers RPC crosses the
// process boundary over Cap'n Proto, which Miniflare enables on every
// socket), `publicPort` into the default export, which is what a route or a
// workers.dev address would reach.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Miniflare } from "miniflare";
import { bundleWorker } from "../../bench/bundle.mjs";
import { ROOT, freePort } from "./processes.mjs";

export const RUNNER_CONFIG = "worker/runner/wrangler.toml";

/** Answers { rpcPort, publicPort, logs, dispose }; `logs()` is the runner's recent console output. */
export async function startRunner({ rpcPort, publicPort } = {}) {
  const tmp = mkdtempSync(join(tmpdir(), "thirdspace-runner-"));
  let logs = "";
  let mf;
  try {
    const runner = await bundleWorker({ appRoot: ROOT, config: RUNNER_CONFIG, outDir: join(tmp, "bundle") });
    const [rpc, direct, entry] = await Promise.all([rpcPort ?? freePort(), publicPort ?? freePort(), freePort()]);
    mf = new Miniflare({
      host: "127.0.0.1",
      port: entry,
      // No discovery of (or by) a developer's `npm start` on this machine.
      enableDevRegistry: false,
      logRequests: false,
      handleStructuredLogs: ({ level, message }) => (logs = `${logs}[${level}] ${message}\n`.slice(-20_000)),
      workers: [
        {
          config: { name: "thirdspace-runner", compatibilityDate: runner.compatibilityDate, manifest: runner.manifest },
          dev: {
            unsafeDirectSockets: [
              { host: "127.0.0.1", port: rpc, entrypoint: "Runner" },
              { host: "127.0.0.1", port: direct },
            ],
          },
        },
      ],
    });
    await mf.ready;
    return {
      rpcPort: rpc,
      publicPort: direct,
      logs: () => logs,
      dispose: async () => {
        await mf.dispose();
        rmSync(tmp, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await mf?.dispose().catch(() => {});
    rmSync(tmp, { recursive: true, force: true });
    throw new Error(`the code runner did not start: ${error instanceof Error ? error.message : error}\n${logs}`);
  }
}
