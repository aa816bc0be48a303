// A reference outside the platform: a bare `ws` relay in plain Node, with no
// Durable Object, no storage and no validation. It speaks just enough of the
// ThirdSpace protocol (POST /api/rooms, JOIN, SHARE both ways, CHAT,
// DOC_SUBSCRIBE and DOC_PUSH) for the very same bench client to drive it,
// and sends frames of the same shape (the small room view { id, teacher,
// students, teachers } on every frame, the roster only in the JOIN answer,
// DOC_UPDATES as the room sends them), so the ratio compares servers rather
// than payload sizes.
//
// Live video's signalling is relayed as the room relays it (LIVE_START,
// LIVE_SIGNAL): a peer id per socket of the server's choosing, LIVE_STARTED
// to the broadcaster, LIVE_STATE to everyone joined (and to each joiner while
// live), each signal to its target with `from` and `by`. Nothing else of a
// broadcast: no viewer cap, no recording; the video never comes here.
//
//   node bench/ws-baseline.mjs <port>     (scripts/bench.mjs starts it)
//
// It runs as its own process, like workerd does for ThirdSpace: in the bench's
// process its sends would compete with the client's receives for one thread.
import { randomBytes } from "node:crypto";
import { createServer } from "node:http";
import { pathToFileURL } from "node:url";
import { WebSocketServer } from "ws";

const SOCKET_PATH = /^\/api\/rooms\/([^/]+)\/ws$/;
const id = (bytes) => randomBytes(bytes).toString("base64url");

