/**
 * Runs untrusted JavaScript in QuickJS compiled to WebAssembly.
 *
 * The guest gets a fresh runtime per run with a memory cap, a stack cap and
 * an instruction budget; its only way out is `console`, whose output is capped.
 * QuickJS has no `fetch`, `process`, `require` or timers, and we add none.
 */
import { newQuickJSWASMModuleFromVariant, newVariant, type QuickJSContext, type QuickJSHandle, type QuickJSWASMModule } from "quickjs-emscripten-core";
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
  stackBytes: number;
  outputChars: number;
}

export const DEFAULT_LIMITS: SandboxLimits = {
  interruptBudget: 10_000,
  stackBytes: 256 * 1024,
  outputChars: 64 * 1024,
};

/**
 * The guest's memory, in bytes: QuickJS's whole WebAssembly memory, of fixed
 * size. QuickJS's own memory limit does not count bytes in this build: under
 * Emscripten it has no malloc_usable_size and counts each allocation as
 * 8 bytes, whatever its size (measured: an "8 MiB" limit let a program keep
 * 1,935 arrays of 100,000 numbers, 1.5 GB, until wasm's 2 GiB maximum, 3.5 s
 * of filling arrays between two interrupt checks). A memory that cannot grow
 * is counted in bytes by construction. 16 MiB is the least this build takes
 * (its initial memory); its own data and stack use about 4.5 MiB of it, so a
 * program gets about 11 MiB. It also keeps the runner's isolate far below the
 * platform's 128 MB, which a 2 GiB guest would pass, ending every run in it:
 * https://developers.cloudflare.com/workers/platform/limits/#memory
 */
export const HEAP_BYTES = 16 * 1024 * 1024;
const WASM_PAGE_BYTES = 65_536;

/** Promise jobs run between two budget checks: about the time of the work between two interrupts (measured with `for (;;) await 0` against `while (true) {}`). */
const JOBS_PER_CHECK = 25;

/** One QuickJS instance and its memory, shared by the runs of this isolate one after another (a run never awaits once it has started). */
interface Engine {
  module: QuickJSWASMModule;
  /** Set when an allocation found the memory full, during the run under way. */
  heap: { exhausted: boolean };
}

let enginePromise: Promise<Engine> | null = null;

