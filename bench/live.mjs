// Live lectures on the local provider, measured in a real browser with the
// app's own WebRTC code (bench/live-page.mjs bundles web/src/lectures/live/
// from the checkout under test). Chromium runs with the flags the browser
// tests use (playwright.config.ts), its synthetic camera and microphone
// standing in for the teacher's.
//
//   first frame  a teacher is live; students join one at a time, each on a
//                fresh page: socket opening -> JOIN -> LIVE_STATE -> hello ->
//                the teacher's offer -> answer and ICE -> the first video
//                frame presented. "Signalling" is socket opening -> offer
//                (the room's part), "media" offer -> first frame (the
//                browsers'). On ThirdSpace, the DO floor and Node `ws`: the
//                relays differ, the pages do not.
//   upload       the teacher's upload (outbound-rtp bytes, audio and video)
//                with 1, 5 and 10 viewers watching, after a warm-up: each
//                viewer is one more encode and one more upload on the
//                teacher's machine. ThirdSpace only: the room carries no media.
//
// On ThirdSpace the page must be the gateway's own origin (the upgrade checks
// Origin and needs the session cookie), so the page is served by intercepting
// a request to that origin, and the context carries the account's cookie. The
// other two relays get the same page the same way.
//
// The teacher has a browser of its own, the students share another: they
// would be separate machines, and the teacher's browser's CPU is then its
// own figure (each viewer costs the teacher one more encode). Each page is
// its own context (its own cookie); every join is a different account,
// since rooms rate-limit JOINs and socket openings per account.
//
// The upload's warm-up waits for the encoders to reach the camera's size:
// a new connection starts from the congestion controller's start bitrate at
// a fraction of it and steps up over tens of seconds (measured: 480x270 ->
// 1280x720 in about 25 s for one viewer on loopback), and a lecture's
// upload is what comes after that, not the ramp.
import { chromium } from "@playwright/test";
import { build } from "esbuild";
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { setTimeout as sleep } from "node:timers/promises";
import { CHROMIUM_LAUNCH } from "../scripts/lib/chromium.mjs";
import { createRoom } from "./accounts.mjs";
import { machineBusy } from "./proc.mjs";
import { percentile } from "./stats.mjs";

/** Never fetched from the server: page.route answers it. */
const PAGE_PATH = "/bench/live";
/** A join that has no frame by then has failed; it is counted as failed, never as a sample. */
const FIRST_FRAME_TIMEOUT_MS = 20_000;
/** After a student leaves, before the next joins: the teacher's side hangs up on the bye first. */
const BETWEEN_JOINS_MS = 300;
/** The least warm-up after viewers join, even if every encoder already looks settled. */
const MIN_WARMUP_MS = 5_000;
/** The steps of a join in order, as the page marks them. */
const STEPS = ["open", "joined", "state", "hello", "offer", "track", "answer", "connected", "frame"];

/** The page's script: live-page.mjs with the app's modules from `appRoot`. */
async function bundlePage(appRoot) {
  if (!existsSync(join(appRoot, "web/src/lectures/live/peers.ts"))) throw new Error(`${appRoot} has no web/src/lectures/live/peers.ts: no live lectures to measure`);
  const result = await build({
    entryPoints: [fileURLToPath(new URL("live-page.mjs", import.meta.url))],
    bundle: true,
    write: false,
    format: "esm",
    target: "chrome120",
    logLevel: "silent",
    plugins: [
      {
        name: "app-root",
        setup(b) {
          b.onResolve({ filter: /^app:/ }, (args) => ({ path: join(appRoot, args.path.slice("app:".length)) }));
        },
      },
    ],
  });
  const script = result.outputFiles[0].text.replaceAll("</script", "<\\/script");
  return `<!doctype html><meta charset="utf-8"><title>Live bench</title><body><script type="module">${script}</script></body>`;
}

/** Direct children of this process whose command is `name`. */
function children(name) {
  const found = [];
  for (const task of readdirSync(`/proc/${process.pid}/task`)) {
    for (const pid of readFileSync(`/proc/${process.pid}/task/${task}/children`, "utf8").trim().split(/\s+/).filter(Boolean)) {
      if (readFileSync(`/proc/${pid}/comm`, "utf8").trim() === name) found.push(Number(pid));
    }
  }
  return found;
}

