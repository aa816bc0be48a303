/**
 * Runs untrusted JavaScript in QuickJS compiled to WebAssembly.
 *
 * The guest gets a fresh runtime per run with a memory cap, a stack cap and
 * an instruction budget; its only way out is `console`, whose output is capped.
 * QuickJS has no `fetch`, `process`, `require` or timers, and we add none.
 */
import { newQuickJSWASMModuleFromVariant, newVariant, type QuickJSWASMModule } from "quickjs-emscripten-core";
import releaseSyncVariant from "@jitl/quickjs-wasmfile-release-sync";
// Workers cannot compile wasm from bytes at run time; wrangler bundles a
// `.wasm` import as a precompiled WebAssembly.Module instead.
// https://developers.cloudflare.com/workers/runtime-apis/webassembly/
import quickjsWasm from "../../node_modules/@jitl/quickjs-wasmfile-release-sync/dist/emscripten-module.wasm";
import type { RunOutput } from "../../protocol";
import { GUEST_PRELUDE } from "./prelude";

export interface SandboxLimits {
  /**
   * How many times QuickJS may call the interrupt handler (about every 10k
   * bytecode ops). Deployed Workers do not advance the clock during
   * synchronous CPU work, so a wall-clock deadline would never fire there:
   * https://developers.cloudflare.com/workers/reference/security-model/#step-1-disallow-timers-and-multi-threading
   */
  interruptBudget: number;
  memoryBytes: number;
  stackBytes: number;
  outputChars: number;
}

export const DEFAULT_LIMITS: SandboxLimits = {
  interruptBudget: 10_000,
  memoryBytes: 8 * 1024 * 1024,
  stackBytes: 256 * 1024,
  outputChars: 64 * 1024,
};

/** Promise jobs run between two budget checks: about the time of the work between two interrupts (measured with `for (;;) await 0` against `while (true) {}`). */
const JOBS_PER_CHECK = 25;

let modulePromise: Promise<QuickJSWASMModule> | null = null;

function quickjs(): Promise<QuickJSWASMModule> {
  modulePromise ??= newQuickJSWASMModuleFromVariant(newVariant(releaseSyncVariant, { wasmModule: quickjsWasm }));
  return modulePromise;
}

/** Collects console output in order, up to a cap, then marks the cut. */
class OutputCollector {
  private used = 0;
  truncated = false;
  readonly lines: { stream: "stdout" | "stderr"; text: string }[] = [];

  constructor(private readonly cap: number) {}

  push(stream: "stdout" | "stderr", text: string): void {
    if (this.truncated) return;
    const room = this.cap - this.used;
    if (text.length + 1 > room) {
      this.truncated = true;
      if (room > 0) this.lines.push({ stream, text: text.slice(0, room) });
      this.used = this.cap;
      return;
    }
    this.used += text.length + 1;
    this.lines.push({ stream, text });
  }

  text(stream?: "stdout" | "stderr"): string {
    return this.lines
      .filter((l) => !stream || l.stream === stream)
      .map((l) => l.text)
      .join("\n");
  }
}

export function truncationMarker(limits: SandboxLimits): string {
  return `… output truncated at ${Math.round(limits.outputChars / 1024)} KiB`;
}

type StopReason = "time" | "output" | null;

function describeGuestError(dumped: unknown, stopped: StopReason, limits: SandboxLimits): string {
  if (stopped === "time") return `Time limit exceeded: the program was stopped (budget ${limits.interruptBudget} checks).`;
  if (stopped === "output") return `Output limit exceeded: the program was stopped after ${Math.round(limits.outputChars / 1024)} KiB of output.`;
  if (dumped && typeof dumped === "object") {
    const { name, message } = dumped as { name?: unknown; message?: unknown };
    if (message === "out of memory") return `Memory limit exceeded: the program used more than ${limits.memoryBytes / 1048576} MiB.`;
    if (typeof message === "string") return `${typeof name === "string" ? name : "Error"}: ${message}`;
  }
  // `throw 42` or `throw null`: QuickJS dumps the value itself.
  return `Uncaught ${typeof dumped === "string" ? dumped : JSON.stringify(dumped) ?? String(dumped)}`;
}

