// Types for the plain-ESM helpers, so TypeScript callers (test setup) are checked.
import type { ChildProcess } from "node:child_process";

export const ROOT: string;
export const BIN: string;
export const QUIET_ENV: Record<string, string | undefined>;
export function freePort(): Promise<number>;
export function waitForHttp(url: string, options?: { timeoutMs?: number; child?: ChildProcess }): Promise<void>;
export function startWrangler(options: {
  config: string;
  port: number;
  inspectorPort: number;
  persistTo?: string;
  stdio?: "pipe" | "inherit";
  extraArgs?: string[];
  env?: Record<string, string>;
}): { child: ChildProcess; log: () => string };
export function stopTree(child: ChildProcess | undefined, signal?: NodeJS.Signals): void;
