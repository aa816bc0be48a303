/**
 * Frames for the room fuzzer: a valid frame of any action (aimed at ids and
 * names the room really has, so the rules behind the schema are reached too),
 * then, usually, mutated: a field of the wrong type, missing or extra fields,
 * edge numbers, hostile text, deep nesting, broken JSON, binary frames.
 */
import { Rng, deep, mutateText, oddNumber, oddString, oddValue, sized } from "./fuzz-gen";
import { docPayload } from "./fuzz-room-docs-frames";
import { livePayload } from "./fuzz-room-live";
import type { RoomModel, Seat } from "./fuzz-room-model";
import { ACTIONS_IN_DOC, PAYLOADS, type Action } from "./fuzz-room-spec";

type Frame = Record<string, unknown> & { payload?: unknown };

/** Code the runner answers quickly: no loops, nothing heavy (a fuzzer must not wait on the sandbox). */
const SAFE_CODE = ["1 + 2", "console.log('hi')", "throw new Error('x')", "'\u202e\u0000'", "let x: number = 1; x", "}{", "", "// \ud800"];

export interface FrameContext {
  rng: Rng;
  model: RoomModel;
  seat: Seat;
  /** Names a MUTE may aim at (never the well-behaved client's), and whose editors a frame may name. */
  names: string[];
}

const someId = (c: FrameContext, count: number) => (c.rng.chance(0.8) && count ? 1 + c.rng.int(count) : c.rng.pick([1, 2, count + 1, count + 50]));

/** A frame the schema accepts, sent as this seat. */
export function validFrame(c: FrameContext, action: Action): Frame {
  const { rng, model, seat } = c;
  const role = seat.joined ?? (seat.name === "Host" ? "Teacher" : "Student");
  const envelope: Frame = { username: seat.name, action };
  if (rng.chance(0.5)) envelope.roomId = model.roomId;
  if (rng.chance(0.3)) envelope.role = role;
  const fresh = (prefix: string) => `${prefix}-${rng.word(8 + rng.int(20))}`;
  const reuse = <T extends { clientId: string }>(list: T[]) => (list.length && rng.chance(0.2) ? rng.pick(list).clientId : null);
  const text = (max: number) => (rng.chance(0.7) ? `hello ${rng.word(6)}` : oddString(rng).padEnd(1, "x").slice(0, max));
  const payloads: Record<Action, () => Record<string, unknown>> = {
    JOIN: () => ({
      roomId: model.roomId,
      role,
      ...(role === "Teacher" ? { token: model.token } : {}),
      ...(rng.chance(0.3) ? { lastSeq: Math.max(0, model.seq - rng.int(15)) } : {}),
    }),
    LEAVE: () => ({ roomId: model.roomId, role }),
    RUN: () => ({ code: rng.pick(SAFE_CODE), ...(rng.chance(0.5) ? { language: rng.pick(["javascript", "typescript"]) } : {}) }),
    SHARE: () => ({ shared_code: rng.chance(0.8) ? `let v = ${rng.int(1000)};` : oddString(rng) }),
    CHAT: () => ({
      clientId: reuse(model.messages) ?? fresh("c"),
      text: text(4000),
      ...(rng.chance(0.2) ? { attach: rng.chance(0.5) ? { code: "x()" } : rng.chance(0.5) ? { output: "ok" } : {} } : {}),
    }),
    CHAT_EDIT: () => ({ id: someId(c, model.messages.length), text: text(4000) }),
    CHAT_DELETE: () => ({ id: someId(c, model.messages.length) }),
    MUTE: () => ({ username: rng.chance(0.8) ? rng.pick(c.names) : "Nobody here", muted: rng.chance(0.4) }),
    HISTORY: () => ({ ...(rng.chance(0.4) ? { before: someId(c, model.messages.length) } : {}), ...(rng.chance(0.5) ? { limit: 1 + rng.int(100) } : {}) }),
    ASK: () => ({ clientId: reuse(model.questions) ?? fresh("q"), text: text(2000), ...(rng.chance(0.5) ? { anonymous: rng.chance(0.5) } : {}) }),
    VOTE: () => ({ id: someId(c, model.questions.length), up: rng.chance(0.6) }),
    ANSWER: () => ({ id: someId(c, model.questions.length), ...(rng.chance(0.6) ? { answer: rng.chance(0.2) ? "  " : text(4000) } : {}) }),
    QUESTION_DELETE: () => ({ id: someId(c, model.questions.length) }),
    HAND_RAISE: () => ({
      clientId: reuse(model.hands) ?? fresh("h"),
      ...(rng.chance(0.5) ? { note: text(500) } : {}),
      ...(rng.chance(0.3) ? { code: "f()" } : {}),
      ...(rng.chance(0.3) ? { line: 1 + rng.int(1_000_000) } : {}),
    }),
    HAND_WITHDRAW: () => ({ id: someId(c, model.hands.length) }),
    HAND_CLAIM: () => ({ id: someId(c, model.hands.length) }),
    HAND_RESOLVE: () => ({ id: someId(c, model.hands.length) }),
    BOARD: () => (rng.chance(0.3) ? { before: someId(c, model.questions.length) } : {}),
    DOC_SUBSCRIBE: () => docPayload(c, "DOC_SUBSCRIBE"),
    DOC_PUSH: () => docPayload(c, "DOC_PUSH"),
    DOC_PULL: () => docPayload(c, "DOC_PULL"),
    DOC_MODE: () => docPayload(c, "DOC_MODE"),
    DOC_HISTORY: () => docPayload(c, "DOC_HISTORY"),
    DOC_CURSOR: () => docPayload(c, "DOC_CURSOR"),
    LIVE_START: () => livePayload(c, "LIVE_START"),
    LIVE_STOP: () => livePayload(c, "LIVE_STOP"),
    LIVE_SIGNAL: () => livePayload(c, "LIVE_SIGNAL"),
  };
  return { ...envelope, payload: payloads[action]() };
}

