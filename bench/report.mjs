// The bench's output: the tables printed at the end of a run, and the files
// it leaves behind (bench/results/latest.json, a dated copy, and the latency
// chart in bench/results/ and docs/; a run of some measurements only leaves
// its dated copy alone).
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { latencyChart } from "./chart.mjs";

const f = (x, width = 7) => (x === null || x === undefined || Number.isNaN(x) ? "-" : x.toFixed(x >= 100 ? 0 : x >= 10 ? 1 : 2)).padStart(width);
const times = (x) => `${x.toFixed(1)}x`.padStart(6);
const line = (width) => console.log("-".repeat(width));
/** Display names of the result keys, in table order. */
const SERVERS = [
  ["thirdspace", "ThirdSpace"],
  ["floor", "DO floor"],
  ["baseline", "Node ws"],
];
const present = (byKey) => SERVERS.filter(([key]) => byKey[key]).map(([key, name]) => [name, byKey[key]]);

function printBroadcast(rows, p) {
  console.log(`\nBROADCAST  teacher SHARE -> every student; ms over all deliveries`);
  console.log(`(${p.shares} shares one at a time after ${p.warmupShares} warm-ups, ${p.gapMs} ms apart)\n`);
  console.log("students | ThirdSpace p50    p99 | DO floor p50    p99 | Node ws p50    p99 | TS/floor p50  p99 | TS/ws p50  p99 | frame bytes TS/floor/ws");
  line(140);
  for (const r of rows) {
    const { thirdspace: t, floor: fl, baseline: b } = r;
    console.log(
      `${String(r.students).padStart(8)} |    ${f(t.p50)} ${f(t.p99, 6)} |  ${f(fl.p50)} ${f(fl.p99, 6)} | ${f(b.p50)} ${f(b.p99, 6)} |` +
        `      ${times(r.floorRatio.p50)} ${times(r.floorRatio.p99)} | ${times(r.ratio.p50)} ${times(r.ratio.p99)} | ${t.frameBytes} / ${fl.frameBytes} / ${b.frameBytes}`,
    );
  }
}

function printStorm(storm, p) {
  console.log(`\nJOIN STORM  ${p.storm} students open a socket and JOIN one room, starts spread evenly over ${p.stormWindowMs / 1000} s`);
  console.log(`("all in" = first start to last JOIN answer; join = socket open + JOIN answer, per student)\n`);
  console.log("server     | all in (s) | joined | errors | join p50     p99     max (ms)");
  line(78);
  for (const [name, s] of present(storm)) {
    const allIn = s.allInMs === null ? "-" : (s.allInMs / 1000).toFixed(2);
    console.log(
      `${name.padEnd(10)} | ${allIn.padStart(10)} | ${String(s.joined).padStart(6)} | ${String(s.errors).padStart(6)} | ` +
        `${f(s.joinLatency.p50, 8)} ${f(s.joinLatency.p99)} ${f(s.joinLatency.max)}`,
    );
    for (const e of s.firstErrors ?? []) console.log(`           error: ${e}`);
  }
}

function printMemory(memory) {
  console.log(`\nMEMORY  resident set (VmRSS) growth per idle, joined connection (the storm's room, settled)\n`);
  console.log("process              | connections | before MiB | after MiB | KiB per connection");
  line(82);
  for (const [, m] of present(memory)) {
    console.log(
      `${m.process.padEnd(20)} | ${String(m.connections).padStart(11)} | ${f(m.rssBeforeMiB, 10)} | ${f(m.rssAfterMiB, 9)} | ${f(m.kibPerConnection, 18)}`,
    );
  }
}

function printInbound(inbound, p) {
  console.log(`\nINBOUND  ${p.inboundStudents} students x ${p.inboundRate} SHARE/s each -> the teacher, for ${p.inboundSeconds} s`);
  console.log(`(latency = student send -> teacher receive; msg/s = delivered to the teacher, first send to last delivery)\n`);
  console.log("server     |  sent | delivered |  msg/s | errors |    p50     p99     max | frame bytes");
  line(88);
  for (const [name, r] of present(inbound)) {
    console.log(
      `${name.padEnd(10)} | ${String(r.sent).padStart(5)} | ${String(r.delivered).padStart(9)} | ${f(r.deliveredPerSecond, 6)} | ${String(r.errors).padStart(6)} |` +
        ` ${f(r.p50)} ${f(r.p99)} ${f(r.max)} | ${r.frameBytes}`,
    );
  }
  console.log(`\n  per ${p.inboundWindowSeconds} s window (by send time), p50 / p99 ms:`);
  for (const [name, r] of present(inbound)) {
    console.log(`  ${name.padEnd(10)} ${r.windows.map((w) => `${w.fromS}-${w.toS}s ${f(w.p50, 0)}/${f(w.p99, 0)}`).join("  ")}`);
  }
}

