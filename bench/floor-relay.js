// The platform floor: the least a Durable Object can do to run a classroom's
// frames. Hibernatable sockets (ctx.acceptWebSocket), JSON.parse, a loop over
// the room's sockets, send. No storage, no validation, no accounts.
//
// It speaks just enough of ThirdSpace's protocol for the very same bench
// client to drive it (/api/health, sign-up, POST /api/rooms, JOIN, SHARE both
// ways, CHAT, DOC_SUBSCRIBE and DOC_PUSH), with frames of ThirdSpace's shape:
// the small room view { id, teacher, students, teachers } on every frame, the
// roster only in the JOIN answer, DOC_UPDATES as the room sends them. So
// ThirdSpace ÷ floor is the cost of the app, not of the bytes.
//
// For live video it relays WebRTC signalling as the room does (LIVE_START,
// LIVE_SIGNAL): a peer id per socket of its own choosing, LIVE_STARTED to the
// broadcaster, LIVE_STATE to everyone joined (and to each joiner while live),
// each signal to its target with `from` and `by`. No viewer cap, no
// recording, no Stream: the video itself never passes through either.
//
// The loop runs over an in-memory map of who is on each socket rather than
// ctx.getWebSockets() plus deserializeAttachment() per recipient: picking
// recipients by role needs each socket's role, and the map is the cheapest
// way to have it (ThirdSpace caches its attachments the same way). The map is
// rebuilt from the attachments when the object wakes from hibernation.
//
// bench/workerd.mjs serves it in the same workerd process as ThirdSpace.
import { DurableObject } from "cloudflare:workers";

const SOCKET_PATH = /^\/api\/rooms\/([^/]+)\/ws$/;
const id = () => crypto.randomUUID().replaceAll("-", "");
const json = (body, status = 200, headers = {}) =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json", ...headers } });

export default {
  fetch(request, env) {
    const { pathname } = new URL(request.url);
    if (pathname === "/api/health") return json({ ok: true });
    // Accounts are not what the floor measures: any sign-up succeeds, any cookie will do.
    if (request.method === "POST" && pathname === "/api/auth/signup") {
      return json({ user: { id: id() } }, 201, { "set-cookie": `ts_session=${id()}; Path=/; HttpOnly` });
    }
    if (request.method === "POST" && pathname === "/api/rooms") return json({ roomId: id().slice(0, 16), teacherToken: id() }, 201);
    const roomId = SOCKET_PATH.exec(pathname)?.[1];
    if (roomId && request.headers.get("upgrade") === "websocket") return env.FLOOR.getByName(roomId).fetch(request);
    return json({ error: "No such endpoint." }, 404);
  },
};

export class FloorRoom extends DurableObject {
  constructor(ctx, env) {
    super(ctx, env);
    this.members = new Map(); // ws -> { roomId, username, role, docs }; joined ones have a role
    this.seq = 0; // in memory only: the floor keeps nothing
    this.sharedCode = "";
    this.versions = new Map(); // doc -> version; no text, no changes: only what the version rule needs
    this.live = null; // the broadcast as LIVE_STATE shows it; in memory only, like seq
    for (const ws of ctx.getWebSockets()) this.members.set(ws, ws.deserializeAttachment());
  }

  fetch(request) {
    const [client, server] = Object.values(new WebSocketPair());
    this.ctx.acceptWebSocket(server);
    // The peer id is the relay's, never the client's, as in ThirdSpace: 12 letters and digits.
    const member = { roomId: decodeURIComponent(SOCKET_PATH.exec(new URL(request.url).pathname)[1]), peer: id().slice(0, 12) };
    server.serializeAttachment(member);
    this.members.set(server, member);
    return new Response(null, { status: 101, webSocket: client });
  }

  view(roomId) {
    let students = 0;
    let teachers = 0;
    let teacher = null;
    for (const m of this.members.values()) {
      if (m.role === "Teacher") {
        teachers += 1;
        teacher ??= m.username;
      } else if (m.role) {
        students += 1;
      }
    }
    return { id: roomId, teacher, students, teachers };
  }

  /** One serialisation, then one send per recipient. */
  relay(frame, to) {
    const data = JSON.stringify(frame);
    for (const [ws, m] of this.members) if (to(ws, m)) ws.send(data);
  }

