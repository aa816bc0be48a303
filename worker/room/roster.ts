/**
 * Who is joined, in join order, with the counts every frame carries. Kept up
 * to date as people join and leave, so a broadcast never recomputes or sorts
 * the roster. Pure: keyed by anything (the room keys it by socket).
 */
import type { RosterEntry, RoomView } from "../../protocol";
import type { Participant } from "./rules";

export class Roster<K> {
  private readonly byKey = new Map<K, Participant>();
  private students = 0;
  private teachers = 0;

  /** Rebuilds from participants found in any order (after a wake), oldest join first. */
  static from<K>(entries: Iterable<[K, Participant]>): Roster<K> {
    const roster = new Roster<K>();
    const sorted = [...entries].sort(([, a], [, b]) => a.joinedAt - b.joinedAt || a.username.localeCompare(b.username));
    for (const [key, participant] of sorted) roster.add(key, participant);
    return roster;
  }

  /** Adds (or moves to the end, as a newer join) this key's participant. */
  add(key: K, participant: Participant): void {
    this.remove(key);
    this.byKey.set(key, participant);
    if (participant.role === "Student") this.students += 1;
    else this.teachers += 1;
  }

  /** Removes the key; returns who it was, or null when it was not joined. */
  remove(key: K): Participant | null {
    const participant = this.byKey.get(key);
    if (!participant) return null;
    this.byKey.delete(key);
    if (participant.role === "Student") this.students -= 1;
    else this.teachers -= 1;
    return participant;
  }

  get(key: K): Participant | null {
    return this.byKey.get(key) ?? null;
  }

  /** Joined participants in join order, with their keys. */
  entries(): IterableIterator<[K, Participant]> {
    return this.byKey.entries();
  }

  get size(): number {
    return this.byKey.size;
  }

  /** The staff member who joined first and is still here. */
  teacher(): string | null {
    if (this.teachers === 0) return null;
    for (const p of this.byKey.values()) if (p.role === "Teacher") return p.username;
    return null;
  }

  /** The room as every frame names it: id, first teacher and counts, never the whole roster. */
  view(id: string): RoomView {
    return { id, teacher: this.teacher(), students: this.students, teachers: this.teachers };
  }

  /** The full roster for a JOIN answer, in join order. */
  list(): RosterEntry[] {
    return [...this.byKey.values()].map((p) => ({ username: p.username, role: p.role }));
  }
}