/** One structural mutation of a frame (a copy). */
export function mutateFrame(rng: Rng, frame: Frame, names: { mine: string; other: string; roomId: string }): Frame {
  const f: Frame = structuredClone(frame);
  const payload = (typeof f.payload === "object" && f.payload !== null ? f.payload : {}) as Record<string, unknown>;
  const keys = Object.keys(payload);
  const action = f.action as Action;
  const fields = Object.keys(PAYLOADS[action]?.fields ?? {});
  switch (rng.int(16)) {
    case 0: // a payload field of the wrong kind
      if (keys.length) payload[rng.pick(keys)] = oddValue(rng);
      else f.payload = oddValue(rng);
      break;
    case 1: // a required field missing
      if (keys.length) delete payload[rng.pick(keys)];
      else delete f.payload;
      break;
    case 2: // a field the payload does not have
      // defineProperty: a plain assignment to "__proto__" would set the prototype, not send a key.
      Object.defineProperty(payload, rng.pick(["extra", "isTeacher", "__proto__", "constructor", "toString", "roomId", "role", "seq", "id", oddString(rng)]), {
        value: oddValue(rng),
        enumerable: true,
        writable: true,
        configurable: true,
      });
      f.payload = payload;
      break;
    case 3: // an edge number where a number (or anything) is
      payload[fields.length ? rng.pick(fields) : "id"] = oddNumber(rng);
      break;
    case 4: // a string just around its limit
      payload[fields.length ? rng.pick(fields) : "text"] = sized(rng, rng.pick([40, 64, 128, 500, 2000, 4000, 16 * 1024, 64 * 1024, 512 * 1024]));
      break;
    case 5: // hostile text in a string field
      payload[fields.length ? rng.pick(fields) : "text"] = oddString(rng);
      break;
    case 6:
      f.username = rng.pick([names.other, ` ${names.mine} `, `${names.mine}\u200b`, "", "x".repeat(41), 42, null, oddString(rng)]);
      break;
    case 7:
      f.roomId = rng.pick([names.roomId.toLowerCase(), "abcdefgh", "abc", "../ws", "class-abcdefgh", 7, null, oddString(rng)]);
      break;
    case 8:
      f.role = rng.pick(["Teacher", "Student", "Admin", "teacher", "", 1, null]);
      break;
    case 9:
      f.action = rng.pick([...ACTIONS_IN_DOC.map((a) => a.toLowerCase()), "DANCE", "", "__proto__", "JOIN ", 3, null, ["JOIN"]]);
      break;
    case 10:
      if (rng.chance(0.5)) delete f.action;
      else delete f.username;
      break;
    case 11: // another action's payload
      f.action = rng.pick(ACTIONS_IN_DOC);
      break;
    case 12:
      f.payload = deep(rng.pick([2, 50, 500]), rng.chance(0.5));
      break;
    case 13:
      f[rng.pick(["extra", "seq", "responseType", "token"])] = oddValue(rng);
      break;
    case 14:
      if (keys.length) payload[rng.pick(keys)] = String(payload[rng.pick(keys)]);
      break;
    default:
      f.payload = rng.pick([null, [], "payload", 1, true, [payload]]);
  }
  return f;
}

/** What goes over the wire: JSON of the (maybe mutated) frame, sometimes broken text, sometimes bytes, rarely over 1 MiB. */
export function serialise(rng: Rng, frame: Frame): string | ArrayBuffer {
  const text = JSON.stringify(frame);
  const roll = rng.next();
  if (roll < 0.06) return mutateText(rng, text);
  if (roll < 0.075) return new TextEncoder().encode(rng.chance(0.5) ? text : "\u0000\u00ff").buffer as ArrayBuffer;
  if (roll < 0.08) return `${text.slice(0, -1)},"pad":"${"x".repeat(1024 * 1024)}"}`;
  if (roll < 0.1) return text.replace(/"([^"\\]{1,12})"/, (_m, s: string) => `"${s}\\ud800"`);
  // Nesting deeper than any object a test can build: as text, straight to the room's parser.
  if (roll < 0.105) return text.replace(/"payload":/, `"payload":${"[".repeat(100_000)}1${"]".repeat(100_000)},"x":`);
  return text;
}