function printRun(run, p) {
  console.log(`\nRUN  "${p.runCode}" round trip (room -> runner Worker -> room), ${run.runs} sequential runs after ${p.warmupRuns} warm-ups\n`);
  console.log(
    `  p50 ${f(run.p50, 0)} ms   p99 ${f(run.p99, 0)} ms   mean ${f(run.mean, 0)} ms   max ${f(run.max, 0)} ms   (runner's own durationMs p50 ${run.runnerDurationMs.p50})`,
  );
}

function printChat(chat) {
  const t = chat.thirdspace;
  console.log(`\nCHAT FAN-OUT  one student's message -> ${t.recipients} others; ms over all deliveries (${t.messages} messages, senders rotating)\n`);
  for (const [name, c] of present(chat)) {
    console.log(`  ${name.padEnd(10)} p50 ${f(c.p50)}  p99 ${f(c.p99)}  frame ${c.frameBytes} bytes`);
  }
  console.log(`  ThirdSpace / floor  p50 ${times(chat.floorRatio.p50)}  p99 ${times(chat.floorRatio.p99)}`);
  console.log(`  ThirdSpace / ws     p50 ${times(chat.ratio.p50)}  p99 ${times(chat.ratio.p99)}`);
}

function printTyping(typing, p) {
  console.log(
    `\nTYPING  ${p.typingStudents} students x ${p.typingRate} keys/s each in their own editors, the teacher watching ${p.typingTiles} as tiles, for ${p.typingSeconds} s`,
  );
  console.log(`(push -> teacher = DOC_PUSH sent -> the teacher has the DOC_UPDATES carrying it; key -> teacher adds the wait behind the`);
  console.log(` editor's push in flight; confirm = push -> the sender's own DOC_UPDATES; drain = last key typed -> last key confirmed)\n`);
  console.log("server     | typed | pushes sent/confirmed | keys/push |  keys/s | errors | push->teacher p50   p99   max | key->teacher p50   p99 | confirm p50   p99 | drain ms | keeps up");
  line(166);
  for (const [name, t] of present(typing)) {
    const pushes = `${t.pushesSent}/${t.pushesConfirmed}`;
    console.log(
      `${name.padEnd(10)} | ${String(t.typed).padStart(5)} | ${pushes.padStart(21)} | ${f(t.keysPerPush, 9)} | ${f(t.confirmedKeysPerSecond)} | ${String(t.errors).padStart(6)} |` +
        `          ${f(t.p50, 6)} ${f(t.p99, 5)} ${f(t.max, 5)} |         ${f(t.keystrokeToTeacher.p50, 6)} ${f(t.keystrokeToTeacher.p99, 5)} |` +
        `    ${f(t.confirm.p50, 6)} ${f(t.confirm.p99, 5)} | ${String(t.drainMs).padStart(8)} | ${t.keepsUp ? "yes" : "NO"}`,
    );
    for (const e of t.firstErrors ?? []) console.log(`           error: ${e}`);
  }
  console.log(`  ThirdSpace / floor  push -> teacher p50 ${times(typing.floorRatio.p50)}  p99 ${times(typing.floorRatio.p99)}`);
  console.log(`  ThirdSpace / ws     push -> teacher p50 ${times(typing.ratio.p50)}  p99 ${times(typing.ratio.p99)}`);
  console.log(`\n  per ${p.typingWindowSeconds} s window (by send time): key -> teacher p50/p99 ms, keys per push ("keeps up": every key confirmed,`);
  console.log(`  the last window's p50 within 2x the first's + 5 ms)`);
  for (const [name, t] of present(typing)) {
    const windows = t.windows.map((w) => `${w.fromS}-${w.toS}s ${f(w.keystrokeToTeacher.p50, 0)}/${f(w.keystrokeToTeacher.p99, 0)} ${f(w.keysPerPush, 0)}/push`);
    console.log(`  ${name.padEnd(10)} ${windows.join("  ")}`);
  }
}

function printUpload(u) {
  const MiB = 1024 * 1024;
  console.log(`\nUPLOAD  a course file into R2 through the gateway, beside a bare Worker writing the same bytes to the same bucket (the floor)`);
  console.log(`(MiB/s = bytes / (first request sent -> last answer); TS/floor < 1 is slower than the floor)\n`);
  console.log("upload                                   | ThirdSpace MiB/s      s | R2 floor MiB/s      s | TS/floor | part ms p50/p99 TS, floor");
  line(128);
  const m = u.multipart;
  const parts = (r) => (r.partMs ? `${f(r.partMs.p50, 0)}/${f(r.partMs.p99, 0)}` : "");
  const print = (label, r, partCol) =>
    console.log(
      `${label.padEnd(40)} | ${f(r.thirdspace.mibPerSecond, 16)} ${f(r.thirdspace.seconds, 6)} | ${f(r.floor.mibPerSecond, 14)} ${f(r.floor.seconds, 6)} | ` +
        `${f(r.ratio, 8)} | ${partCol}`,
    );
  print(
    `${m.bytes / MiB} MiB, ${m.parts} parts of ${m.partBytes / MiB} MiB, ${u.concurrency} at once`,
    m,
    `${parts(m.thirdspace)}, ${parts(m.floor)}`,
  );
  if (u.single) print(`${u.single.bytes / MiB} MiB in one request`, u.single, "");
}

