/**
 * The live documents in the room fuzzer's oracle, from docs/protocol.md
 * § Live documents: each document's text, log and marks, each socket's
 * subscriptions and the lock and follow modes, and so exactly which frames a
 * DOC_* request, a RUN or a SHARE sends to whom. Changes are applied with
 * CodeMirror's own ChangeSet (what a change is), never with the room's code.
 */
import { ChangeSet, Text } from "@codemirror/state";
import { expect } from "vitest";
import type { Outcome, Seat } from "./fuzz-room-model";
import { MAX_DOC_CHARS, type ValidFrame } from "./fuzz-room-spec";

const anyNum = () => expect.any(Number) as unknown as number;
/**
 * A DOC_PULL (or a stale DOC_PUSH) further behind than this gets a snapshot.
 * The other bounds of docs/protocol.md § Live documents are out of these
 * pushes' reach (a few characters each): 1 Mi characters typed at once, and
 * 1 MiB of change sets in one answer.
 */
const MAX_PULL = 500;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** A time the room chose: unknown (any number) until a frame shows it, exact from then on. */
class At {
  value: number | null = null;
  get expected(): number {
    return this.value ?? anyNum();
  }
  learn(seen: unknown): void {
    expect(seen, "the same moment again").toEqual(this.expected);
    this.value = seen as number;
  }
}

interface Mark {
  version: number;
  kind: string;
  at: At;
}

interface Doc {
  text: Text;
  /** Change `v` takes the document from version v to v + 1; stored as ChangeSet.toJSON() writes it. */
  log: { clientID: string; changes: unknown; at: At }[];
  /** In the order they were made. */
  marks: Mark[];
}

interface Update {
  clientID: string;
  changes: unknown;
  paste?: true;
}

type Access = "read" | "write" | "replay";
type Frame = Record<string, unknown>;

/** What the documents need of the room's model: who sits where, and who is joined, in join order. */
export interface Room {
  readonly seats: Seat[];
  readonly order: number[];
}

export class DocsModel {
  private readonly docs = new Map<string, Doc>();
  /**
   * Each socket's set (by seat), as its last accepted DOC_SUBSCRIBE gave it;
   * only joined sockets are sent anything, and a LEAVE ends the set.
   */
  private readonly subs = new Map<number, string[]>();
  mode = { locked: false, follow: false };

  constructor(private readonly room: Room) {}

  /** A LEAVE: the socket receives no documents until it subscribes again. */
  left(i: number): void {
    this.subs.delete(i);
  }

  private doc(id: string): Doc {
    let doc = this.docs.get(id);
    if (!doc) this.docs.set(id, (doc = { text: Text.empty, log: [], marks: [] }));
    return doc;
  }

  version(id: string): number {
    return this.docs.get(id)?.log.length ?? 0;
  }

  length(id: string): number {
    return this.docs.get(id)?.text.length ?? 0;
  }

  /** The editor a seat's runs and shares mark: its own, or `teacher` for staff. */
  own(seat: Seat): string {
    return seat.joined === "Teacher" ? "teacher" : `student:${seat.name}`;
  }

  /** How far the run took the documents, for the fuzzer's report. */
  summary(): string {
    const docs = [...this.docs.values()].filter((d) => d.log.length || d.marks.length);
    const count = (f: (d: Doc) => number) => docs.reduce((n, d) => n + f(d), 0);
    return `${docs.length} documents with ${count((d) => d.log.length)} changes and ${count((d) => d.marks.length)} marks`;
  }

  /** Frames a joiner receives right after its JOIN answer: the modes, while either is on. */
  greeting(): Frame[] {
    return this.mode.locked || this.mode.follow ? [{ responseType: "DOC_MODE", payload: { ...this.mode, by: null } }] : [];
  }