function engine(): Promise<Engine> {
  enginePromise ??= (async () => {
    const heap = { exhausted: false };
    const pages = HEAP_BYTES / WASM_PAGE_BYTES;
    const memory = new WebAssembly.Memory({ initial: pages, maximum: pages });
    // Emscripten's malloc asks the memory to grow when it has no room left;
    // past the maximum that throws, and QuickJS raises "out of memory". It is
    // noted here because the program may never report it: it can catch the
    // error, or meet it in a promise callback, whose failure nothing shows.
    const grow = memory.grow.bind(memory);
    memory.grow = (delta: number) => {
      try {
        return grow(delta);
      } catch (error) {
        heap.exhausted = true;
        throw error;
      }
    };
    const module = await newQuickJSWASMModuleFromVariant(newVariant(releaseSyncVariant, { wasmModule: quickjsWasm, wasmMemory: memory }));
    return { module, heap };
  })();
  return enginePromise;
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

/**
 * `text` cut to at most `room` UTF-16 units, ending with the marker when cut
 * (never between the two halves of a surrogate pair).
 */
export function capText(text: string, room: number, limits: SandboxLimits): { text: string; cut: boolean } {
  if (text.length <= room) return { text, cut: false };
  const marker = truncationMarker(limits);
  let end = Math.max(0, room - marker.length - 1);
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end -= 1;
  return { text: `${text.slice(0, end)}\n${marker}`, cut: true };
}

/**
 * codeOutput: console output, then the result or error, within the cap. When
 * both are long, each is cut, and the result or error keeps at least half.
 */
function joinCapped(head: string, tail: string, limits: SandboxLimits): { text: string; cut: boolean } {
  const cap = limits.outputChars;
  if (!head || !tail) return capText(head || tail, cap, limits);
  if (head.length + 1 + tail.length <= cap) return { text: `${head}\n${tail}`, cut: false };
  const shownTail = capText(tail, Math.max(Math.floor(cap / 2), cap - head.length - 1), limits);
  const shownHead = capText(head, cap - shownTail.text.length - 1, limits);
  return { text: `${shownHead.text}\n${shownTail.text}`, cut: true };
}

type StopReason = "time" | "output" | "memory" | null;

// Read by students in the output panel: what happened and the likely cause, not the sandbox's mechanics.
const MEMORY_EXCEEDED = `Your program ran out of memory (it may use ${HEAP_BYTES / 1048576} MiB) and was stopped.`;

function describeStop(stopped: "time" | "output" | "memory", limits: SandboxLimits): string {
  if (stopped === "time") return "Your program ran too long and was stopped (it may have an endless loop).";
  if (stopped === "memory") return MEMORY_EXCEEDED;
  return `Your program printed more than ${Math.round(limits.outputChars / 1024)} KiB of output and was stopped.`;
}

function describeHostFailure(message: string, stopped: StopReason, limits: SandboxLimits): string {
  if (stopped) return describeStop(stopped, limits);
  if (message === "out of memory") return MEMORY_EXCEEDED;
  return `Error: ${message}`;
}

/**
 * What the program threw, as text no longer than the cap allows. Read through
 * handles, never `vm.dump`: that serialises the whole value to JSON on the
 * host, megabytes for a thrown giant object.
 */
function describeThrown(vm: QuickJSContext, thrown: QuickJSHandle, stopped: StopReason, limits: SandboxLimits): string {
  if (stopped) return describeStop(stopped, limits);
  const longest = limits.outputChars + 1;
  if (vm.typeof(thrown) === "object") {
    const message = vm.getProp(thrown, "message");
    const name = vm.getProp(thrown, "name");
    try {
      if (vm.typeof(message) === "string") {
        const text = vm.getString(message).slice(0, longest);
        if (text === "out of memory") return describeHostFailure(text, null, limits);
        return `${vm.typeof(name) === "string" ? vm.getString(name).slice(0, longest) : "Error"}: ${text}`;
      }
    } finally {
      message.dispose();
      name.dispose();
    }
  }
  // `throw 42`, `throw null`, `throw { code: 1 }`: the value itself, as JSON
  // where it has a JSON form, made and cut in the guest. Compiled only now:
  // nothing is added to the guest of a run that does not need it.
  const describe = vm.evalCode(
    `(v) => { if (typeof v === "string") return v.slice(0, ${longest}); let s; try { s = JSON.stringify(v); } catch {} return (s === undefined ? String(v) : s).slice(0, ${longest}); }`,
    "describe.js",
  );
  if (describe.error) {
    describe.error.dispose();
    return "Uncaught exception (it could not be shown)";
  }
  const shown = vm.callFunction(describe.value, vm.undefined, thrown);
  describe.value.dispose();
  if (shown.error) {
    shown.error.dispose();
    return "Uncaught exception (it could not be shown)";
  }
  const text = vm.getString(shown.value);
  shown.value.dispose();
  return `Uncaught ${text}`;
}

/**
 * Runs `code` as a classic script; the value of its last expression is the
 * result. `preamble` is trusted guest code run first (the autograder's stdin
 * and arguments), inside the same limits.
 */
export async function runJavaScript(code: string, limits: SandboxLimits = DEFAULT_LIMITS, preamble = ""): Promise<RunOutput> {
  const started = performance.now();
  const { module, heap } = await engine();
  // From here to the end nothing awaits, so no other run shares the engine meanwhile.
  heap.exhausted = false;
  const out = new OutputCollector(limits.outputChars);
  let checks = 0;
  let stopped: StopReason = null;
  // Running out of memory ends the run, caught or not, as it would end a Node process.
  const stopReason = (): StopReason => {
    if (heap.exhausted) stopped ??= "memory";
    return stopped;
  };

  const runtime = module.newRuntime();
  runtime.setMaxStackSize(limits.stackBytes);
  // A program that floods the console is stopped too: printing is slow
  // (one host call a line), so it would otherwise stretch the time budget.
  // One check of the budget: QuickJS's interrupts, and each slice of promise jobs below.
  const check = (): boolean => {
    checks += 1;
    if (out.truncated) stopped ??= "output";
    if (checks > limits.interruptBudget) stopped ??= "time";
    return stopReason() !== null;
  };
  runtime.setInterruptHandler(check);
  const vm = runtime.newContext();

  let result: string | null = null;
  let error: string | null = null;
  // Describing a thrown value may run guest code (a getter, a toString) that the budget then stops.
  const fail = (thrown: QuickJSHandle): string => {
    const text = describeThrown(vm, thrown, stopReason(), limits);
    thrown.dispose();
    const reason = stopReason();
    return reason ? describeStop(reason, limits) : text;
  };
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
      error = fail(evaluated.error);
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
        if (jobs.error || jobs.value === 0 || check()) break;
      }
      const reason = stopReason();
      if (reason && !jobs.error) {
        jobs.dispose();
        error = describeStop(reason, limits);
      } else if (jobs.error) {
        error = fail(jobs.error);
      } else {
        // A string result is cut before it is quoted: quoting a huge one would double it in the guest's memory.
        const longest = limits.outputChars + 1;
        const shown = vm.evalCode(`__format(typeof __result === "string" && __result.length > ${longest} ? __result.slice(0, ${longest}) : __result)`, "result.js");
        if (shown.error) {
          error = fail(shown.error);
        } else {
          const text = vm.getString(shown.value);
          shown.value.dispose();
          result = text === "undefined" ? null : text;
        }
      }
    }
    // Memory may have run out where no error reached us: in a promise
    // callback, under a try/catch, or while the result was formatted.
    const reason = stopReason();
    if (reason && !error) {
      result = null;
      error = describeStop(reason, limits);
    }
  } catch (e) {
    // The host side of QuickJS failed (e.g. out of memory while marshalling).
    error = describeHostFailure(e instanceof Error ? e.message : String(e), stopReason(), limits);
  } finally {
    let clean = !heap.exhausted;
    try {
      vm.dispose();
      runtime.dispose();
    } catch {
      clean = false;
    }
    // A runtime that ran out of memory can fail its teardown or leave
    // blocks behind in a memory that never grows: the next run gets a fresh
    // wasm instance of the compiled module (about 10 ms, measured in Node).
    if (!clean) enginePromise = null;
  }

  // Every text is cut at the same cap: a result or error of megabytes would
  // otherwise travel whole, as JSON, to a room that parses it on its one thread.
  const shownResult = result === null ? null : capText(result, limits.outputChars, limits);
  const shownError = error === null ? null : capText(error, limits.outputChars, limits);
  const consoleText = [out.text(), out.truncated ? truncationMarker(limits) : null].filter((s): s is string => s !== null && s !== "").join("\n");
  const codeOutput = joinCapped(consoleText, (shownError ?? shownResult)?.text ?? "", limits);
  return {
    codeOutput: codeOutput.text,
    stdout: out.text("stdout"),
    stderr: out.text("stderr"),
    result: shownResult?.text ?? null,
    error: shownError?.text ?? null,
    truncated: out.truncated || codeOutput.cut || Boolean(shownResult?.cut) || Boolean(shownError?.cut),
    timedOut: stopped === "time",
    durationMs: Math.round((performance.now() - started) * 10) / 10,
  };
}
