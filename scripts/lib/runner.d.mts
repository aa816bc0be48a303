// Types for runner.mjs, so the TypeScript test setup is checked.
export const RUNNER_CONFIG: string;
export function startRunner(options?: { rpcPort?: number; publicPort?: number }): Promise<{
  rpcPort: number;
  publicPort: number;
  logs: () => string;
  dispose: () => Promise<void>;
}>;