  /** The answer to a DOC_* frame that passed the gate (joined, not rate-limited). */
  decide(i: number, f: ValidFrame): Outcome {
    const seat = this.room.seats[i]!;
    const staff = seat.joined === "Teacher";
    const p = f.payload as { doc: string; version: number; docs: string[]; activity?: true; updates: Update[]; after: number; limit: number };
    const err = (code: string, message: unknown): Outcome => only(i, { responseType: "ERROR", payload: { error_message: message, code, action: f.action } });
    const refused = (use: Access) => {
      const why = this.access(seat, p.doc, use);
      return why && err(why.code, why.message);
    };
    switch (f.action) {
      case "DOC_SUBSCRIBE": {
        const docs = [...new Set(p.docs)];
        for (const doc of docs) {
          const why = this.access(seat, doc, "read");
          if (why) return err(why.code, why.message);
        }
        if (p.activity && !staff) return err("FORBIDDEN", "Only teachers see every editor's activity.");
        const had = this.subs.get(i) ?? [];
        this.subs.set(i, docs);
        const frames = [...(p.activity ? [this.activity()] : []), ...docs.filter((d) => !had.includes(d)).map((d) => this.snapshot(d))];
        return { frames: new Map([[i, frames]]), commit: (got) => (p.activity ? this.learnActivity(got.get(i)![0]!) : undefined) };
      }
      case "DOC_PUSH": {
        const no = refused("write");
        if (no) return no;
        const doc = this.doc(p.doc);
        if (p.version !== doc.log.length) return only(i, this.since(p.doc, p.version));
        let text = doc.text;
        const stored: { clientID: string; changes: unknown }[] = [];
        for (const u of p.updates) {
          let set: ChangeSet;
          try {
            set = ChangeSet.fromJSON(u.changes);
          } catch {
            return err("INVALID_MESSAGE", expect.stringMatching(/^payload\.updates: /));
          }
          if (set.length !== text.length) return err("INVALID_MESSAGE", expect.stringMatching(/^payload\.updates: /));
          text = set.apply(text);
          // Text is stored only well-formed (docs/protocol.md § Size limits): a change that deletes or
          // inserts between the halves of a surrogate pair would leave one alone.
          if (text.length > MAX_DOC_CHARS || LONE_SURROGATE.test(text.toString())) return err("INVALID_MESSAGE", expect.stringMatching(/^payload\.updates: /));
          stored.push({ clientID: u.clientID, changes: set.toJSON() });
        }
        const at = new At();
        doc.text = text;
        for (const s of stored) doc.log.push({ ...s, at });
        const out: Outcome = { frames: new Map() };
        const told: number[] = [];
        p.updates.forEach((u, k) => {
          if (!u.paste) return;
          const mark = { version: p.version + k + 1, kind: "paste", at };
          doc.marks.push(mark);
          // In `teacher` a paste is only stored; in a student's editor every staff member hears of it first.
          if (p.doc !== "teacher") told.push(...this.tellStaff(out, p.doc, mark));
        });
        const updates = { responseType: "DOC_UPDATES", payload: { doc: p.doc, version: p.version, updates: p.updates } };
        for (const x of this.subscribers(p.doc)) add(out, x, updates);
        if (!this.subs.get(i)?.includes(p.doc)) add(out, i, updates);
        out.commit = (got) => told.forEach((x) => learnMarks(got.get(x) ?? [], at));
        return out;
      }
      case "DOC_PULL":
        return refused("read") ?? only(i, this.since(p.doc, p.version));
      case "DOC_MODE": {
        if (!staff) return err("FORBIDDEN", "Only teachers can lock editors or start follow mode.");
        const q = f.payload as { locked?: boolean; follow?: boolean };
        this.mode = { locked: q.locked ?? this.mode.locked, follow: q.follow ?? this.mode.follow };
        // "When follow mode ends, the room takes `teacher` out of every student connection's subscription
        // set": one out of the room too, or it would receive the teacher's editor again on its next JOIN.
        if (!this.mode.follow) {
          for (const [x, docs] of this.subs) if (this.room.seats[x]!.joined !== "Teacher") this.subs.set(x, docs.filter((d) => d !== "teacher"));
        }
        const frame = { responseType: "DOC_MODE", payload: { ...this.mode, by: seat.name } };
        return { frames: new Map(this.room.order.map((x) => [x, [frame]])) };
      }
      case "DOC_HISTORY":
        return refused("replay") ?? this.history(i, p.doc, p.after, p.limit);
      case "DOC_CURSOR": {
        const no = refused("write");
        if (no) return no;
        // The room checks neither the version nor the positions against the document: they go on as sent.
        const frame = { responseType: "DOC_CURSOR", payload: { ...f.payload, by: seat.name, role: seat.joined } };
        return { frames: new Map(this.subscribers(p.doc).filter((x) => x !== i).map((x) => [x, [frame]])) };
      }
      default:
        throw new Error(`not a document action: ${f.action}`);
    }
  }

