// After the class, what the room itself says it holds, read by two
// participants who took no part in it: a TA (the staff copy of everything,
// and one stored SHARE per student) and a student (the classmates' copy,
// and the teacher's code in the JOIN answer). Each joins with a `lastSeq`
// that asks for the newest events the room still keeps (it keeps only a
// replay's worth), then reads every HISTORY page and the BOARD.
import WebSocket from "ws";
import { EVENT_FRAMES } from "./chaos-client.mjs";

const TIMEOUT_MS = 20_000;
const READ_RETRY_MS = 1_100;

/**
 * Joins `roomId` as `account` in `role` with `lastSeq` and answers
 * { join, shares, events: [{ seq, type, raw }], messages, board, snapshotInstead, lastSeq }.
 * `snapshotInstead` is true when the room sent snapshots rather than a replay.
 */
export function readRoom({ target, roomId, account, role, lastSeq }) {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${target.ws}/api/rooms/${encodeURIComponent(roomId)}/ws`, {
      perMessageDeflate: false,
      headers: { cookie: account.cookie, origin: target.http },
    });
    const out = { join: null, shares: [], events: [], messages: [], board: null, snapshotInstead: false, lastSeq };
    const send = (action, payload) => ws.send(JSON.stringify({ username: account.name, roomId, role, action, payload }));
    let pending = null; // the read in flight, sent again if the reads bucket is empty
    let replaying = false; // from the JOIN answer to the first HISTORY answer
    const read = (action, payload) => {
      pending = { action, payload };
      send(action, payload);
    };
    const timer = setTimeout(() => finish(new Error(`${account.name}: the room's state was not read within ${TIMEOUT_MS} ms`)), TIMEOUT_MS);
    const finish = (error) => {
      clearTimeout(timer);
      ws.terminate();
      if (error) reject(error);
      else resolve(out);
    };
    ws.on("open", () => send("JOIN", { roomId, role, lastSeq }));
    ws.on("error", (e) => finish(new Error(`${account.name}: ${e.message}`)));
    ws.on("close", (code) => finish(new Error(`${account.name}: socket closed (${code}) before the room was read`)));
    ws.on("message", (data) => {
      const raw = data.toString();
      const frame = JSON.parse(raw);
      const type = frame.responseType;
      if (type === "JOIN" && frame.payload.username === undefined && !out.join) {
        out.join = frame;
        replaying = true;
        // Answered after the replay, which the room sends right behind the JOIN answer.
        read("HISTORY", { limit: 100 });
      } else if (type === "SHARE" && out.join && frame.seq === undefined) {
        out.shares.push(frame.payload);
      } else if (EVENT_FRAMES.has(type) && replaying) {
        out.events.push({ seq: frame.seq, type, raw });
      } else if (type === "HISTORY" && frame.payload.reset) {
        out.snapshotInstead = true;
      } else if (type === "HISTORY") {
        replaying = false;
        out.messages.unshift(...frame.payload.messages);
        const first = frame.payload.messages[0]?.id;
        if (frame.payload.hasMore && first !== undefined) read("HISTORY", { before: first, limit: 100 });
        else read("BOARD", {});
      } else if (type === "BOARD" && pending?.action === "BOARD") {
        // A board that comes in pages (hasMore) is read to its first question.
        if (!out.board) out.board = { ...frame.payload, questions: [...frame.payload.questions] };
        else out.board.questions.unshift(...frame.payload.questions);
        const first = Math.min(...frame.payload.questions.map((q) => q.id));
        if (frame.payload.hasMore && Number.isFinite(first)) read("BOARD", { before: first });
        else finish();
      } else if (type === "ERROR" && frame.payload.code === "RATE_LIMITED" && pending) {
        setTimeout(() => send(pending.action, pending.payload), READ_RETRY_MS);
      } else if (type === "ERROR") {
        finish(new Error(`${account.name}: ${frame.payload.code} ${frame.payload.error_message}`));
      }
    });
  });
}
