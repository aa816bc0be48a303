// Child-process helpers shared by `npm start`, the test setup and the benchmarks.
// Plain ESM with no dependencies: it must run before `npm ci` has.
import { spawn } from "node:child_process";
import { createServer } from "node:net";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
export const BIN = join(ROOT, "node_modules", ".bin");

/**
 * No telemetry and no lookups outside this machine. THIRDSPACE_BUILT: these
 * scripts build the front end and migrate their own state folders, so
 * wrangler.toml's [build] step (for a plain `wrangler dev`) is skipped.
 */
export const QUIET_ENV = {
  ...process.env,
  PATH: `${BIN}:${process.env.PATH ?? ""}`,
  WRANGLER_SEND_METRICS: "false",
  CLOUDFLARE_CF_FETCH_ENABLED: "false",
  THIRDSPACE_BUILT: "1",
};

export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

export async function waitForHttp(url, { timeoutMs = 60_000, child } = {}) {
  const deadline = Date.now() + timeoutMs;
  let lastError;
  while (Date.now() < deadline) {
    if (child && child.exitCode !== null) throw new Error(`${url}: the server exited with code ${child.exitCode}`);
    try {
      const res = await fetch(url);
      await res.arrayBuffer();
      return;
    } catch (e) {
      lastError = e;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${url} did not answer within ${timeoutMs} ms: ${lastError}`);
}

/**
 * Starts `wrangler dev` for one config in its own workerd process.
 * `stdio: "pipe"` keeps output for errors; "inherit" shows it live.
 */
export function startWrangler({ config, port, inspectorPort, persistTo, stdio = "pipe", extraArgs = [], env = {} }) {
  const args = ["dev", "-c", config, "--ip", "127.0.0.1", "--port", String(port), "--inspector-port", String(inspectorPort)];
  if (persistTo) args.push("--persist-to", persistTo);
  const child = spawn(join(BIN, "wrangler"), [...args, ...extraArgs], {
    cwd: ROOT,
    env: { ...QUIET_ENV, ...env },
    stdio: stdio === "inherit" ? ["ignore", "inherit", "inherit"] : ["ignore", "pipe", "pipe"],
    detached: process.platform !== "win32",
  });
  let log = "";
  if (stdio !== "inherit") {
    child.stdout.on("data", (d) => (log = (log + d).slice(-20_000)));
    child.stderr.on("data", (d) => (log = (log + d).slice(-20_000)));
  }
  return { child, log: () => log };
}

/** Ends a child and everything it started (wrangler starts workerd). */
export function stopTree(child, signal = "SIGTERM") {
  if (!child || child.exitCode !== null || child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    try {
      child.kill(signal);
    } catch {
      // already gone
    }
  }
}
