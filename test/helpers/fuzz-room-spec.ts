/**
 * docs/protocol.md's frame rules, written out again by hand for the room
 * fuzzer's oracle. Deliberately not the worker's zod schemas: an oracle that
 * reused them would agree with any bug in them.
 */
import type { ErrorCode } from "../../protocol";
import { hasLoneSurrogate } from "./fuzz-gen";

/** The actions this oracle knows the rules of; a frame naming any other is never generated. */
export const ACTIONS_IN_DOC = [
  "JOIN", "LEAVE", "RUN", "SHARE", "CHAT", "CHAT_EDIT", "CHAT_DELETE", "MUTE", "HISTORY", "ASK", "VOTE", "ANSWER",
  "QUESTION_DELETE", "HAND_RAISE", "HAND_WITHDRAW", "HAND_CLAIM", "HAND_RESOLVE", "BOARD",
  "DOC_SUBSCRIBE", "DOC_PUSH", "DOC_PULL", "DOC_MODE", "DOC_HISTORY", "DOC_CURSOR",
  "LIVE_START", "LIVE_STOP", "LIVE_SIGNAL",
] as const;
export type Action = (typeof ACTIONS_IN_DOC)[number];

const MAX_FRAME_BYTES = 1024 * 1024;
const CLIENT_ID = /^[A-Za-z0-9_-]{8,64}$/;
const ROOM_ID = /^[A-Za-z0-9_-]{6,64}$/;
const PLAIN = /^[^\p{Cc}\p{Cf}\p{Zl}\p{Zp}]*$/u;

type Field = (v: unknown) => boolean;
/** docs/protocol.md § Size limits: the schema counts characters as code points (an emoji is one). */
const chars = (s: string) => [...s].length;
const str = (max: number): Field => (v) => typeof v === "string" && chars(v) <= max;
const text = (max: number): Field => (v) => typeof v === "string" && chars(v) <= max && v.trim().length > 0;
// "An integer": JSON numbers past 2^53 are not told apart, so the protocol takes safe integers only.
const int = (min: number, max = Number.MAX_SAFE_INTEGER): Field => (v) => typeof v === "number" && Number.isSafeInteger(v) && v >= min && v <= max;
const bool: Field = (v) => typeof v === "boolean";
const oneOf = (...values: string[]): Field => (v) => typeof v === "string" && values.includes(v);
const roomId: Field = (v) => typeof v === "string" && ROOM_ID.test(v);
const role = oneOf("Student", "Teacher");
const clientId: Field = (v) => typeof v === "string" && CLIENT_ID.test(v);
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const attach: Field = (v) => isObject(v) && strict(v, { code: str(64 * 1024), output: str(16 * 1024) }, []);
const list = (item: Field, min: number, max: number): Field => (v) => Array.isArray(v) && v.length >= min && v.length <= max && v.every(item);

/** The longest document, and so the furthest a cursor may point (docs/protocol.md § DOC_PUSH, § DOC_CURSOR). */
export const MAX_DOC_CHARS = 524_288;
// docs/protocol.md names `teacher` and `student:<name>` and no length: the room takes 1–60 characters
// after the prefix (UTF-16 units), on one line, which every name in a room fits.
const docId: Field = (v) => typeof v === "string" && /^(teacher|student:[^\n]{1,60})$/.test(v);
const version = int(0);
const position = int(0, MAX_DOC_CHARS);
// "A ChangeSet.toJSON()": the schema checks only its outline (numbers, and arrays of numbers and strings).
// Whether that is a change set that fits is the room's check after the gate, so a NOT_JOINED or a
// stale version comes first, and a stale push gets what it missed whatever its changes.
const changes = list((v) => int(0)(v) || (Array.isArray(v) && v.every((x) => int(0)(x) || typeof x === "string")), 0, 10_000);
const update: Field = (v) => isObject(v) && strict(v, { clientID: (x) => typeof x === "string" && chars(x) >= 1 && chars(x) <= 64, changes, paste: (x) => x === true }, ["clientID", "changes"]);
const selection: Field = (v) => v === null || (isObject(v) && strict(v, { anchor: position, head: position }, ["anchor", "head"]));
/** DOC_SUBSCRIBE's `docs`: "at most 60 (one named twice counts once)". */
const subscription: Field = (v) => Array.isArray(v) && v.every(docId) && new Set(v).size <= 60;