/** `pid` and every process under it: a browser is a dozen processes. */
function tree(pid) {
  const pids = [pid];
  try {
    for (const task of readdirSync(`/proc/${pid}/task`)) {
      for (const child of readFileSync(`/proc/${pid}/task/${task}/children`, "utf8").trim().split(/\s+/).filter(Boolean)) pids.push(...tree(Number(child)));
    }
  } catch {
    // it ended in between
  }
  return pids;
}

/** User + system CPU ticks (1/100 s) of a process tree. */
function treeTicks(pid) {
  let ticks = 0;
  for (const p of tree(pid)) {
    try {
      const stat = readFileSync(`/proc/${p}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      // it ended in between
    }
  }
  return ticks;
}

/**
 * Bundles the page and starts the two browsers; `close()` ends both and
 * every page in them. `teacherCpu()` reads the teacher's browser's CPU ticks.
 */
export async function startLiveBrowser(appRoot) {
  const html = await bundlePage(appRoot);
  const before = children("chromium");
  const teacher = await chromium.launch(CHROMIUM_LAUNCH);
  const teacherPid = children("chromium").find((pid) => !before.includes(pid));
  const students = await chromium.launch(CHROMIUM_LAUNCH).catch(async (error) => {
    await teacher.close();
    throw error;
  });
  return {
    teacher,
    students,
    html,
    teacherCpu: () => (teacherPid ? treeTicks(teacherPid) : NaN),
    close: () => Promise.all([teacher.close(), students.close()]),
  };
}

/** A page of its own context in `browser` on `target`'s origin, signed in as `account`, the bench script loaded. */
async function openPage(live, browser, target, account) {
  // A page the gateway served would be on the loopback address space, as its socket is; one answered by
  // page.route has no address, counts as public, and Chrome's Local Network Access checks would refuse it
  // the socket (net::ERR_BLOCKED_BY_LOCAL_NETWORK_ACCESS_CHECKS). The permission puts it back where it belongs.
  const context = await browser.newContext({ permissions: ["local-network-access"] });
  try {
    const at = account.cookie.indexOf("=");
    await context.addCookies([{ name: account.cookie.slice(0, at), value: account.cookie.slice(at + 1), url: target.http }]);
    const page = await context.newPage();
    const problems = [];
    page.on("pageerror", (e) => problems.push(e.message));
    await page.route(`${target.http}${PAGE_PATH}`, (route) => route.fulfill({ contentType: "text/html; charset=utf-8", body: live.html }));
    await page.goto(`${target.http}${PAGE_PATH}`);
    await page.waitForFunction(() => "liveBench" in globalThis);
    return { context, page, problems };
  } catch (error) {
    await context.close();
    throw error;
  }
}

const socketUrl = (target, roomId) => `${target.ws}/api/rooms/${encodeURIComponent(roomId)}/ws`;

/** A new room with the pool's teacher live in it; answers { roomId, teacher (its page) }. */
async function goLive(live, target) {
  const { pool } = target;
  const { roomId, teacherToken } = await createRoom(target, pool.teacher);
  const teacher = await openPage(live, live.teacher, target, pool.teacher);
  try {
    const options = { url: socketUrl(target, roomId), roomId, username: pool.teacher.name, token: teacherToken };
    await teacher.page.evaluate((o) => globalThis.liveBench.teach(o), options);
    return { roomId, teacher };
  } catch (error) {
    await teacher.context.close();
    throw new Error(`${target.name}: the teacher did not go live: ${error.message}`);
  }
}

/** One student's page, joined and watching; answers the page with the join's marks. */
async function watch(live, target, roomId, account) {
  const student = await openPage(live, live.students, target, account);
  try {
    const options = { url: socketUrl(target, roomId), roomId, username: account.name, timeoutMs: FIRST_FRAME_TIMEOUT_MS };
    student.result = await student.page.evaluate((o) => globalThis.liveBench.watch(o), options);
    return student;
  } catch (error) {
    await student.context.close();
    throw new Error(`${account.name}: ${error.message.split("\n")[0]}`);
  }
}

/** Hangs up as a student's page does when it leaves, then closes it. */
async function leave(student) {
  await student.page.evaluate(() => globalThis.liveBench.leave()).catch(() => {});
  await student.context.close();
}

const round = (x) => Math.round(x * 10) / 10;

/** p50, p90 and max (ms): nearest rank, as stats.mjs takes percentiles. */
function spread(samples) {
  const sorted = Float64Array.from(samples).sort();
  return { count: sorted.length, p50: round(percentile(sorted, 50)), p90: round(percentile(sorted, 90)), max: round(sorted.at(-1) ?? NaN), min: round(sorted[0] ?? NaN) };
}

/**
 * A teacher goes live in a new room; `joins` students then join and watch
 * one at a time (after one warm-up join, not counted: the first connection a
 * broadcast serves also starts the teacher's encoder pipeline), each
 * leaving before the next arrives.
 */
export async function measureLiveJoins(live, target, { joins }) {
  const { pool } = target;
  if (pool.students.length < joins + 1) throw new Error(`${target.name}: ${joins + 1} students wanted, ${pool.students.length} signed up`);
  const { roomId, teacher } = await goLive(live, target);
  const results = [];
  const failures = [];
  let warmup = null;
  try {
    for (let i = 0; i <= joins; i++) {
      let student = null;
      try {
        student = await watch(live, target, roomId, pool.students[i]);
        if (i === 0) warmup = student.result;
        else results.push(student.result);
      } catch (error) {
        failures.push(error.message);
      } finally {
        if (student) await leave(student);
      }
      await sleep(BETWEEN_JOINS_MS);
    }
    failures.push(...(await teacher.page.evaluate(() => globalThis.liveBench.errors())).map((e) => `teacher: ${e}`), ...teacher.problems);
  } finally {
    await teacher.context.close();
  }
  const marks = results.map((r) => r.marks);
  const steps = Object.fromEntries(STEPS.map((s) => [s, spread(marks.map((m) => m[s]).filter((x) => x !== undefined)).p50]));
  return {
    joins: results.length,
    failed: failures.length,
    ...(failures.length ? { firstFailures: [...new Set(failures)].slice(0, 3) } : {}),
    // Socket opening -> first frame presented: what the student waits for.
    firstFrameMs: spread(marks.map((m) => m.frame)),
    signallingMs: spread(marks.map((m) => m.offer)),
    mediaMs: spread(marks.map((m) => m.frame - m.offer)),
    stepsP50Ms: steps,
    warmupFirstFrameMs: warmup?.marks.frame ?? null,
    video: results[0] ? `${results[0].width}x${results[0].height}` : null,
  };
}

const median = (xs) => (xs.length ? [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)] : null);

/** The teacher's encoders in brief: the typical stream's size and frame rate, and how many are held back, by what. */
function encoders({ streams, estimates }) {
  const limits = {};
  for (const s of streams) limits[s.limit] = (limits[s.limit] ?? 0) + 1;
  return {
    streams: streams.length,
    width: median(streams.map((s) => s.width)),
    height: median(streams.map((s) => s.height)),
    fps: median(streams.map((s) => s.fps)),
    minFps: streams.length ? Math.min(...streams.map((s) => s.fps)) : null,
    limits,
    estimateBitsPerSecond: median(estimates),
    encoder: streams[0]?.encoder ?? null,
  };
}

/** One reading of the teacher's side: page clock, media bytes, encoders, and its browser's CPU. */
async function readTeacher(live, teacher) {
  const r = await teacher.page.evaluate(async () => ({ at: performance.now(), bytes: await globalThis.liveBench.bytesSent(), ...(await globalThis.liveBench.encoding()) }));
  return { ...r, cpuTicks: live.teacherCpu() };
}

/**
 * Waits, after viewers joined, until every video encoder runs at the
 * camera's size (nothing limits its quality), at least MIN_WARMUP_MS and at
 * most `maxMs`; answers the seconds waited and whether they had settled.
 */
async function settle(live, teacher, maxMs) {
  const started = performance.now();
  for (;;) {
    const elapsed = performance.now() - started;
    const { streams } = await readTeacher(live, teacher);
    const settled = streams.length > 0 && streams.every((s) => s.limit === "none");
    if ((settled && elapsed >= MIN_WARMUP_MS) || elapsed >= maxMs) return { warmupSeconds: Math.round(elapsed / 100) / 10, settled };
    await sleep(1000);
  }
}

/**
 * The teacher's upload with each of `viewerCounts` watching (viewers added
 * as the count grows): a warm-up (see settle), then bytes over
 * `sampleSeconds`, read each second. Beside each figure, Stream's computed
 * one: there the teacher publishes one stream whatever the audience, so
 * its upload is the one-viewer figure.
 */
export async function measureLiveUpload(live, target, { viewerCounts, warmupSeconds, sampleSeconds }) {
  const { pool } = target;
  const most = Math.max(...viewerCounts);
  if (pool.students.length < most) throw new Error(`${target.name}: ${most} viewers wanted, ${pool.students.length} signed up`);
  const { roomId, teacher } = await goLive(live, target);
  const viewers = [];
  const rows = [];
  let signals = {};
  try {
    for (const count of [...viewerCounts].sort((a, b) => a - b)) {
      while (viewers.length < count) viewers.push(await watch(live, target, roomId, pool.students[viewers.length]));
      const serving = await teacher.page.evaluate(() => globalThis.liveBench.viewers());
      if (serving !== count) throw new Error(`${target.name}: the teacher serves ${serving} viewers, ${count} are watching`);
      const warmup = await settle(live, teacher, warmupSeconds * 1000);
      const busy = machineBusy(sampleSeconds * 1000);
      const readings = [await readTeacher(live, teacher)];
      for (let s = 1; s <= sampleSeconds; s++) {
        await sleep(readings[0].at + s * 1000 - (await teacher.page.evaluate(() => performance.now())));
        readings.push(await readTeacher(live, teacher));
      }
      const [first, last] = [readings[0], readings.at(-1)];
      const seconds = (last.at - first.at) / 1000;
      const perSecond = Math.round((last.bytes - first.bytes) / seconds);
      if (!(perSecond > 0)) throw new Error(`${target.name}: the teacher sent ${last.bytes - first.bytes} bytes in ${seconds} s to ${count} viewers`);
      rows.push({
        viewers: count,
        bytesPerSecond: perSecond,
        perViewerBytesPerSecond: Math.round(perSecond / count),
        // Everything on the wire (headers, SRTP, RTCP, ICE), beside the media bytes above.
        wireBytesPerSecond: Math.round((last.wireBytes - first.wireBytes) / seconds),
        // Each second's bytes/s: flat if the warm-up did its work.
        perSecondSeries: readings.slice(1).map((r, k) => Math.round((r.bytes - readings[k].bytes) / ((r.at - readings[k].at) / 1000))),
        ...warmup,
        video: { ...encoders(last), meanFps: Math.round(((last.framesEncoded - first.framesEncoded) / seconds / count) * 10) / 10 },
        // Percent of one core, every process of the teacher's browser together.
        teacherCpuPercent: Math.round((last.cpuTicks - first.cpuTicks) / seconds),
        machineBusyPercent: Math.round((await busy) * 100),
      });
    }
    const problems = [...(await teacher.page.evaluate(() => globalThis.liveBench.errors())), ...teacher.problems];
    if (problems.length) throw new Error(`${target.name}: the teacher's page: ${problems.slice(0, 3).join("; ")}`);
    signals = await teacher.page.evaluate(() => globalThis.liveBench.signals());
  } finally {
    await Promise.all(viewers.map(leave));
    await teacher.context.close();
  }
  // One stream's upload: the one-viewer row, or else one viewer's share of the smallest audience measured.
  const one = rows.find((r) => r.viewers === 1) ?? rows[0];
  const oneStream = one.perViewerBytesPerSecond;
  return {
    maxWarmupSeconds: warmupSeconds,
    sampleSeconds,
    rows,
    // What the teacher's browser signalled for its viewers, by kind: each one draws on the room's rate limit.
    teacherSignals: signals,
    // Computed, not measured (Stream cannot be reached from here): the teacher publishes one stream by WHIP and
    // Cloudflare serves every viewer, so the upload is the one-viewer figure whatever the audience.
    stream: {
      computed: true,
      from: one.viewers === 1 ? "the 1-viewer upload measured above" : `one viewer's share of the ${one.viewers}-viewer upload measured above`,
      rows: rows.map((r) => ({ viewers: r.viewers, bytesPerSecond: oneStream, perViewerBytesPerSecond: Math.round(oneStream / r.viewers) })),
    },
  };
}
