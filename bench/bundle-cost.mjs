// What the gateway's bundle costs before it does any work: its size (the
// upload limit and every cold isolate pay for it) and the time a fresh
// workerd takes to load it and answer its first request.
//
//   size        the gateway as `wrangler deploy --dry-run --outdir` builds it
//               (minified unless wrangler.toml says otherwise), raw and
//               gzipped, and which packages its bytes come from: each span of
//               the output is charged to the source its map points at
//   cold start  a new workerd process with the bundle alone (no bindings: the
//               gateway touches none at load, and GET /api/health none
//               either), timed from Miniflare's setOptions to the first
//               response's body
//
// Compared in the same run with the platform's floor (a worker of one line
// answering 200, loaded the same way: process start, config and socket are
// the floor's too, so gateway minus floor is what our script costs) and with
// what a developer would have written instead: the same sources importing
// zod as `import { z } from "zod"`, whose namespace object keeps every
// export alive, every error-message locale included. Also the other side of
// minification, so the table shows what it is worth.
//
// Cold loads run round-robin over the variants, after one discarded round:
// whatever drifts on a shared machine drifts for all of them alike.
import { spawn } from "node:child_process";
import { cpSync, mkdirSync, readFileSync, readdirSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { join, relative, resolve, sep } from "node:path";
import { gzipSync } from "node:zlib";
import { Miniflare } from "miniflare";
import { experimental_readRawConfig } from "wrangler";
import { BIN, QUIET_ENV } from "../scripts/lib/processes.mjs";
import { manifestOf } from "./bundle.mjs";
import { childPidNamed } from "./proc.mjs";
import { percentile } from "./stats.mjs";

const FLOOR_SOURCE = 'export default { fetch: () => new Response("ok") };\n';
const PROBE = "http://bench.local/api/health";
/** Two or more packages under this share of the bundle are summed as "other packages": the table is for the big ones. */
const MIN_SHARE = 0.01;

function wrangler(args, cwd) {
  return new Promise((done, fail) => {
    const child = spawn(join(BIN, "wrangler"), args, { cwd, env: QUIET_ENV, stdio: ["ignore", "pipe", "pipe"] });
    let log = "";
    child.stdout.on("data", (d) => (log = (log + d).slice(-20_000)));
    child.stderr.on("data", (d) => (log = (log + d).slice(-20_000)));
    child.on("error", fail);
    child.on("exit", (code) => (code === 0 ? done(log) : fail(new Error(`wrangler ${args.join(" ")} exited ${code}:\n${log}`))));
  });
}

/** The gateway's config as wrangler reads it: its `minify` and compatibility date. */
function gatewayConfig(appRoot) {
  const { rawConfig } = experimental_readRawConfig({ config: join(appRoot, "wrangler.toml") });
  if (!rawConfig.compatibility_date) throw new Error(`${appRoot}/wrangler.toml: no compatibility_date`);
  return { minify: rawConfig.minify, compatibilityDate: rawConfig.compatibility_date };
}

/**
 * One dry-run deploy of `root`'s wrangler.toml into `outDir`. `minify` true
 * or false overrides the config (wrangler's own flag wins over the file);
 * undefined leaves the file's word.
 */
async function build(root, outDir, emptyAssets, minify) {
  const args = ["deploy", "--dry-run", "--outdir", outDir, "-c", "wrangler.toml", "--assets", emptyAssets];
  if (minify !== undefined) args.push(minify ? "--minify" : "--no-minify");
  await wrangler(args, root);
  return outDir;
}

// --- Where the bytes come from ---------------------------------------------

const BASE64 = new Map([..."ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"].map((c, i) => [c, i]));

/** The numbers of one source-map segment (base64 VLQ, each signed). */
function vlq(segment) {
  const out = [];
  let value = 0;
  let shift = 0;
  for (const c of segment) {
    const digit = BASE64.get(c);
    value += (digit & 31) << shift;
    if (digit & 32) {
      shift += 5;
      continue;
    }
    out.push(value & 1 ? -(value >>> 1) : value >>> 1);
    value = 0;
    shift = 0;
  }
  return out;
}

/**
 * Output bytes per source index (-1: bytes no mapping covers: esbuild's
 * glue, newlines). A segment runs from its column to the next segment's.
 */
function bytesPerSource(code, mappings) {
  const lines = code.split("\n");
  const bytes = new Map();
  const add = (source, text) => bytes.set(source, (bytes.get(source) ?? 0) + Buffer.byteLength(text));
  let source = 0;
  const groups = mappings.split(";");
  // Lines past the last mapped one (the sourceMappingURL comment) are esbuild's too.
  for (const line of lines.slice(groups.length)) add(-1, `${line}\n`);
  groups.forEach((group, i) => {
    const line = lines[i] ?? "";
    let column = 0;
    let current = -1;
    let from = 0;
    for (const segment of group ? group.split(",") : []) {
      const fields = vlq(segment);
      column += fields[0];
      add(current, line.slice(from, column));
      if (fields.length > 1) source += fields[1];
      current = fields.length > 1 ? source : -1;
      from = column;
    }
    add(current, `${line.slice(from)}\n`);
  });
  return bytes;
}

/** `@scope/name` or `name` for a file under node_modules; our own files by their top directory. */
function packageOf(file, root) {
  const parts = file.split(sep);
  const at = parts.lastIndexOf("node_modules");
  if (at >= 0) return parts[at + 1].startsWith("@") ? `${parts[at + 1]}/${parts[at + 2]}` : parts[at + 1];
  const inside = relative(root, file).split(sep);
  return inside[0] === ".." ? "(elsewhere)" : `ours: ${inside.length > 1 ? `${inside[0]}/` : inside[0]}`;
}

/**
 * The bundle in `dir`: raw and gzip bytes, and its output bytes by package
 * (biggest first), beside each package's source bytes going in.
 */
function sizeOf(dir, root) {
  const code = readFileSync(join(dir, "index.js"), "utf8");
  const raw = Buffer.byteLength(code);
  const result = { rawBytes: raw, gzipBytes: gzipSync(code).length, packages: [] };
  let map;
  try {
    map = JSON.parse(readFileSync(join(dir, "index.js.map"), "utf8"));
  } catch {
    return result; // a config that turns source maps off: sizes only
  }
  const files = map.sources.map((s) => resolve(dir, map.sourceRoot ?? "", s));
  const byPackage = new Map();
  const charge = (name, field, n) => {
    const entry = byPackage.get(name) ?? byPackage.set(name, { name, bytes: 0, sourceBytes: 0, files: 0 }).get(name);
    entry[field] += n;
  };
  for (const [index, n] of bytesPerSource(code, map.mappings)) charge(index < 0 ? "(unmapped)" : packageOf(files[index], root), "bytes", n);
  files.forEach((file, i) => {
    const name = packageOf(file, root);
    charge(name, "sourceBytes", Buffer.byteLength(map.sourcesContent?.[i] ?? ""));
    charge(name, "files", 1);
  });
  const all = [...byPackage.values()].map((p) => ({ ...p, share: Math.round((p.bytes / raw) * 1000) / 1000 })).sort((a, b) => b.bytes - a.bytes);
  const small = all.filter((p) => p.share < MIN_SHARE && !p.name.startsWith("("));
  result.packages = small.length > 1 ? all.filter((p) => !small.includes(p)) : all;
  if (small.length > 1) {
    const sum = (field) => small.reduce((a, p) => a + p[field], 0);
    const bytes = sum("bytes");
    result.packages.push({ name: `${small.length} other packages`, bytes, sourceBytes: sum("sourceBytes"), files: sum("files"), share: Math.round((bytes / raw) * 1000) / 1000 });
  }
  return result;
}

// --- The old shape ----------------------------------------------------------

const NAMESPACE_IMPORT = /import\s*\*\s*as\s+z\s+from\s*(["'])zod\1/g;

function* sourceFiles(dir) {
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) yield* sourceFiles(path);
    else if (/\.[cm]?[jt]sx?$/.test(entry)) yield path;
  }
}

/**
 * A copy of the gateway's sources under `copy` with zod imported by name. The
 * directories copied are the ones the current bundle's map names (worker/,
 * protocol/, ...); node_modules is linked, not copied. A [build] table is
 * dropped from the copied config: its command would run in the copy, where
 * the front end it builds is absent, and it adds nothing to the Worker's
 * own bundle. Answers how many imports were rewritten.
 */
function oldShapeCopy(appRoot, currentDir, copy) {
  const map = JSON.parse(readFileSync(join(currentDir, "index.js.map"), "utf8"));
  const tops = new Set();
  for (const s of map.sources) {
    const inside = relative(appRoot, resolve(currentDir, map.sourceRoot ?? "", s)).split(sep);
    if (inside[0] !== ".." && inside[0] !== "node_modules" && inside.length > 1) tops.add(inside[0]);
  }
  mkdirSync(copy, { recursive: true });
  for (const top of tops) cpSync(join(appRoot, top), join(copy, top), { recursive: true });
  for (const file of ["package.json", "tsconfig.json"]) cpSync(join(appRoot, file), join(copy, file));
  symlinkSync(join(appRoot, "node_modules"), join(copy, "node_modules"), "dir");
  const config = readFileSync(join(appRoot, "wrangler.toml"), "utf8").replace(/^\[build\]\s*\n(?:(?!\[\[?[\w.-]+\]\]?\s*$).*\n)*/m, "");
  writeFileSync(join(copy, "wrangler.toml"), config);
  let rewritten = 0;
  for (const top of tops) {
    for (const file of sourceFiles(join(copy, top))) {
      const text = readFileSync(file, "utf8");
      const changed = text.replace(NAMESPACE_IMPORT, () => (rewritten++, 'import { z } from "zod"'));
      if (changed !== text) writeFileSync(file, changed);
    }
  }
  return rewritten;
}

// --- Cold start -------------------------------------------------------------

const tenth = (x) => Math.round(x * 10) / 10;

function summary(list) {
  const sorted = Float64Array.from(list).sort();
  return { p10: tenth(percentile(sorted, 10)), p50: tenth(percentile(sorted, 50)), p90: tenth(percentile(sorted, 90)), min: tenth(sorted[0]), max: tenth(sorted[sorted.length - 1]) };
}

/**
 * CPU time a process has had, all its threads, in ms. Unlike wall time it
 * barely moves when other jobs hold the cores, which on a shared 2-core
 * machine they often do. schedstat counts in nanoseconds; /proc/<pid>/stat
 * only in 10 ms ticks, too coarse for a few milliseconds of parsing.
 */
function cpuMs(pid) {
  let ns = 0;
  for (const task of readdirSync(`/proc/${pid}/task`)) {
    try {
      ns += Number(readFileSync(`/proc/${pid}/task/${task}/schedstat`, "utf8").split(" ")[0]);
    } catch {
      // a thread that ended between the listing and the read
    }
  }
  return ns / 1e6;
}

/**
 * `loads` cold loads of each variant ({ key, manifest }), one Miniflare
 * reloaded each time (setOptions starts a new workerd process). Answers
 * { [key]: { readyMs, firstResponseMs, totalMs, cpuMs } }, each a list in
 * round order; cpuMs is workerd's own, up to its first response.
 */
async function coldStarts(variants, compatibilityDate, loads) {
  let logs = "";
  const options = (manifest) => ({
    host: "127.0.0.1",
    port: 0,
    enableDevRegistry: false,
    logRequests: false,
    handleStructuredLogs: ({ level, message }) => (logs = `${logs}[${level}] ${message}\n`.slice(-8_000)),
    workers: [{ config: { name: "cold", compatibilityDate, manifest } }],
  });
  const samples = Object.fromEntries(variants.map((v) => [v.key, { readyMs: [], firstResponseMs: [], totalMs: [], cpuMs: [] }]));
  const mf = new Miniflare(options(variants[0].manifest));
  try {
    await mf.ready;
    // Round 0 is discarded: Node's first fetch and the page cache's first read of the workerd binary are nobody's cost.
    for (let round = 0; round <= loads; round++) {
      for (const { key, manifest } of variants) {
        const started = performance.now();
        await mf.setOptions(options(manifest));
        const ready = performance.now();
        const res = await mf.dispatchFetch(PROBE);
        const body = await res.text();
        const answered = performance.now();
        const cpu = cpuMs(childPidNamed(process.pid, "workerd"));
        if (!res.ok) throw new Error(`${key}: GET /api/health answered ${res.status} ${body.slice(0, 200)}\n${logs}`);
        if (round === 0) continue;
        samples[key].readyMs.push(ready - started);
        samples[key].firstResponseMs.push(answered - ready);
        samples[key].totalMs.push(answered - started);
        samples[key].cpuMs.push(cpu);
      }
    }
  } finally {
    await mf.dispose();
  }
  return samples;
}

// --- The measurement --------------------------------------------------------

/**
 * Builds the variants under `tmp`, sizes them, times `loads` cold loads of
 * each and answers the figures for bench/results/*.json.
 */
export async function measureBundle({ appRoot, tmp, loads }) {
  const dir = join(tmp, "bundle-cost");
  const emptyAssets = join(dir, "empty-assets");
  mkdirSync(emptyAssets, { recursive: true });
  const config = gatewayConfig(appRoot);
  // A config silent on `minify` is measured minified, the shape a deploy should ship and the one the
  // others are compared with; a config that sets it, either way, is what deploy builds.
  const minify = config.minify ?? true;
  const deployFlag = config.minify === undefined ? "--minify" : null;

  const current = await build(appRoot, join(dir, "gateway"), emptyAssets, config.minify === undefined ? true : undefined);
  const copy = join(dir, "named-import-app");
  const rewritten = oldShapeCopy(appRoot, current, copy);
  const [other, named] = await Promise.all([
    build(appRoot, join(dir, "gateway-other"), emptyAssets, !minify),
    build(copy, join(dir, "named-import"), emptyAssets, config.minify === undefined ? true : undefined),
  ]);
  const floorDir = join(dir, "floor");
  mkdirSync(floorDir, { recursive: true });
  writeFileSync(join(floorDir, "index.js"), FLOOR_SOURCE);

  const variants = [
    { key: "floor", label: "floor (one-line worker)", dir: floorDir, root: floorDir },
    { key: "gateway", label: `gateway${minify ? ", minified" : ""}`, dir: current, root: appRoot },
    { key: "namedImport", label: 'gateway, import { z } from "zod"', dir: named, root: copy },
    { key: minify ? "unminified" : "minified", label: `gateway, ${minify ? "not " : ""}minified`, dir: other, root: appRoot },
  ];
  const cold = await coldStarts(
    variants.map((v) => ({ key: v.key, manifest: manifestOf(v.dir) })),
    config.compatibilityDate,
    loads,
  );

  const summaries = (s) => Object.fromEntries(Object.entries(s).map(([k, list]) => [k, summary(list)]));
  const rows = Object.fromEntries(variants.map((v) => [v.key, { label: v.label, ...sizeOf(v.dir, v.root), coldStartMs: summaries(cold[v.key]) }]));
  // Loads of one round ran back to back, so a busy spell on the machine slows both: the median of the
  // per-round differences is steadier than a difference of medians.
  const versus = (key, base) => ({
    rawBytes: rows[key].rawBytes - rows[base].rawBytes,
    gzipBytes: rows[key].gzipBytes - rows[base].gzipBytes,
    coldStartMs: summary(cold[key].totalMs.map((ms, i) => ms - cold[base].totalMs[i])),
    cpuMs: summary(cold[key].cpuMs.map((ms, i) => ms - cold[base].cpuMs[i])),
  });
  return {
    build: `wrangler deploy --dry-run --outdir <dir>${deployFlag ? ` ${deployFlag}` : ""} (wrangler.toml minify: ${config.minify ?? "unset"})`,
    coldStart: `${loads} loads each, round-robin after one discarded round; Miniflare setOptions (a new workerd process) until ready, then GET /api/health until its body; no bindings`,
    compatibilityDate: config.compatibilityDate,
    namedImportRewrites: rewritten,
    ...rows,
    differences: {
      gatewayOverFloor: versus("gateway", "floor"),
      namedImportOverGateway: versus("namedImport", "gateway"),
      ...(rows.unminified ? { unminifiedOverGateway: versus("unminified", "gateway") } : { gatewayOverMinified: versus("gateway", "minified") }),
    },
  };
}

// --- The table --------------------------------------------------------------

const kib = (bytes, width = 9) => (bytes / 1024).toFixed(1).padStart(width);
const ms = (x, width = 7) => x.toFixed(1).padStart(width);
const signed = (x, digits = 1) => `${x >= 0 ? "+" : ""}${x.toFixed(digits)}`;

export function printBundle(b) {
  console.log(`\nBUNDLE  the gateway as deployed (${b.build})`);
  console.log(`(cold start: ${b.coldStart};`);
  console.log(` ms of wall time: ready = process up with the script loaded, first = the first response, total = both;`);
  console.log(` CPU = workerd's own CPU time up to its first response, all threads)\n`);
  console.log("variant                               |  raw KiB | gzip KiB | ready p50 | first p50 | total p50    p90    min | CPU p50    p90");
  console.log("-".repeat(124));
  for (const key of ["floor", "gateway", "namedImport", "unminified", "minified"].filter((k) => b[k])) {
    const r = b[key];
    const c = r.coldStartMs;
    console.log(
      `${r.label.padEnd(37)} | ${kib(r.rawBytes, 8)} | ${kib(r.gzipBytes, 8)} | ${ms(c.readyMs.p50, 9)} | ${ms(c.firstResponseMs.p50, 9)} |` +
        ` ${ms(c.totalMs.p50, 9)} ${ms(c.totalMs.p90, 6)} ${ms(c.totalMs.min, 6)} | ${ms(c.cpuMs.p50, 7)} ${ms(c.cpuMs.p90, 6)}`,
    );
  }
  console.log(`\n  differences; cold start: each round's loads subtracted pairwise, p50 (p10, p90) of those`);
  const names = {
    gatewayOverFloor: "gateway - floor",
    namedImportOverGateway: "import { z } - gateway",
    unminifiedOverGateway: "not minified - minified",
    gatewayOverMinified: "not minified - minified",
  };
  for (const [key, d] of Object.entries(b.differences)) {
    const range = (x) => `${signed(x.p50).padStart(6)} ms (p10 ${signed(x.p10)}, p90 ${signed(x.p90)})`;
    console.log(
      `  ${names[key].padEnd(24)} raw ${signed(d.rawBytes / 1024).padStart(6)} KiB, gzip ${signed(d.gzipBytes / 1024).padStart(6)} KiB,` +
        ` total ${range(d.coldStartMs)}, CPU ${range(d.cpuMs)}`,
    );
  }
  console.log(
    b.namedImportRewrites
      ? `  (the named-import build: ${b.namedImportRewrites} \`import * as z from "zod"\` rewritten in a copy of the sources)`
      : `  (no "import * as z" to rewrite: the named-import row is the gateway as it is)`,
  );
  for (const key of ["gateway", "namedImport"]) {
    if (!b[key].packages.length) continue;
    console.log(`\n  ${b[key].label}: output bytes by package (source bytes in, files)`);
    for (const p of b[key].packages) {
      console.log(`    ${p.name.padEnd(26)} ${kib(p.bytes, 8)} KiB ${`${(p.share * 100).toFixed(1)}%`.padStart(6)}   (${kib(p.sourceBytes, 7).trim()} KiB in, ${p.files} file${p.files === 1 ? "" : "s"})`);
    }
  }
}