export function createBaselineServer() {
  /** roomId → { token, seq, sharedCode, versions: Map<doc, version>, live, members: Map<ws, { username, role, docs, peer }> } (joined sockets only) */
  const rooms = new Map();
  const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false });

  const server = createServer((req, res) => {
    const reply = (status, body) => {
      res.writeHead(status, { "content-type": "application/json" });
      res.end(JSON.stringify(body));
    };
    if (req.method === "GET" && req.url === "/api/health") return reply(200, { ok: true });
    if (req.method === "POST" && req.url === "/api/auth/signup") {
      // Accounts are not what the baseline measures: any sign-up succeeds.
      req.resume();
      res.writeHead(201, { "content-type": "application/json", "set-cookie": `ts_session=${id(24)}; Path=/; HttpOnly` });
      return res.end(JSON.stringify({ user: { id: id(12) } }));
    }
    if (req.method === "POST" && req.url === "/api/rooms") {
      req.resume(); // the body ({}) carries nothing the baseline needs
      const roomId = id(9);
      const teacherToken = id(24);
      rooms.set(roomId, { token: teacherToken, seq: 0, sharedCode: "", versions: new Map(), live: null, members: new Map() });
      return reply(201, { roomId, teacherToken });
    }
    reply(404, { error: "No such endpoint." });
  });

  server.on("upgrade", (req, socket, head) => {
    const roomId = decodeURIComponent(SOCKET_PATH.exec(req.url ?? "")?.[1] ?? "");
    const room = rooms.get(roomId);
    if (!room) return socket.destroy();
    wss.handleUpgrade(req, socket, head, (ws) => serve(ws, roomId, room));
  });

  function serve(ws, roomId, room) {
    // Counted on each frame, as the floor does; the rooms here are small enough for a loop.
    const view = () => {
      let students = 0;
      let teachers = 0;
      let teacher = null;
      for (const m of room.members.values()) {
        if (m.role === "Teacher") {
          teachers += 1;
          teacher ??= m.username;
        } else {
          students += 1;
        }
      }
      return { id: roomId, teacher, students, teachers };
    };
    const error = (code, error_message) => ws.send(JSON.stringify({ responseType: "ERROR", payload: { error_message, code } }));
    // The socket's, from its opening: a rejoin on the same socket keeps it, as in ThirdSpace.
    const peer = randomBytes(6).toString("hex");

    ws.on("message", (data) => {
      let message;
      try {
        message = JSON.parse(data.toString());
      } catch {
        return error("BAD_JSON", "Frame is not valid JSON.");
      }
      const self = room.members.get(ws);
      if (message.action === "JOIN") {
        const { role, token } = message.payload ?? {};
        if (role === "Teacher" && token !== room.token) return error("BAD_TOKEN", "Wrong teacher token.");
        room.members.set(ws, { username: message.username, role, docs: [], peer });
        const seq = ++room.seq;
        const v = view();
        const roster = [...room.members.values()].map(({ username, role }) => ({ username, role }));
        const you = message.username;
        ws.send(JSON.stringify({ responseType: "JOIN", room: { ...v, sharedCode: room.sharedCode }, payload: { role, you, roster }, seq }));
        const notice = JSON.stringify({ responseType: "JOIN", room: v, payload: { role, username: message.username }, seq });
        for (const other of room.members.keys()) if (other !== ws) other.send(notice);
        if (room.live) ws.send(JSON.stringify({ responseType: "LIVE_STATE", payload: { live: room.live } }));
      } else if (message.action === "SHARE") {
        if (!self) return error("NOT_JOINED", "Send JOIN first.");
        if (self.role === "Teacher") room.sharedCode = message.payload.shared_code;
        const audience = self.role === "Student" ? "Teacher" : "Student";
        const frame = JSON.stringify({
          responseType: "SHARE",
          room: view(),
          payload: { shared_code: message.payload.shared_code, from: self.username, role: self.role, sharedAt: Date.now() },
          seq: ++room.seq,
        });
        // Serialised once, like the room's broadcast; the sender gets the echo too.
        for (const [other, member] of room.members) if (member.role === audience || other === ws) other.send(frame);
      } else if (message.action === "CHAT") {
        if (!self) return error("NOT_JOINED", "Send JOIN first.");
        const seq = ++room.seq;
        const frame = JSON.stringify({
          responseType: "CHAT",
          payload: {
            message: {
              id: seq,
              clientId: message.payload.clientId,
              author: self.username,
              authorRole: self.role,
              text: message.payload.text,
              attach: null,
              createdAt: Date.now(),
              editedAt: null,
              deleted: false,
            },
          },
          seq,
        });
        for (const other of room.members.keys()) other.send(frame);
      } else if (message.action === "DOC_SUBSCRIBE") {
        if (!self) return error("NOT_JOINED", "Send JOIN first.");
        self.docs = [...new Set(message.payload.docs)];
        // Only versions are kept, not text: the bench's documents start empty, and the relay is not what keeps them.
        for (const doc of self.docs) {
          ws.send(JSON.stringify({ responseType: "DOC_SNAPSHOT", payload: { doc, version: room.versions.get(doc) ?? 0, text: "" } }));
        }
      } else if (message.action === "DOC_PUSH") {
        if (!self) return error("NOT_JOINED", "Send JOIN first.");
        const { doc, version, updates } = message.payload;
        // The same rule as the room's: only on top of the current version, so the client's logic is the same.
        if (version !== (room.versions.get(doc) ?? 0)) return error("VERSION", `${doc} is not at version ${version}.`);
        room.versions.set(doc, version + updates.length);
        const frame = JSON.stringify({ responseType: "DOC_UPDATES", payload: { doc, version, updates } });
        // To every subscriber of the document, and to the sender, who confirms its changes from it.
        for (const [other, member] of room.members) if (other === ws || member.docs.includes(doc)) other.send(frame);
      } else if (message.action === "LIVE_START") {
        if (!self) return error("NOT_JOINED", "Send JOIN first.");
        room.live = { by: self.username, peer, startedAt: Date.now(), provider: "local", whepUrl: null, recording: false };
        ws.send(JSON.stringify({ responseType: "LIVE_STARTED", payload: { recording: null, problem: null, whipUrl: null } }));
        const frame = JSON.stringify({ responseType: "LIVE_STATE", payload: { live: room.live } });
        for (const other of room.members.keys()) other.send(frame);
      } else if (message.action === "LIVE_SIGNAL") {
        if (!self) return error("NOT_JOINED", "Send JOIN first.");
        const { to, kind, sdp, candidate } = message.payload;
        const relayed = { from: peer, by: self.username, kind, ...(sdp !== undefined && { sdp }), ...(candidate && { candidate }) };
        // One recipient, found by its peer id as the room finds it.
        for (const [other, member] of room.members) {
          if (member.peer !== to) continue;
          other.send(JSON.stringify({ responseType: "LIVE_SIGNAL", payload: relayed }));
          break;
        }
      } else {
        error("UNKNOWN_ACTION", `The baseline does not handle ${JSON.stringify(message.action)}.`);
      }
    });
    // Departures are not announced: the bench only closes sockets at the end of a run.
    ws.on("close", () => room.members.delete(ws));
  }

  return server;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const port = Number(process.argv[2] ?? 0);
  const server = createBaselineServer();
  server.listen(port, "127.0.0.1", () => console.log(`ws baseline listening on 127.0.0.1:${server.address().port}`));
  // Nothing to flush or save: stopping is just exiting.
  for (const signal of ["SIGTERM", "SIGINT"]) process.on(signal, () => process.exit(0));
}
