// Course file uploads: how fast a big file reaches R2 through the gateway,
// beside the floor, the same bytes streamed into the same bucket by a bare
// Worker in the same workerd (bench/floor-files.js).
//
//   multipart  the resumable API (docs/api.md § Course files): start, parts
//              of the server's part size with `concurrency` in flight, as the
//              web uploader sends them, then complete. The floor gets the same
//              parts, the same concurrency, one request each.
//   single     one streamed POST of up to 100 MiB (the request-body limit),
//              against one streamed put on the floor.
//
// Why a bare Worker is the floor rather than Miniflare's getR2Bucket() from
// Node: that goes through Miniflare's binding proxy, which no deployed byte
// ever takes, and it measured slower than the gateway itself (22 against
// 47 MiB/s for 32 MiB in one put), so it would not be a floor. Every path
// into local R2 passes an R2 binding inside workerd; the floor is that
// binding with nothing of the app around it.
//
// Each upload is checked (the file's size, and bytes read back at a part
// boundary and at the end) and deleted before the next one, so the disk
// holds one copy at a time.
import { randomBytes } from "node:crypto";
import { performance } from "node:perf_hooks";
import { api, createCourse } from "./accounts.mjs";
import { summarize } from "./stats.mjs";

const MiB = 1024 * 1024;
/** What one request may carry (FILE_LIMITS.maxRequestBytes in protocol/). */
const MAX_REQUEST_BYTES = 100 * MiB;

const mibPerSecond = (bytes, ms) => Math.round((bytes / MiB / (ms / 1000)) * 10) / 10;

async function expectStatus(res, status, what) {
  if (res.status !== status) throw new Error(`${what} answered ${res.status}: ${await res.text()}`);
  return res;
}

/** Runs `send(n)` for parts 1..count with at most `concurrency` at once; answers each part's result and milliseconds. */
async function inParallel(count, concurrency, send) {
  const results = new Array(count);
  const ms = [];
  let next = 1;
  const lane = async () => {
    while (next <= count) {
      const n = next++;
      const started = performance.now();
      results[n - 1] = await send(n);
      ms.push(performance.now() - started);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, lane));
  return { results, partMs: summarize(ms) };
}

const slice = (bytes, n, partSize) => bytes.subarray((n - 1) * partSize, Math.min(bytes.length, n * partSize));

/** The gateway's resumable upload as the course's instructor; answers { ms, file, partSize, parts, partMs }. */
async function workerMultipart(target, account, courseId, bytes, concurrency) {
  const started = performance.now();
  const upload = await api(
    target,
    account,
    "POST",
    `/api/courses/${courseId}/uploads`,
    { name: "bench-upload.bin", size: bytes.length, contentType: "application/octet-stream" },
    201,
  );
  const { partMs } = await inParallel(upload.partCount, concurrency, async (n) => {
    const res = await fetch(`${target.http}/api/uploads/${upload.uploadId}/parts/${n}`, {
      method: "PUT",
      headers: { origin: target.http, cookie: account.cookie, "content-type": "application/octet-stream" },
      body: slice(bytes, n, upload.partSize),
    });
    return (await expectStatus(res, 200, `${target.name}: part ${n}`)).json();
  });
  const file = await api(target, account, "POST", `/api/uploads/${upload.uploadId}/complete`, undefined, 201);
  return { ms: performance.now() - started, file, partSize: upload.partSize, parts: upload.partCount, partMs };
}

/** The same parts through the floor; answers { ms, size, partMs }. */
async function floorMultipart(floor, key, bytes, partSize, concurrency) {
  const started = performance.now();
  const call = async (method, path, body, status = 200) =>
    (await expectStatus(await fetch(`${floor.http}${path}?key=${encodeURIComponent(key)}`, { method, body }), status, `${floor.name}: ${method} ${path}`)).json();
  const { uploadId } = await call("POST", "/uploads");
  const count = Math.ceil(bytes.length / partSize);
  const { results, partMs } = await inParallel(count, concurrency, (n) => call("PUT", `/uploads/${uploadId}/parts/${n}`, slice(bytes, n, partSize)));
  const { size } = await call("POST", `/uploads/${uploadId}/complete`, JSON.stringify({ parts: results }));
  return { ms: performance.now() - started, size, partMs };
}

async function workerSingle(target, account, courseId, bytes) {
  const started = performance.now();
  const res = await fetch(`${target.http}/api/courses/${courseId}/files?name=bench-single.bin`, {
    method: "POST",
    headers: { origin: target.http, cookie: account.cookie, "content-type": "application/octet-stream" },
    body: bytes,
  });
  const file = await (await expectStatus(res, 201, `${target.name}: POST files`)).json();
  return { ms: performance.now() - started, file };
}

