/** A class room's opening hours, read from its record: pure. */
import type { RoomRecord } from "./storage";

export interface Hours {
  open: boolean;
  opensAt: number;
  closesAt: number;
}

/** A class room's hours and whether it is open at `now`; null for ad-hoc rooms and channels. */
export function classHours(room: RoomRecord | null, now: number): Hours | null {
  if (room?.kind !== "class" || room.opensAt === null || room.closesAt === null) return null;
  return { open: room.opensAt <= now && now < room.closesAt, opensAt: room.opensAt, closesAt: room.closesAt };
}

/** What a student knocking on a closed class room is told. */
export function closedMessage(hours: { opensAt: number; closesAt: number }, now: number): string {
  const at = (t: number) => new Date(t).toISOString().replace(".000Z", "Z");
  if (hours.closesAt <= hours.opensAt) return "This class was called off.";
  return now < hours.opensAt ? `This class room opens at ${at(hours.opensAt)}.` : `This class room closed at ${at(hours.closesAt)}.`;
}

/** When the room next opens or closes, after `now`; null when neither is ahead. */
export function nextChange(hours: Hours, now: number): number | null {
  return [hours.opensAt, hours.closesAt].filter((t) => t > now).sort((a, b) => a - b)[0] ?? null;
}