/** docs/protocol.md § LIVE_SIGNAL: a peer id is 6–32 letters or digits; an ICE candidate as RTCIceCandidate.toJSON() gives it. */
const peerId: Field = (v) => typeof v === "string" && /^[A-Za-z0-9]{6,32}$/.test(v);
const orNull = (field: Field): Field => (v) => v === null || field(v);
const iceCandidate: Field = (v) =>
  isObject(v) && strict(v, { candidate: str(2048), sdpMid: orNull(str(64)), sdpMLineIndex: orNull(int(0, 64)), usernameFragment: orNull(str(256)) }, ["candidate"]);
/** "`sdp` with offer and answer, and only with them; `candidate` with candidate, and only with it." */
const signalShape = (p: Record<string, unknown>) =>
  (p.kind === "offer" || p.kind === "answer") === Object.hasOwn(p, "sdp") && (p.kind === "candidate") === Object.hasOwn(p, "candidate");

interface PayloadSpec {
  fields: Record<string, Field>;
  required: string[];
  defaults?: Record<string, unknown>;
  /** A rule over the whole payload, beyond its fields. */
  check?: (payload: Record<string, unknown>) => boolean;
}

/** Each action's payload, from its table in protocol.md. */
export const PAYLOADS: Record<Action, PayloadSpec> = {
  JOIN: { fields: { roomId, role, token: str(128), lastSeq: int(0) }, required: ["roomId", "role"] },
  LEAVE: { fields: { roomId, role }, required: ["roomId", "role"] },
  RUN: { fields: { code: str(512 * 1024), language: oneOf("javascript", "typescript") }, required: ["code"], defaults: { language: "javascript" } },
  SHARE: { fields: { shared_code: str(512 * 1024) }, required: ["shared_code"] },
  CHAT: { fields: { clientId, text: text(4000), attach }, required: ["clientId", "text"] },
  CHAT_EDIT: { fields: { id: int(1), text: text(4000) }, required: ["id", "text"] },
  CHAT_DELETE: { fields: { id: int(1) }, required: ["id"] },
  MUTE: { fields: { username: (v) => typeof v === "string" && v.length >= 1 && chars(v) <= 60, muted: bool }, required: ["username", "muted"] },
  HISTORY: { fields: { before: int(1), limit: int(1, 100) }, required: [], defaults: { limit: 50 } },
  ASK: { fields: { clientId, text: text(2000), anonymous: bool }, required: ["clientId", "text"], defaults: { anonymous: false } },
  VOTE: { fields: { id: int(1), up: bool }, required: ["id", "up"] },
  ANSWER: { fields: { id: int(1), answer: str(4000) }, required: ["id"] },
  QUESTION_DELETE: { fields: { id: int(1) }, required: ["id"] },
  HAND_RAISE: { fields: { clientId, note: str(500), code: str(64 * 1024), line: int(1, 1_000_000) }, required: ["clientId"] },
  HAND_WITHDRAW: { fields: { id: int(1) }, required: ["id"] },
  HAND_CLAIM: { fields: { id: int(1) }, required: ["id"] },
  HAND_RESOLVE: { fields: { id: int(1) }, required: ["id"] },
  BOARD: { fields: { before: int(1) }, required: [] },
  DOC_SUBSCRIBE: { fields: { docs: subscription, activity: (v) => v === true }, required: ["docs"] },
  DOC_PUSH: { fields: { doc: docId, version, updates: list(update, 1, 50) }, required: ["doc", "version", "updates"] },
  DOC_PULL: { fields: { doc: docId, version }, required: ["doc", "version"] },
  DOC_MODE: { fields: { locked: bool, follow: bool }, required: [], check: (p) => "locked" in p || "follow" in p },
  DOC_HISTORY: { fields: { doc: docId, after: version, limit: int(1, 500) }, required: ["doc"], defaults: { after: 0, limit: 500 } },
  DOC_CURSOR: { fields: { doc: docId, version, selection }, required: ["doc", "version", "selection"] },
  LIVE_START: { fields: { resume: bool, record: bool }, required: [] },
  LIVE_STOP: { fields: {}, required: [] },
  LIVE_SIGNAL: {
    fields: { to: peerId, kind: oneOf("hello", "offer", "answer", "candidate", "bye"), sdp: str(64 * 1024), candidate: iceCandidate },
    required: ["to", "kind"],
    check: signalShape,
  },
};

