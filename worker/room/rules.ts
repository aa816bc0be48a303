/**
 * The room's rules as pure functions: who may join in which role, what a
 * joined participant may do, and what everyone sees of the room. No sockets,
 * no storage — ClassroomRoom feeds in facts and carries out the decision.
 */
import type { ClientMessage, ErrorCode, Role } from "../../protocol";

/** Who the gateway says is on a socket (from the session); never from the client. */
export interface VerifiedIdentity {
  userId: string;
  name: string;
  /** Decided by course membership in a class room; null in an ad-hoc room (the token decides). */
  role: Role | null;
  /** The course whose membership gave `role`: the room checks it again at JOIN. */
  courseId?: string;
  /** The sign-in session that opened the socket: signing out or its expiry ends the socket. */
  session?: { id: string; expiresAt: number };
}

export interface Participant {
  userId: string;
  username: string;
  role: Role;
  joinedAt: number;
}

export interface Rejection {
  ok: false;
  code: ErrorCode;
  error_message: string;
}

export type JoinDecision = Rejection | { ok: true; identity: Participant; replaces: Participant[] };
export type ActionDecision = Rejection | { ok: true; self: Participant };

export const reject = (code: ErrorCode, error_message: string): Rejection => ({ ok: false, code, error_message });

type Join = Extract<ClientMessage, { action: "JOIN" }>;

export interface JoinFacts {
  /** The room this socket was opened for (from its URL). */
  socketRoomId: string;
  roomExists: boolean;
  /** A class room admits several staff as Teacher; an ad-hoc room one token holder. */
  kind: "adhoc" | "class";
  /** Whether students may enter now (always true for ad-hoc rooms). */
  open: boolean;
  /** Shown when a student knocks on a closed room. */
  closedMessage: string;
  /** Whether payload.token matches the room's teacher token (false when absent). */
  tokenValid: boolean;
  verified: VerifiedIdentity;
  /** Everyone joined on the room's other sockets. */
  others: readonly Participant[];
  /** This socket's identity, if it has already joined. */
  self: Participant | null;
  /** The name this account goes by in the room (seats.ts): unique per account, so never refused. */
  label: string;
  now: number;
}

/** Checks that the envelope's optional roomId/role agree with the payload's. */
function envelopeMismatch(message: ClientMessage, roomId: string, role: Role | null): Rejection | null {
  if (message.roomId != null && message.roomId !== roomId) {
    return reject("WRONG_ROOM", `This connection is for room ${roomId}, not ${message.roomId}.`);
  }
  if (message.role != null && role !== null && message.role !== role) {
    return reject("FORBIDDEN", `You are in this room as ${role}, not ${message.role}.`);
  }
  return null;
}

export function decideJoin(message: Join, facts: JoinFacts): JoinDecision {
  const { payload } = message;
  const { verified } = facts;
  if (facts.self) {
    return reject("ALREADY_JOINED", `You have already joined as ${facts.self.role} "${facts.self.username}"; send LEAVE first.`);
  }
  if (payload.roomId !== facts.socketRoomId) {
    return reject("WRONG_ROOM", `This connection is for room ${facts.socketRoomId}, not ${payload.roomId}.`);
  }
  const mismatch = envelopeMismatch(message, facts.socketRoomId, payload.role);
  if (mismatch) return mismatch;
  if (!facts.roomExists) return reject("ROOM_NOT_FOUND", `Room ${payload.roomId} does not exist.`);
  if (message.username !== verified.name) {
    return reject("FORBIDDEN", `You are signed in as "${verified.name}"; join under that name.`);
  }
  if (verified.role !== null && payload.role !== verified.role) {
    return reject("FORBIDDEN", `In this class you join as ${verified.role}.`);
  }
  if (verified.role === null && payload.role === "Teacher" && !facts.tokenValid) {
    return reject("BAD_TOKEN", "Joining as Teacher needs this room's teacher link.");
  }
  if (payload.role === "Student" && !facts.open) return reject("ROOM_CLOSED", facts.closedMessage);

  const identity: Participant = { userId: verified.userId, username: facts.label, role: payload.role, joinedAt: facts.now };
  // The same person again (a new tab, a reconnect before the old socket timed out) takes over.
  const replaces = facts.others.filter((p) => p.userId === identity.userId);
  const others = facts.others.filter((p) => p.userId !== identity.userId);

  if (payload.role === "Teacher" && facts.kind === "adhoc") {
    const teacher = others.find((p) => p.role === "Teacher");
    if (teacher) return reject("ROLE_TAKEN", `The Teacher role is taken by "${teacher.username}".`);
  }
  return { ok: true, identity, replaces };
}

/**
 * Rules shared by every action after JOIN: joined, same name, same room, same
 * role. The name may be the account's display name or the one it goes by in
 * the room: both name this connection's account and no other.
 */
export function decideAction(message: ClientMessage, self: Participant | null, socketRoomId: string, accountName: string): ActionDecision {
  if (!self) return reject("NOT_JOINED", `Send JOIN before ${message.action}.`);
  if (message.username !== self.username && message.username !== accountName) {
    return reject("FORBIDDEN", `This connection belongs to "${self.username}", not "${message.username}".`);
  }
  const mismatch = envelopeMismatch(message, socketRoomId, self.role);
  if (mismatch) return mismatch;
  if (message.action === "LEAVE") {
    if (message.payload.roomId !== socketRoomId) {
      return reject("WRONG_ROOM", `You are not in room ${message.payload.roomId}.`);
    }
    if (message.payload.role !== self.role) {
      return reject("FORBIDDEN", `You are in this room as ${self.role}, not ${message.payload.role}.`);
    }
  }
  return { ok: true, self };
}

/** A student's share goes to the teacher (every staff member); the teacher's to every student. */
export function shareAudience(sender: Role): Role {
  return sender === "Student" ? "Teacher" : "Student";
}