function printGrading(g) {
  console.log(`\nGRADING  deadline rush: ${g.submissions} students submit at the same moment; the queue consumer runs ${g.tests.length} tests each (${g.tests.join(", ")})`);
  console.log(`(server timestamps from D1: submitted_at, graded_at; "submit -> result" starts at the client's send, same host clock)\n`);
  const all = g.allGradedSeconds === null ? "-" : `${g.allGradedSeconds.toFixed(2)} s`;
  console.log(`  every submit answered after ${g.allAnsweredSeconds.toFixed(2)} s; all graded after ${all} (${g.gradedPerSecond} graded/s)`);
  for (const [label, s] of [
    ["submit -> result", g.submitToResultMs],
    ["submitted_at -> graded_at", g.serverSubmitToResultMs],
    ["submit request", g.submitRequestMs],
  ]) {
    console.log(`  ${label.padEnd(26)} p50 ${f(s.p50)} ms   p99 ${f(s.p99)} ms   max ${f(s.max)} ms`);
  }
  console.log(
    `  graded ${g.graded} (passed ${g.passed}, wrong verdicts ${g.wrongVerdicts}), failed ${g.failed}, dead-lettered ${g.deadLettered}, ` +
      `unfinished ${g.unfinished}, submit errors ${g.submitErrors}, failed grading attempts ${g.failedAttempts}`,
  );
  for (const e of g.firstSubmitErrors ?? []) console.log(`  submit error: ${e}`);
}

function printLive(live, p) {
  const ff = live.firstFrame;
  console.log(`\nLIVE: FIRST FRAME  a student joins a live lecture (local provider: WebRTC between two Chromium pages, the room relays the signals)`);
  console.log(`(${p.liveJoins} joins one at a time after 1 warm-up, each a new page; ms from the socket opening. signalling = -> the teacher's offer`);
  console.log(` (JOIN, LIVE_STATE, hello, offer); media = offer -> first frame presented (answer, ICE, DTLS, first decoded frame))\n`);
  console.log("server     | joins | failed | first frame p50    p90    max | signalling p50   p90   max | media p50    p90    max | 1st frame");
  line(122);
  for (const [name, r] of present(ff)) {
    const three = (s, w) => `${f(s.p50, w)} ${f(s.p90, w)} ${f(s.max, w)}`;
    console.log(
      `${name.padEnd(10)} | ${String(r.joins).padStart(5)} | ${String(r.failed).padStart(6)} |         ${three(r.firstFrameMs, 6)} |        ${three(r.signallingMs, 5)} |` +
        ` ${three(r.mediaMs, 6)} | ${r.video ?? "-"}`,
    );
    for (const e of r.firstFailures ?? []) console.log(`           failed: ${e}`);
  }
  console.log(`\n  each step's p50, ms from the socket opening (warm-up join's first frame in brackets):`);
  for (const [name, r] of present(ff)) {
    const steps = Object.entries(r.stepsP50Ms).map(([step, ms]) => `${step} ${f(ms, 0)}`);
    console.log(`  ${name.padEnd(10)} ${steps.join("  ")}  (${f(r.warmupFirstFrameMs, 0)})`);
  }
  if (ff.floorRatio) console.log(`  ThirdSpace / floor  first frame p50 ${times(ff.floorRatio.p50)}  p90 ${times(ff.floorRatio.p90)}`);
  if (ff.ratio) console.log(`  ThirdSpace / ws     first frame p50 ${times(ff.ratio.p50)}  p90 ${times(ff.ratio.p90)}`);

  const u = live.upload;
  const kib = (bytes) => f(bytes / 1024, 8);
  const mbit = (bytes) => f((bytes * 8) / 1e6, 6);
  console.log(`\nLIVE: TEACHER'S UPLOAD  ThirdSpace, local provider: one peer connection, one encode, per viewer (outbound-rtp bytesSent, audio + video)`);
  console.log(`(over ${u.sampleSeconds} s, after a warm-up until every encoder runs at the camera's size, at most ${u.maxWarmupSeconds} s; wire = every transport's`);
  console.log(` bytesSent; video = median stream size, mean frames/s encoded per viewer, streams held back and by what; CPU = the teacher's`);
  console.log(` browser, % of one core, and the whole machine's busy %; Stream: one WHIP upload whatever the audience,`);
  console.log(` COMPUTED from ${u.stream.from}, NOT measured)\n`);
  console.log("viewers | upload KiB/s  Mbit/s | per viewer KiB/s | wire KiB/s | warm-up s | video           fps  held back    | CPU teacher machine | Stream KiB/s  per viewer");
  line(150);
  u.rows.forEach((r, i) => {
    const s = u.stream.rows[i];
    const held = Object.entries(r.video.limits).filter(([why]) => why !== "none").map(([why, n]) => `${n} ${why}`).join(", ") || "none";
    const warm = `${r.warmupSeconds}${r.settled ? "" : "*"}`;
    console.log(
      `${String(r.viewers).padStart(7)} |     ${kib(r.bytesPerSecond)} ${mbit(r.bytesPerSecond)} |         ${kib(r.perViewerBytesPerSecond)} |   ${kib(r.wireBytesPerSecond)} |` +
        ` ${warm.padStart(9)} | ${`${r.video.width}x${r.video.height}`.padEnd(9)} ${f(r.video.meanFps, 6)}  ${held.padEnd(12)} |` +
        ` ${String(r.teacherCpuPercent).padStart(11)} ${String(r.machineBusyPercent).padStart(7)} |     ${kib(s.bytesPerSecond)}   ${kib(s.perViewerBytesPerSecond)}`,
    );
  });
  if (u.rows.some((r) => !r.settled)) console.log(`  * some encoders were still below the camera's size when the warm-up ran out`);
  // Fewer frames than one viewer gets means the teacher's browser ran out of CPU (the viewers' browser shares the machine): that row is this machine's, not a network's.
  const full = u.rows[0].video.meanFps;
  for (const r of u.rows.filter((r) => r.video.meanFps < 0.75 * full)) {
    console.log(
      `  ${r.viewers} viewers: ${f(r.video.meanFps, 0).trim()} frames/s per viewer against ${f(full, 0).trim()} with ${u.rows[0].viewers}; the teacher's browser had ${r.teacherCpuPercent}% ` +
        `of a core, the machine was ${r.machineBusyPercent}% busy: this upload is bounded by this machine's CPU, not by the network`,
    );
  }
  const offers = u.teacherSignals.offer ?? 0;
  if (offers) {
    const perViewer = Object.values(u.teacherSignals).reduce((a, b) => a + b, 0) / offers;
    console.log(`  the teacher signalled ${f(perViewer, 0).trim()} times per viewer (${Object.entries(u.teacherSignals).map(([k, n]) => `${n} ${k}`).join(", ")})`);
  }
}