/**
 * What the room reads for a JS string this runtime's WebSocket sent: each lone
 * surrogate goes out as its three WTF-8 bytes, not valid UTF-8, and the room
 * decodes each of them as U+FFFD.
 */
export const wellFormed = (s: string) => s.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, "\uFFFD\uFFFD\uFFFD");

function strict(v: Record<string, unknown>, fields: Record<string, Field>, required: string[]): boolean {
  for (const key of Object.keys(v)) if (!Object.hasOwn(fields, key) || !fields[key]!(v[key])) return false;
  return required.every((key) => Object.hasOwn(v, key));
}

/** A frame that passed every check of the gate's steps 1–4, as the room reads it (username trimmed, defaults filled). */
export interface ValidFrame {
  username: string;
  action: Action;
  roomId: string | null;
  role: "Student" | "Teacher" | null;
  payload: Record<string, unknown>;
}

export type Verdict = { ok: true; frame: ValidFrame } | { ok: false; code: ErrorCode; action?: Action; clientId?: string; tooLargeAction?: Action };

/**
 * What the gate must answer before any room state matters (steps 1–4), or
 * the frame as read. `raw` is what went over the wire: a string the socket
 * sent, so its lone surrogates arrive as U+FFFD (`wellFormed`).
 */
export function judgeFrame(raw: string | ArrayBuffer): Verdict {
  if (typeof raw !== "string") return { ok: false, code: "INVALID_MESSAGE" };
  const wire = wellFormed(raw);
  if (new TextEncoder().encode(wire).byteLength > MAX_FRAME_BYTES) {
    // The doc says FRAME_TOO_LARGE names no action; the code names one found in the frame's head (see the report).
    const head = /"action"\s*:\s*"([A-Z_]{1,20})"/.exec(wire.slice(0, 512))?.[1];
    return { ok: false, code: "FRAME_TOO_LARGE", tooLargeAction: ACTIONS_IN_DOC.find((a) => a === head) };
  }
  let data: unknown;
  try {
    data = JSON.parse(wire);
  } catch {
    return { ok: false, code: "BAD_JSON" };
  }
  if (!isObject(data)) return { ok: false, code: "INVALID_MESSAGE" };
  const action = ACTIONS_IN_DOC.find((a) => a === data.action);
  if (!action) return { ok: false, code: "UNKNOWN_ACTION" };
  const payload = data.payload;
  const echoed = isObject(payload) && clientId(payload.clientId) ? { clientId: payload.clientId as string } : {};
  const refuse: Verdict = { ok: false, code: "INVALID_MESSAGE", action, ...echoed };
  // Step 4: text must be well-formed Unicode (an escaped lone surrogate is refused, never stored altered).
  if (hasLoneSurrogate(data)) return refuse;
  const username = typeof data.username === "string" ? data.username.trim() : null;
  if (username === null || username.length < 1 || chars(username) > 40 || !PLAIN.test(username)) return refuse;
  if (data.roomId != null && !roomId(data.roomId)) return refuse;
  if (data.role != null && !role(data.role)) return refuse;
  const spec = PAYLOADS[action];
  if (!isObject(payload) || !strict(payload, spec.fields, spec.required) || (spec.check && !spec.check(payload))) return refuse;
  return {
    ok: true,
    frame: {
      username,
      action,
      roomId: (data.roomId ?? null) as string | null,
      role: (data.role ?? null) as ValidFrame["role"],
      payload: { ...spec.defaults, ...payload },
    },
  };
}
