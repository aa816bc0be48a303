/**
 * Starts the code runner Worker in its own workerd process for the
 * integration tests (scripts/lib/runner.mjs), and hands its ports to
 * vitest.config.ts and the tests. A separate process is the point: workerd
 * runs every isolate of one process on one thread, so only this shows a room
 * answering while a program spins.
 */
import type { TestProject } from "vitest/node";
import { startRunner } from "../../scripts/lib/runner.mjs";

declare module "vitest" {
  export interface ProvidedContext {
    /** The `Runner` RPC entrypoint: the app's RUNNER service binding. */
    runnerRpcPort: number;
    /** The runner's default export: what a URL would reach. */
    runnerPort: number;
  }
}

export default async function setup(project: TestProject) {
  const runner = await startRunner();
  project.provide("runnerRpcPort", runner.rpcPort);
  project.provide("runnerPort", runner.publicPort);
  return () => runner.dispose();
}
