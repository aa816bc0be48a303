// What the bench reads about its server processes from /proc (Linux only):
// which process workerd is, its resident memory (what one more idle, joined
// connection costs), and whether it is still busy with the previous
// measurement.
import { readFileSync, readdirSync } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";

/** The pid of the child of `parent` whose command name is `name` (e.g. Miniflare's workerd). */
export function childPidNamed(parent, name) {
  const found = [];
  // A child is listed under the thread that spawned it, so look at every thread.
  for (const task of readdirSync(`/proc/${parent}/task`)) {
    const children = readFileSync(`/proc/${parent}/task/${task}/children`, "utf8").trim();
    for (const pid of children ? children.split(/\s+/).map(Number) : []) {
      if (readFileSync(`/proc/${pid}/comm`, "utf8").trim() === name) found.push(pid);
    }
  }
  if (found.length !== 1) throw new Error(`expected one "${name}" child of ${parent}, found ${found.length}`);
  return found[0];
}

/** VmRSS of `pid` in bytes. */
export function rssBytes(pid) {
  const kib = /^VmRSS:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1];
  if (!kib) throw new Error(`no VmRSS for pid ${pid}`);
  return Number(kib) * 1024;
}

/** Per-connection cost from two RSS readings around `connections` idle, joined connections. */
export function perConnection(before, after, connections) {
  const MiB = 1024 * 1024;
  return {
    connections,
    rssBeforeMiB: Math.round((before / MiB) * 10) / 10,
    rssAfterMiB: Math.round((after / MiB) * 10) / 10,
    kibPerConnection: Math.round(((after - before) / 1024 / connections) * 10) / 10,
  };
}

/** User + system CPU time of `pid`, in clock ticks (1/100 s on Linux). */
function cpuTicks(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  // Fields after the command name, which is in parentheses and may hold spaces.
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return Number(fields[11]) + Number(fields[12]); // utime, stime (fields 14 and 15 of the whole line)
}

/**
 * Waits until each of `pids` uses under ~4% of a core over half a second
 * (at most `timeoutMs`). A room that just lost 500 sockets is still sending
 * LEAVE notices and writing them down; the next measurement must not pay
 * for that. Returns the milliseconds waited.
 */
export async function waitForQuiet(pids, timeoutMs = 15_000) {
  const started = Date.now();
  while (Date.now() - started < timeoutMs) {
    const before = pids.map(cpuTicks);
    await sleep(500);
    if (pids.every((pid, i) => cpuTicks(pid) - before[i] <= 2)) break;
  }
  return Date.now() - started;
}

/** Share of the whole machine's CPU time spent busy over `ms` (0..1), from /proc/stat. */
export async function machineBusy(ms = 1_000) {
  const read = () => {
    const [, ...ticks] = readFileSync("/proc/stat", "utf8").split("\n")[0].trim().split(/\s+/).map(Number);
    const idle = ticks[3] + ticks[4]; // idle + iowait
    return { idle, total: ticks.reduce((a, b) => a + b, 0) };
  };
  const before = read();
  await sleep(ms);
  const after = read();
  return 1 - (after.idle - before.idle) / Math.max(1, after.total - before.total);
}