async function floorSingle(floor, key, bytes) {
  const started = performance.now();
  const res = await fetch(`${floor.http}/files?key=${encodeURIComponent(key)}`, { method: "POST", body: bytes });
  const { size } = await (await expectStatus(res, 200, `${floor.name}: POST files`)).json();
  return { ms: performance.now() - started, size };
}

/** Reads `[from, to]` (inclusive) of a stored file back through the gateway and compares it with what was sent. */
async function checkRange(target, account, file, bytes, from, to) {
  const res = await fetch(`${target.http}/api/files/${file.id}`, { headers: { cookie: account.cookie, range: `bytes=${from}-${to}` } });
  await expectStatus(res, 206, `${target.name}: GET file ${from}-${to}`);
  const got = new Uint8Array(await res.arrayBuffer());
  const range = res.headers.get("content-range");
  if (range !== `bytes ${from}-${to}/${bytes.length}` || !Buffer.from(got).equals(bytes.subarray(from, to + 1))) {
    throw new Error(`${target.name}: bytes ${from}-${to} of the uploaded file differ from those sent (Content-Range ${range})`);
  }
}

/** Size as sent, and the bytes around the first part boundary and at the end as sent. */
async function verify(target, account, file, bytes, partSize) {
  if (file.size !== bytes.length) throw new Error(`${target.name}: the file is ${file.size} bytes; ${bytes.length} were sent`);
  const edge = Math.min(partSize, bytes.length - 1);
  await checkRange(target, account, file, bytes, Math.max(0, edge - 4096), Math.min(bytes.length - 1, edge + 4095));
  await checkRange(target, account, file, bytes, Math.max(0, bytes.length - 4096), bytes.length - 1);
}

function row(bytes, worker, floor, extra = {}) {
  const w = mibPerSecond(bytes, worker.ms);
  const f = mibPerSecond(bytes, floor.ms);
  return {
    bytes,
    ...extra,
    thirdspace: { seconds: Math.round(worker.ms) / 1000, mibPerSecond: w, ...(worker.partMs && { partMs: worker.partMs }) },
    floor: { seconds: Math.round(floor.ms) / 1000, mibPerSecond: f, ...(floor.partMs && { partMs: floor.partMs }) },
    ratio: Math.round((w / f) * 100) / 100,
  };
}

/**
 * Uploads `mib` MiB through the gateway's multipart API and through the
 * floor (`concurrency` parts at once), then `singleMib` MiB (0 to skip) in one
 * request each way. `target.pool.teacher` becomes the course's instructor.
 */
export async function measureUpload(target, floor, { mib, singleMib, concurrency }) {
  if (!floor) throw new Error("the app's wrangler.toml declares no FILES bucket: there is nothing to upload to");
  const teacher = target.pool.teacher;
  const courseId = await createCourse(target, teacher, []);
  // Random, so nothing on the way can compress or recognise the bytes.
  const bytes = randomBytes(Math.round(mib * MiB));
  const floorKey = `bench/${Date.now()}`;

  const viaWorker = await workerMultipart(target, teacher, courseId, bytes, concurrency);
  await verify(target, teacher, viaWorker.file, bytes, viaWorker.partSize);
  await api(target, teacher, "DELETE", `/api/files/${viaWorker.file.id}`, undefined, 204);
  const viaFloor = await floorMultipart(floor, floorKey, bytes, viaWorker.partSize, concurrency);
  if (viaFloor.size !== bytes.length) throw new Error(`${floor.name}: stored ${viaFloor.size} bytes of ${bytes.length}`);
  await fetch(`${floor.http}/files?key=${encodeURIComponent(floorKey)}`, { method: "DELETE" });
  const result = {
    concurrency,
    multipart: row(bytes.length, viaWorker, viaFloor, { partBytes: viaWorker.partSize, parts: viaWorker.parts }),
  };

  if (singleMib > 0) {
    const one = bytes.subarray(0, Math.min(MAX_REQUEST_BYTES, Math.round(singleMib * MiB), bytes.length));
    const single = await workerSingle(target, teacher, courseId, one);
    await verify(target, teacher, single.file, one, Math.floor(one.length / 2));
    await api(target, teacher, "DELETE", `/api/files/${single.file.id}`, undefined, 204);
    const singleFloor = await floorSingle(floor, floorKey, one);
    if (singleFloor.size !== one.length) throw new Error(`${floor.name}: stored ${singleFloor.size} bytes of ${one.length}`);
    await fetch(`${floor.http}/files?key=${encodeURIComponent(floorKey)}`, { method: "DELETE" });
    result.single = row(one.length, single, singleFloor);
  }
  return result;
}
