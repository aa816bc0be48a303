/**
 * Starts the code runner Worker in its own workerd process for the
 * integration tests, and hands its port to vitest.config.ts. A separate
 * process is the point: workerd runs every isolate of one process on one
 * thread, so only this shows a room answering while a program spins.
 */
import type { TestProject } from "vitest/node";
import { freePort, startWrangler, stopTree, waitForHttp } from "../../scripts/lib/processes.mjs";

declare module "vitest" {
  export interface ProvidedContext {
    runnerPort: number;
  }
}

export default async function setup(project: TestProject) {
  const port = await freePort();
  const inspectorPort = await freePort();
  const runner = startWrangler({ config: "worker/runner/wrangler.toml", port, inspectorPort });
  try {
    await waitForHttp(`http://127.0.0.1:${port}/`, { child: runner.child, timeoutMs: 90_000 });
  } catch (e) {
    stopTree(runner.child);
    throw new Error(`${e}\n${runner.log()}`);
  }
  project.provide("runnerPort", port);
  return () => stopTree(runner.child);
}