/** Prints every table of a finished run (of those it measured). */
export function printReport(report) {
  const p = report.parameters;
  if (report.broadcast) printBroadcast(report.broadcast, p);
  if (report.joinStorm) printStorm(report.joinStorm, p);
  if (report.memory) printMemory(report.memory);
  if (report.inbound) printInbound(report.inbound, p);
  if (report.run) printRun(report.run, p);
  if (report.chat) printChat(report.chat);
  if (report.typing) printTyping(report.typing, p);
  if (report.live) printLive(report.live, p);
  if (report.upload) printUpload(report.upload);
  if (report.grading) printGrading(report.grading);
}

/** The dated copy of a run's figures in bench/results/; answers its path. */
function writeDated(root, report, suffix = "") {
  const dir = join(root, "bench", "results");
  mkdirSync(dir, { recursive: true });
  const dated = join(dir, `bench-${report.date.replace(/:/g, "-")}${suffix}.json`);
  writeFileSync(dated, `${JSON.stringify(report, null, 2)}\n`);
  return dated;
}

/**
 * A run of some measurements only: its dated copy, named for them. latest.json
 * and the chart stay those of the last whole run, so no key there is lost.
 */
export function writePartialReport(root, report) {
  return [writeDated(root, report, `-only-${report.parameters.only.join("-")}`)];
}

/** Writes latest.json, a dated copy and the chart; returns the paths written. */
export function writeReport(root, report) {
  const dir = join(root, "bench", "results");
  const dated = writeDated(root, report);
  writeFileSync(join(dir, "latest.json"), `${JSON.stringify(report, null, 2)}\n`);
  const svg = latencyChart(report.broadcast, { shares: report.parameters.shares, date: report.date, cpu: `${report.os.cpuCount} × ${report.os.cpuModel}` });
  writeFileSync(join(dir, "latency.svg"), svg);
  mkdirSync(join(root, "docs"), { recursive: true });
  writeFileSync(join(root, "docs", "bench-latency.svg"), svg);
  return [dated, join(dir, "latest.json"), join(dir, "latency.svg"), join(root, "docs", "bench-latency.svg")];
}