/**
 * Runs `code` as a classic script; the value of its last expression is the
 * result. `preamble` is trusted guest code run first (the autograder's stdin
 * and arguments), inside the same limits.
 */
export async function runJavaScript(code: string, limits: SandboxLimits = DEFAULT_LIMITS, preamble = ""): Promise<RunOutput> {
  const started = performance.now();
  const module = await quickjs();
  const out = new OutputCollector(limits.outputChars);
  let checks = 0;
  let stopped: StopReason = null;

  const runtime = module.newRuntime();
  runtime.setMemoryLimit(limits.memoryBytes);
  runtime.setMaxStackSize(limits.stackBytes);
  // A program that floods the console is stopped too: printing is slow
  // (one host call a line), so it would otherwise stretch the time budget.
  runtime.setInterruptHandler(() => {
    checks += 1;
    if (out.truncated) stopped ??= "output";
    if (checks > limits.interruptBudget) stopped ??= "time";
    return stopped !== null;
  });
  const vm = runtime.newContext();

  let result: string | null = null;
  let error: string | null = null;
  try {
    const emit = vm.newFunction("__emit", (streamHandle, textHandle) => {
      out.push(vm.getString(streamHandle) === "stderr" ? "stderr" : "stdout", vm.getString(textHandle));
    });
    vm.setProp(vm.global, "__emit", emit);
    emit.dispose();
    vm.unwrapResult(vm.evalCode(GUEST_PRELUDE, "prelude.js")).dispose();
    if (preamble) vm.unwrapResult(vm.evalCode(preamble, "preamble.js")).dispose();

    const evaluated = vm.evalCode(code, "main.js");
    if (evaluated.error) {
      error = describeGuestError(vm.dump(evaluated.error), stopped, limits);
      evaluated.error.dispose();
    } else {
      vm.setProp(vm.global, "__result", evaluated.value);
      evaluated.value.dispose();
      // Run promise callbacks the script queued (`.then`, async functions),
      // in slices: a job is too short for the interrupt handler to see, so
      // `for (;;) await 0` would otherwise run one job after another for
      // ever, inside a single call. Each slice counts as one check.
      let jobs: ReturnType<typeof runtime.executePendingJobs> | null = null;
      for (;;) {
        jobs?.dispose();
        jobs = runtime.executePendingJobs(JOBS_PER_CHECK);
        if (jobs.error || jobs.value === 0) break;
        checks += 1;
        if (checks > limits.interruptBudget) stopped ??= "time";
        if (stopped) break;
      }
      if (stopped && !jobs.error) {
        jobs.dispose();
        error = describeGuestError({ message: "interrupted" }, stopped, limits);
      } else if (jobs.error) {
        error = describeGuestError(vm.dump(jobs.error), stopped, limits);
        jobs.error.dispose();
      } else {
        const shown = vm.evalCode("__format(__result)", "result.js");
        if (shown.error) {
          error = describeGuestError(vm.dump(shown.error), stopped, limits);
          shown.error.dispose();
        } else {
          const text = vm.getString(shown.value);
          shown.value.dispose();
          result = text === "undefined" ? null : text;
        }
      }
    }
  } catch (e) {
    // The host side of QuickJS failed (e.g. out of memory while marshalling).
    error = describeGuestError({ message: e instanceof Error ? e.message : String(e) }, stopped, limits);
  } finally {
    try {
      vm.dispose();
      runtime.dispose();
    } catch {
      // A runtime that ran out of memory can fail its own teardown; start
      // the next run on a fresh wasm instance rather than reuse this one.
      modulePromise = null;
    }
  }

  const stdout = out.text("stdout");
  const stderr = out.text("stderr");
  const tail = [out.truncated ? truncationMarker(limits) : null, error ?? result];
  const codeOutput = [out.text(), ...tail].filter((s): s is string => s !== null && s !== "").join("\n");
  return {
    codeOutput,
    stdout,
    stderr,
    result,
    error,
    truncated: out.truncated,
    timedOut: stopped === "time",
    durationMs: Math.round((performance.now() - started) * 10) / 10,
  };
}
