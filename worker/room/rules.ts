/**
 * The room's rules as pure functions: who may join in which role, what a
 * joined participant may do, and what everyone sees of the room. No sockets,
 * no storage — ClassroomRoom feeds in facts and carries out the decision.
 */
import type { ClientMessage, ErrorCode, Role, RoomView } from "../../protocol";

export interface Participant {
  username: string;
  role: Role;
  /** Set by the client per browser tab; lets a reconnect replace its own stale socket. */
  clientId?: string;
  joinedAt: number;
}

export interface Rejection {
  ok: false;
  code: ErrorCode;
  error_message: string;
}

export type JoinDecision = Rejection | { ok: true; identity: Participant; replaces: Participant | null };
export type ActionDecision = Rejection | { ok: true };

const reject = (code: ErrorCode, error_message: string): Rejection => ({ ok: false, code, error_message });

type Join = Extract<ClientMessage, { action: "JOIN" }>;

export interface JoinFacts {
  /** The room this socket was opened for (from its URL). */
  socketRoomId: string;
  roomExists: boolean;
  /** Whether payload.token matches the room's teacher token (false when absent). */
  tokenValid: boolean;
  /** Everyone joined on the room's other sockets. */
  others: readonly Participant[];
  /** This socket's identity, if it has already joined. */
  self: Participant | null;
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
  if (facts.self) {
    return reject("ALREADY_JOINED", `You have already joined as ${facts.self.role} "${facts.self.username}"; send LEAVE first.`);
  }
  if (payload.roomId !== facts.socketRoomId) {
    return reject("WRONG_ROOM", `This connection is for room ${facts.socketRoomId}, not ${payload.roomId}.`);
  }
  const mismatch = envelopeMismatch(message, facts.socketRoomId, payload.role);
  if (mismatch) return mismatch;
  if (!facts.roomExists) return reject("ROOM_NOT_FOUND", `Room ${payload.roomId} does not exist.`);

  const identity: Participant = {
    username: message.username,
    role: payload.role,
    ...(payload.clientId ? { clientId: payload.clientId } : {}),
    joinedAt: facts.now,
  };

  if (payload.role === "Teacher") {
    if (!facts.tokenValid) return reject("BAD_TOKEN", "Joining as Teacher needs this room's teacher link.");
    const teacher = facts.others.find((p) => p.role === "Teacher");
    if (teacher && teacher.username !== identity.username) {
      return reject("ROLE_TAKEN", `The Teacher role is taken by "${teacher.username}".`);
    }
    if (facts.others.some((p) => p.role === "Student" && p.username === identity.username)) {
      return reject("NAME_TAKEN", `A student here is already called "${identity.username}".`);
    }
    // The same teacher again (a new tab, a reconnect) takes over.
    return { ok: true, identity, replaces: teacher ?? null };
  }

  const sameName = facts.others.find((p) => p.username === identity.username);
  if (sameName) {
    const ownStaleSocket =
      sameName.role === "Student" && sameName.clientId !== undefined && sameName.clientId === identity.clientId;
    if (!ownStaleSocket) return reject("NAME_TAKEN", `Someone here is already called "${identity.username}"; pick another name.`);
    return { ok: true, identity, replaces: sameName };
  }
  return { ok: true, identity, replaces: null };
}

/** Rules shared by every action after JOIN: joined, same name, same room, same role. */
export function decideAction(message: ClientMessage, self: Participant | null, socketRoomId: string): ActionDecision {
  if (!self) return reject("NOT_JOINED", `Send JOIN before ${message.action}.`);
  if (message.username !== self.username) {
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
  return { ok: true };
}

/** A student's share goes to the teacher; the teacher's to every student. */
export function shareAudience(sender: Role): Role {
  return sender === "Student" ? "Teacher" : "Student";
}

export function roomView(id: string, sharedCode: string, present: readonly Participant[]): RoomView {
  const students = present
    .filter((p) => p.role === "Student")
    .sort((a, b) => a.joinedAt - b.joinedAt || a.username.localeCompare(b.username))
    .map((p) => p.username);
  return { id, teacher: present.find((p) => p.role === "Teacher")?.username ?? null, students, sharedCode };
}
