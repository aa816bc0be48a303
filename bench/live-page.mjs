// The browser side of bench/live.mjs: a page that goes live or watches with
// the app's own WebRTC code (web/src/lectures/live/peers.ts and media.ts,
// bundled by esbuild from the checkout under test, `app:` naming its root),
// around a shim that speaks the room's frames (JOIN, LIVE_START,
// LIVE_SIGNAL) in place of the app's room session, which would bring the
// whole UI with it.
//
// Every time is taken here, on the page's own clock, from the moment the
// socket is opened: the bench's process is a different clock and a busy one.
import { capture } from "app:web/src/lectures/live/media.ts";
import { Broadcaster, Viewer } from "app:web/src/lectures/live/peers.ts";

/** One room socket with the room's envelope; `on(frame)` sees every frame, ERRORs included. */
function session({ url, roomId, username, role }, on) {
  const ws = new WebSocket(url);
  const send = (action, payload) => {
    if (ws.readyState !== WebSocket.OPEN) return false;
    ws.send(JSON.stringify({ username, action, roomId, role, payload }));
    return true;
  };
  ws.onmessage = (e) => on(JSON.parse(e.data));
  return { ws, send };
}

const failure = (frame) => new Error(`${frame.payload.code}: ${frame.payload.error_message}`);

let teaching = null; // { media, broadcaster, ws, errors, signals }
let watching = null; // { viewer, ws, video }

/** Goes live with the (fake) camera and microphone, as "Go live" does; resolves with the broadcaster's peer id once everyone was told. */
async function teach(options) {
  const media = await capture("camera", true);
  return new Promise((resolve, reject) => {
    let broadcaster = null;
    const { ws, send } = session({ ...options, role: "Teacher" }, (frame) => {
      switch (frame.responseType) {
        case "JOIN":
          if (frame.payload.username === undefined) send("LIVE_START", {});
          break;
        case "LIVE_STARTED":
          broadcaster = new Broadcaster(media.stream, (s) => {
            teaching.signals[s.kind] = (teaching.signals[s.kind] ?? 0) + 1;
            return send("LIVE_SIGNAL", s);
          });
          teaching.broadcaster = broadcaster;
          break;
        case "LIVE_STATE":
          if (broadcaster && frame.payload.live?.peer) resolve({ peer: frame.payload.live.peer });
          break;
        case "LIVE_SIGNAL":
          void broadcaster?.handle(frame.payload);
          break;
        case "ERROR":
          teaching.errors.push(`${frame.payload.code}: ${frame.payload.error_message}`);
          reject(failure(frame));
      }
    });
    // Signals sent by kind: the room's rate limit counts them per account, the broadcaster's included.
    teaching = { media, broadcaster: null, ws, errors: [], signals: {} };
    ws.onopen = () => send("JOIN", { roomId: options.roomId, role: "Teacher", ...(options.token ? { token: options.token } : {}) });
    ws.onclose = (e) => reject(new Error(`teacher's socket closed (${e.code} ${e.reason})`));
  });
}

/**
 * Joins as a student and watches: resolves with the milliseconds from
 * opening the socket to each step, `frame` the first video frame presented.
 */
function watch(options) {
  const t0 = performance.now();
  const marks = {};
  const mark = (name) => (marks[name] ??= Math.round((performance.now() - t0) * 10) / 10);
  const video = document.createElement("video");
  Object.assign(video, { muted: true, autoplay: true, playsInline: true, width: 320, height: 180 });
  document.body.append(video);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no first frame after ${options.timeoutMs} ms; reached ${JSON.stringify(marks)}`)), options.timeoutMs);
    const done = () => {
      mark("frame");
      clearTimeout(timer);
      resolve({ marks, width: video.videoWidth, height: video.videoHeight });
    };
    const onStream = (stream) => {
      if (!stream || video.srcObject) return;
      mark("track");
      video.srcObject = stream;
      void video.play().catch(() => undefined);
      if ("requestVideoFrameCallback" in video) return void video.requestVideoFrameCallback(done);
      const poll = setInterval(() => video.videoWidth > 0 && (clearInterval(poll), done()), 5);
    };
    const viewer = new Viewer((s) => {
      if (s.kind === "hello" || s.kind === "answer") mark(s.kind);
      return send("LIVE_SIGNAL", s);
    }, onStream);
    const { ws, send } = session({ ...options, role: "Student" }, (frame) => {
      switch (frame.responseType) {
        case "JOIN":
          if (frame.payload.username === undefined) mark("joined");
          break;
        case "LIVE_STATE":
          mark("state");
          viewer.follow(frame.payload.live?.peer ?? null);
          break;
        case "LIVE_SIGNAL":
          if (frame.payload.kind === "offer") mark("offer");
          void viewer.handle(frame.payload).then(() => {
            // The connection is the Viewer's own (private in TypeScript only): read for its state, never driven.
            const pc = viewer.pc;
            if (frame.payload.kind !== "offer" || !pc) return;
            const connected = () => pc.connectionState === "connected" && mark("connected");
            pc.addEventListener("connectionstatechange", connected);
            connected();
          });
          break;
        case "ERROR":
          clearTimeout(timer);
          reject(failure(frame));
      }
    });
    watching = { viewer, ws, video };
    ws.onopen = () => {
      mark("open");
      send("JOIN", { roomId: options.roomId, role: "Student" });
    };
    ws.onclose = (e) => reject(new Error(`student's socket closed (${e.code} ${e.reason})`));
  });
}

/** Hangs up as a leaving student's page does (a bye to the broadcaster), then closes the socket. */
function leave() {
  watching?.viewer.hangUp();
  watching?.ws.close();
  watching = null;
}

/**
 * What the teacher's encoders are doing, to read the upload figures by:
 * per video stream its size, frame rate and what limits its quality, and
 * the bytes on the wire (every transport's bytesSent: RTP headers, SRTP,
 * RTCP, ICE included). The connections are the Broadcaster's own, read only.
 */
async function encoding() {
  const streams = [];
  const estimates = [];
  let wireBytes = 0;
  let framesEncoded = 0;
  for (const pc of teaching.broadcaster.peers.values()) {
    (await pc.getStats()).forEach((r) => {
      if (r.type === "transport") wireBytes += r.bytesSent ?? 0;
      // The congestion controller's estimate for this viewer (bits/s): what the encoder is allowed to send.
      if (r.type === "candidate-pair" && r.nominated && r.availableOutgoingBitrate !== undefined) estimates.push(r.availableOutgoingBitrate);
      if (r.type === "outbound-rtp" && r.kind === "video") {
        framesEncoded += r.framesEncoded ?? 0;
        streams.push({ width: r.frameWidth ?? 0, height: r.frameHeight ?? 0, fps: r.framesPerSecond ?? 0, limit: r.qualityLimitationReason ?? "none", encoder: r.encoderImplementation });
      }
    });
  }
  return { streams, estimates, wireBytes, framesEncoded };
}

globalThis.liveBench = {
  teach,
  watch,
  leave,
  viewers: () => teaching?.broadcaster?.viewers ?? 0,
  bytesSent: () => teaching.broadcaster.bytesSent(),
  encoding,
  errors: () => teaching?.errors ?? [],
  signals: () => teaching?.signals ?? {},
};
