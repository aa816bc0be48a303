// A plain `npx wrangler dev` on a fresh checkout serves a working app: the
// front end is built and the D1 tables exist (wrangler.toml's [build] step),
// a new user signs up, and code runs in a room, once the runner is started
// the way RUN's error says. Until then, RUN says how to start it.
//
// The checkout is a copy of the files git would commit, in a temporary folder (with
// this node_modules linked in, as `npm ci` would have filled it), so no
// dist/ or .wrangler/ from earlier runs can make it pass. Prints one line,
// "N passed, N failed", for scripts/test.mjs.
import { spawn, spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import WebSocket from "ws";
import { ROOT, freePort, stopTree, waitForHttp } from "../../scripts/lib/processes.mjs";

const results = { passed: 0, failed: 0 };
function check(name, ok, detail = "") {
  results[ok ? "passed" : "failed"] += 1;
  console.log(`${ok ? "✓" : "✗"} ${name}${ok || !detail ? "" : `\n    ${detail}`}`);
}

const checkout = mkdtempSync(join(tmpdir(), "thirdspace-fresh-"));
const tracked = spawnSync("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], { cwd: ROOT, encoding: "utf8" }).stdout.split("\0").filter(Boolean);
for (const file of tracked) {
  if (!existsSync(join(ROOT, file))) continue; // deleted in the working tree
  mkdirSync(dirname(join(checkout, file)), { recursive: true });
  cpSync(join(ROOT, file), join(checkout, file));
}
symlinkSync(join(ROOT, "node_modules"), join(checkout, "node_modules"), "dir");

// What a developer's shell has: not the variable our own scripts set
// to skip the [build] step, and a dev registry of its own (so the app finds
// this runner, not one from another server on this machine).
// `npx` puts node_modules/.bin first on PATH (the pinned Node among it).
const env = { ...process.env, PATH: `${join(checkout, "node_modules", ".bin")}:${process.env.PATH ?? ""}`, WRANGLER_SEND_METRICS: "false", CLOUDFLARE_CF_FETCH_ENABLED: "false", WRANGLER_REGISTRY_PATH: join(checkout, ".registry") };
delete env.THIRDSPACE_BUILT;
const children = [];
function wranglerDev(args) {
  const child = spawn(join(checkout, "node_modules", ".bin", "wrangler"), ["dev", "--ip", "127.0.0.1", ...args], {
    cwd: checkout,
    env,
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  let log = "";
  child.stdout.on("data", (d) => (log += d));
  child.stderr.on("data", (d) => (log += d));
  const started = { child, log: () => log };
  children.push(started);
  return started;
}

const port = await freePort();
const origin = `http://127.0.0.1:${port}`;
try {
  const app = wranglerDev(["--port", String(port), "--inspector-port", String(await freePort())]);
  await waitForHttp(`${origin}/api/health`, { timeoutMs: 180_000, child: app.child });
  check("the [build] step built the front end", existsSync(join(checkout, "dist", "web", "index.html")), app.log().slice(-2000));
  const page = await fetch(`${origin}/courses/abcdef`);
  const html = await page.text();
  check("the front end is served", page.status === 200 && html.includes('<div id="app">'), `${page.status} ${html.slice(0, 200)}`);

  const signup = await fetch(`${origin}/api/auth/signup`, {
    method: "POST",
    headers: { "content-type": "application/json", origin },
    body: JSON.stringify({ email: "fresh@example.com", password: "correct horse battery", name: "Fresh" }),
  });
  const cookie = (signup.headers.get("set-cookie") ?? "").split(";")[0];
  check("a new user signs up (the D1 tables exist)", signup.status === 201 && cookie.length > 0, `${signup.status} ${await signup.text()}`);

  const created = await fetch(`${origin}/api/rooms`, { method: "POST", headers: { "content-type": "application/json", origin, cookie }, body: "{}" });
  const { roomId, teacherToken } = await created.json();
  check("a room is created", created.status === 201 && typeof roomId === "string", String(created.status));

  const room = await joinRoom(roomId, teacherToken, cookie);
  const refused = await room.run("console.log(6 * 7)");
  check(
    "without the runner, RUN says how to start it",
    refused.responseType === "ERROR" && refused.payload.code === "RUN_UNAVAILABLE" && refused.payload.error_message.includes("npx wrangler dev -c worker/runner/wrangler.toml"),
    JSON.stringify(refused),
  );

  const runner = wranglerDev(["-c", "worker/runner/wrangler.toml", "--port", String(await freePort()), "--inspector-port", String(await freePort())]);
  let answer;
  // The app learns of the runner through the dev registry within a few seconds.
  for (let i = 0; i < 60; i += 1) {
    answer = await room.run("console.log(6 * 7)");
    if (answer.responseType === "RUN") break;
    await new Promise((r) => setTimeout(r, 1000));
  }
  check("with the runner started as told, code runs in the room", answer?.responseType === "RUN" && answer.payload.stdout === "42", `${JSON.stringify(answer)}\n${runner.log().slice(-1500)}`);
  room.close();
} catch (error) {
  check("wrangler dev on a fresh checkout", false, `${error?.stack ?? error}\n${children.map((c) => c.log?.() ?? "").join("\n").slice(-3000)}`);
} finally {
  for (const { child } of children) stopTree(child);
  await new Promise((r) => setTimeout(r, 500));
  rmSync(checkout, { recursive: true, force: true });
}
console.log(`${results.passed} passed, ${results.failed} failed`);
process.exit(results.failed ? 1 : 0);

/** Joins as the room's teacher; `run(code)` sends RUN and resolves with the answer (RUN or ERROR). */
async function joinRoom(roomId, token, cookie) {
  const ws = new WebSocket(`ws://127.0.0.1:${port}/api/rooms/${roomId}/ws`, { headers: { cookie, origin } });
  const frames = [];
  let waiting = null;
  ws.on("message", (data) => {
    const frame = JSON.parse(String(data));
    if (waiting?.(frame)) waiting = null;
    else frames.push(frame);
  });
  await new Promise((resolve, reject) => {
    ws.once("open", resolve);
    ws.once("error", reject);
  });
  const next = (wanted) =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no ${wanted.join("/")} frame within 30 s`)), 30_000);
      waiting = (frame) => {
        if (!wanted.includes(frame.responseType)) return false;
        clearTimeout(timer);
        resolve(frame);
        return true;
      };
    });
  const base = { username: "Fresh", roomId, role: "Teacher" };
  const joined = next(["JOIN", "ERROR"]);
  ws.send(JSON.stringify({ ...base, action: "JOIN", payload: { roomId, role: "Teacher", token } }));
  const answer = await joined;
  if (answer.responseType !== "JOIN") throw new Error(`JOIN refused: ${JSON.stringify(answer)}`);
  return {
    run(code) {
      const reply = next(["RUN", "ERROR"]);
      ws.send(JSON.stringify({ ...base, action: "RUN", payload: { code } }));
      return reply;
    },
    close: () => ws.close(),
  };
}