  /**
   * A RUN marks its sender's own editor at its version when the run starts,
   * `run-ok` or `run-error` by the reply; a student's mark goes to every staff
   * member after the reply.
   */
  markRun(out: Outcome, i: number): void {
    const seat = this.room.seats[i]!;
    const mark: Mark = { version: this.version(this.own(seat)), kind: "", at: new At() };
    this.mark(out, i, mark, expect.stringMatching(/^run-(ok|error)$/), (got) => {
      const reply = got.get(i)![0]!.payload as { error: string | null; timedOut: boolean };
      mark.kind = reply.error === null && !reply.timedOut ? "run-ok" : "run-error";
    });
  }

  /** A SHARE marks its sender's own editor at its version now, at the share's `sharedAt`. */
  markShare(out: Outcome, i: number): void {
    const seat = this.room.seats[i]!;
    const mark: Mark = { version: this.version(this.own(seat)), kind: "share", at: new At() };
    this.mark(out, i, mark, "share", (got) => mark.at.learn((got.get(i)![0]!.payload as { sharedAt: number }).sharedAt));
  }

  private mark(out: Outcome, i: number, mark: Mark, kind: unknown, settle: (got: Map<number, Frame[]>) => void): void {
    const seat = this.room.seats[i]!;
    const doc = this.own(seat);
    const told = seat.joined === "Teacher" ? [] : this.tellStaff(out, doc, { ...mark, kind } as Mark);
    const before = out.commit;
    out.commit = (got) => {
      before?.(got);
      settle(got);
      this.doc(doc).marks.push(mark);
      for (const x of told) {
        const frame = (got.get(x) ?? []).find((g) => g.responseType === "DOC_MARK") as { payload: Mark } | undefined;
        expect(frame?.payload.kind, "the mark says how the run ended").toBe(mark.kind);
        mark.at.learn(frame?.payload.at);
      }
    };
  }

  /** DOC_MARK to every joined staff member; returns who was told. */
  private tellStaff(out: Outcome, doc: string, mark: Mark): number[] {
    const staff = this.room.order.filter((x) => this.room.seats[x]!.joined === "Teacher");
    const frame = { responseType: "DOC_MARK", payload: { doc, version: mark.version, kind: mark.kind, at: mark.at.expected } };
    for (const x of staff) add(out, x, frame);
    return staff;
  }

  /**
   * Staff any document; a student their own (not for writing while locked),
   * and the teacher's to read while following. Playback is a student's own
   * editor only, lock or not.
   */
  private access(seat: Seat, doc: string, use: Access): { code: string; message: string } | null {
    if (seat.joined === "Teacher") return null;
    const own = `student:${seat.name}`;
    if (doc === own) return use === "write" && this.mode.locked ? { code: "LOCKED", message: "Your teacher has locked the editors for now; this change was not saved." } : null;
    if (doc === "teacher" && use === "read" && this.mode.follow) return null;
    return { code: "FORBIDDEN", message: `You can only open your own editor (${own}).` };
  }

  /** Joined sockets subscribed to `doc`. */
  private subscribers(doc: string): number[] {
    return this.room.order.filter((x) => this.subs.get(x)?.includes(doc));
  }

