/**
 * Who is in the room and what the teacher last shared, as this browser
 * knows it: a pure function from (what we knew, one frame) to what we know
 * now. No Solid, no socket, so it can be read (and tested) on its own.
 *
 * The room sends the full roster only once, in the answer to our own JOIN
 * (again after every reconnect); after that each JOIN or LEAVE notice names
 * the one person who came or went. Every frame carries the room's counts,
 * so the numbers shown never depend on having seen every delta.
 */
import type { RoomView, RosterEntry, ServerMessage } from "../../../protocol";

export interface RoomState {
  /** The staff member who joined first and is still here. */
  teacher: string | null;
  /** How many students and staff the room counts now (from the latest frame). */
  students: number;
  teachers: number;
  /** Everyone here, in join order. */
  roster: readonly RosterEntry[];
  /** The code the teacher last shared with the class; "" when there is none. */
  sharedCode: string;
}

export const EMPTY_ROOM: RoomState = { teacher: null, students: 0, teachers: 0, roster: [], sharedCode: "" };

const same = (a: RosterEntry, b: RosterEntry) => a.username === b.username && a.role === b.role;

/** What one frame changes. Returns `state` itself when nothing changed, so a signal holding it does not fire. */
export function nextRoomState(state: RoomState, message: ServerMessage): RoomState {
  switch (message.responseType) {
    case "JOIN": {
      const counted = withView(state, message.room);
      if ("roster" in message.payload) {
        // Our own JOIN answer: the whole roster, replacing whatever we had (we may have missed deltas while away).
        return { ...counted, roster: message.payload.roster, sharedCode: message.room.sharedCode ?? counted.sharedCode };
      }
      const { username, role } = message.payload;
      if (username === undefined) return counted;
      const entry = { username, role };
      // The same person joining again from a new connection replaces the old one: no LEAVE comes, so keep one
      // entry, moved to the end as the room does (it lists them as its latest join, and a JOIN answer would too).
      return { ...counted, roster: [...counted.roster.filter((e) => !same(e, entry)), entry] };
    }
    case "LEAVE": {
      const counted = withView(state, message.room);
      const { username, role } = message.payload;
      // Without a name it answers our own LEAVE; the page is going away.
      if (username === undefined) return counted;
      const entry = { username, role };
      if (!counted.roster.some((e) => same(e, entry))) return counted;
      return { ...counted, roster: counted.roster.filter((e) => !same(e, entry)) };
    }
    case "SHARE": {
      const counted = withView(state, message.room);
      // A student's share goes to the staff only; what students can load is the teacher's.
      if (message.payload.role !== "Teacher") return counted;
      return counted.sharedCode === message.payload.shared_code ? counted : { ...counted, sharedCode: message.payload.shared_code };
    }
    default:
      return "room" in message ? withView(state, message.room) : state;
  }
}

function withView(state: RoomState, view: RoomView): RoomState {
  if (state.teacher === view.teacher && state.students === view.students && state.teachers === view.teachers) return state;
  return { ...state, teacher: view.teacher, students: view.students, teachers: view.teachers };
}

/** The students here, in join order. */
export function studentsHere(state: RoomState): string[] {
  return state.roster.filter((e) => e.role === "Student").map((e) => e.username);
}