  webSocketMessage(ws, data) {
    const message = JSON.parse(data);
    const self = this.members.get(ws);
    const { action, payload } = message;
    if (action === "JOIN") {
      Object.assign(self, { username: message.username, role: payload.role, docs: [] });
      ws.serializeAttachment(self);
      const seq = ++this.seq;
      const room = this.view(self.roomId);
      const roster = [...this.members.values()].filter((m) => m.role).map(({ username, role }) => ({ username, role }));
      const answer = { role: self.role, you: self.username, roster };
      ws.send(JSON.stringify({ responseType: "JOIN", room: { ...room, sharedCode: this.sharedCode }, payload: answer, seq }));
      this.relay({ responseType: "JOIN", room, payload: { role: self.role, username: self.username }, seq }, (other) => other !== ws);
      if (this.live) ws.send(JSON.stringify({ responseType: "LIVE_STATE", payload: { live: this.live } }));
    } else if (action === "SHARE") {
      if (self.role === "Teacher") this.sharedCode = payload.shared_code;
      const audience = self.role === "Student" ? "Teacher" : "Student";
      const frame = {
        responseType: "SHARE",
        room: this.view(self.roomId),
        payload: { shared_code: payload.shared_code, from: self.username, role: self.role, sharedAt: Date.now() },
        seq: ++this.seq,
      };
      // The sender gets the echo, as in ThirdSpace.
      this.relay(frame, (other, m) => other === ws || m.role === audience);
    } else if (action === "CHAT") {
      const seq = ++this.seq;
      const chat = { id: seq, clientId: payload.clientId, author: self.username, authorRole: self.role, text: payload.text };
      const frame = { responseType: "CHAT", payload: { message: { ...chat, attach: null, createdAt: Date.now(), editedAt: null, deleted: false } }, seq };
      this.relay(frame, (_, m) => m.role);
    } else if (action === "DOC_SUBSCRIBE") {
      self.docs = [...new Set(payload.docs)];
      ws.serializeAttachment(self); // as ThirdSpace keeps each socket's documents
      for (const doc of self.docs) {
        ws.send(JSON.stringify({ responseType: "DOC_SNAPSHOT", payload: { doc, version: this.versions.get(doc) ?? 0, text: "" } }));
      }
    } else if (action === "DOC_PUSH") {
      const { doc, version, updates } = payload;
      // ThirdSpace's rule without its checks: only on top of the current version, so the client's logic is the same.
      if (version !== (this.versions.get(doc) ?? 0)) {
        ws.send(JSON.stringify({ responseType: "ERROR", payload: { code: "VERSION", error_message: `${doc} is not at version ${version}.` } }));
        return;
      }
      this.versions.set(doc, version + updates.length);
      // To every subscriber and to the sender, who confirms its changes from it.
      this.relay({ responseType: "DOC_UPDATES", payload: { doc, version, updates } }, (other, m) => other === ws || m.docs?.includes(doc));
    } else if (action === "LIVE_START") {
      this.live = { by: self.username, peer: self.peer, startedAt: Date.now(), provider: "local", whepUrl: null, recording: false };
      ws.send(JSON.stringify({ responseType: "LIVE_STARTED", payload: { recording: null, problem: null, whipUrl: null } }));
      this.relay({ responseType: "LIVE_STATE", payload: { live: this.live } }, (_, m) => m.role);
    } else if (action === "LIVE_SIGNAL") {
      const { to, kind, sdp, candidate } = payload;
      const frame = { responseType: "LIVE_SIGNAL", payload: { from: self.peer, by: self.username, kind, ...(sdp !== undefined && { sdp }), ...(candidate && { candidate }) } };
      // One recipient: found by its peer id, as ThirdSpace finds it.
      for (const [other, m] of this.members) {
        if (m.peer !== to || !m.role) continue;
        other.send(JSON.stringify(frame));
        break;
      }
    }
  }

  // Departures are not announced: the bench closes sockets only at the end of a measurement.
  webSocketClose(ws, code) {
    this.members.delete(ws);
    try {
      ws.close(code === 1005 || code === 1006 ? 1000 : code); // completes the close handshake, as ThirdSpace does
    } catch {
      // already closed by the runtime
    }
  }

  webSocketError(ws) {
    this.members.delete(ws);
  }
}