  private snapshot(id: string): Frame {
    const doc = this.doc(id);
    return { responseType: "DOC_SNAPSHOT", payload: { doc: id, version: doc.log.length, text: doc.text.toString() } };
  }

  /** What a client at `version` missed: the changes since, or the whole document when that is too far back, or ahead. */
  private since(id: string, version: number): Frame {
    const doc = this.doc(id);
    if (version > doc.log.length || doc.log.length - version > MAX_PULL) return this.snapshot(id);
    const updates = doc.log.slice(version, version + MAX_PULL).map(({ clientID, changes }) => ({ clientID, changes }));
    return { responseType: "DOC_UPDATES", payload: { doc: id, version, updates } };
  }

  private history(i: number, id: string, after: number, limit: number): Outcome {
    const doc = this.doc(id);
    const page = doc.log.slice(after, after + limit + 1);
    const hasMore = page.length > limit;
    const log = page.slice(0, limit);
    const end = hasMore ? after + log.length : Infinity;
    const marks = doc.marks.filter((m) => m.version >= after && m.version < end).sort((a, b) => a.version - b.version);
    const frame = {
      responseType: "DOC_HISTORY",
      payload: {
        doc: id,
        version: after,
        updates: log.map((u) => ({ clientID: u.clientID, changes: u.changes, at: u.at.expected })),
        marks: marks.map((m) => ({ version: m.version, kind: m.kind, at: m.at.expected })),
        hasMore,
      },
    };
    return {
      frames: new Map([[i, [frame]]]),
      commit: (got) => {
        const seen = got.get(i)![0]!.payload as { updates: { at: number }[]; marks: { at: number }[] };
        log.forEach((u, k) => u.at.learn(seen.updates[k]!.at));
        marks.forEach((m, k) => m.at.learn(seen.marks[k]!.at));
      },
    };
  }

  /**
   * Every document with a change, a run or a paste (one whose only marks are
   * shares is not listed), sorted by id: the room lists them in no particular order.
   */
  private activity(): Frame {
    const docs = [];
    for (const [id, doc] of [...this.docs].sort(([a], [b]) => (a < b ? -1 : 1))) {
      const runs = doc.marks.filter((m) => m.kind.startsWith("run-"));
      const pastes = doc.marks.filter((m) => m.kind === "paste").length;
      if (!doc.log.length && !runs.length && !pastes) continue;
      const times = doc.log.map((u) => u.at.value);
      const last = runs.at(-1);
      docs.push({
        doc: id,
        version: doc.log.length,
        changedAt: !doc.log.length ? null : times.every((t) => t !== null) ? Math.max(...(times as number[])) : anyNum(),
        lastRun: last ? { version: last.version, kind: last.kind, at: last.at.expected } : null,
        pastes,
      });
    }
    return { responseType: "DOC_ACTIVITY", payload: { docs } };
  }

  private learnActivity(frame: Frame): void {
    for (const entry of (frame.payload as { docs: { doc: string; changedAt: number | null; lastRun: { at: number } | null }[] }).docs) {
      const doc = this.docs.get(entry.doc);
      const last = doc?.marks.filter((m) => m.kind.startsWith("run-")).at(-1);
      if (last && entry.lastRun) last.at.learn(entry.lastRun.at);
      // The room's clock does not go back, so the latest change is the last one.
      if (doc?.log.length && entry.changedAt !== null) doc.log.at(-1)!.at.learn(entry.changedAt);
    }
  }
}

function only(i: number, frame: unknown): Outcome {
  return { frames: new Map([[i, [frame]]]) };
}

function add(out: Outcome, x: number, frame: unknown): void {
  out.frames.set(x, [...(out.frames.get(x) ?? []), frame]);
}

/** The time a push's paste marks carry is the push's own: one moment for all of them. */
function learnMarks(frames: Frame[], at: At): void {
  for (const f of frames) if (f.responseType === "DOC_MARK") at.learn((f.payload as { at: number }).at);
}
