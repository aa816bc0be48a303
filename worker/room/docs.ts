/**
 * Live documents: subscribe, push and pull (protocol/docs.ts). The room is
 * the one authority: a push applies only on top of the document's current
 * version, so every client that receives the changes in order converges.
 */
import { ChangeSet } from "@codemirror/state";
import { DOC_LIMITS, docOfStudent, type DocMark, type RequestOf } from "../../protocol";
import type { Caller, Outcome } from "./actions";
import { decideChange, decideDocAccess, decideMode } from "./docs-rules";
import type { DocStore } from "./docs-store";
import { TokenBucket } from "./rate-limit";
import { reject, type Participant } from "./rules";
import type { RoomSockets } from "./sockets";

export class RoomDocs {
  /** Characters each account has put into the editors (DOC_LIMITS.typedChars), in memory like the gate's buckets. */
  private readonly typed = new Map<string, TokenBucket>();

  constructor(
    private readonly sockets: RoomSockets,
    private readonly docs: DocStore,
  ) {}

  readonly subscribe = ({ ws, self }: Caller, { payload: p }: RequestOf<"DOC_SUBSCRIBE">): Outcome => {
    const docs = [...new Set(p.docs)];
    const mode = this.docs.mode();
    for (const doc of docs) {
      const refused = decideDocAccess(self, doc, false, mode);
      if (refused) return refused;
    }
    if (p.activity && self.role !== "Teacher") return reject("FORBIDDEN", "Only teachers see every editor's activity.");
    // Snapshots only of the documents new to this socket: the others it has, and receives live already.
    const had = new Set(this.sockets.attachment(ws).docs ?? []);
    const fresh = docs.filter((doc) => !had.has(doc));
    // Loaded first (then kept in memory), so one that fails to load leaves the set unchanged.
    for (const doc of fresh) this.docs.current(doc);
    const activity = p.activity ? this.docs.activity() : null;
    this.sockets.setDocs(ws, docs);
    if (activity) this.sockets.send(ws, { responseType: "DOC_ACTIVITY", payload: { docs: activity } });
    for (const doc of fresh) this.sendSnapshot(ws, doc);
  };

  readonly push = ({ ws, self, now }: Caller, { payload: p }: RequestOf<"DOC_PUSH">): Outcome => {
    const refused = decideDocAccess(self, p.doc, true, this.docs.mode());
    if (refused) return refused;
    const current = this.docs.current(p.doc);
    // Made on an older version: the client first needs what it missed, then
    // rebases its changes on them and pushes again (@codemirror/collab does).
    if (p.version !== current.version) return this.sendSince(ws, p.doc, p.version);
    let text = current.text;
    let inserted = 0;
    const updates = [];
    for (const u of p.updates) {
      let changes: ChangeSet;
      try {
        changes = ChangeSet.fromJSON(u.changes);
      } catch {
        return reject("INVALID_MESSAGE", "payload.updates: not a change set.");
      }
      if (changes.length !== text.length) {
        return reject("INVALID_MESSAGE", `payload.updates: a change for a document of ${changes.length} characters, but it has ${text.length}.`);
      }
      const after = changes.apply(text);
      const wrong = decideChange(changes, after);
      if (wrong) return wrong;
      text = after;
      changes.iterChanges((_fa, _ta, _fb, _tb, added) => (inserted += added.length));
      updates.push({ clientID: u.clientID, changes, ...(u.paste ? { paste: true as const } : {}) });
    }
    if (!this.typedBucket(self.userId, now).take(now, inserted)) {
      const { burst, perSecond } = DOC_LIMITS.typedChars;
      return reject("RATE_LIMITED", `Slow down: at most ${burst} characters into the editors at once, then ${perSecond} a second.`);
    }
    this.docs.append(p.doc, updates, text, now);
    if (p.doc !== "teacher") p.updates.forEach((u, i) => u.paste && this.tellStaff(p.doc, { version: p.version + i + 1, kind: "paste", at: now }));
    const frame = JSON.stringify({ responseType: "DOC_UPDATES", payload: { doc: p.doc, version: p.version, updates: p.updates } });
    for (const to of this.sockets.subscribers(p.doc)) this.sockets.sendRaw(to, frame);
    // The pusher confirms its changes from that frame; one not subscribed still hears they were stored.
    if (!this.sockets.attachment(ws).docs?.includes(p.doc)) this.sockets.sendRaw(ws, frame);
  };

  /** Relays a cursor to the others who have the document open: the editor's owner sees the teacher's, and the other way round. */
  readonly cursor = ({ ws, self }: Caller, { payload: p }: RequestOf<"DOC_CURSOR">): Outcome => {
    // Only someone who may type there has a cursor there (a follower's view of the teacher's editor is read-only).
    const refused = decideDocAccess(self, p.doc, true, this.docs.mode());
    if (refused) return refused;
    const frame = JSON.stringify({ responseType: "DOC_CURSOR", payload: { ...p, by: self.username, role: self.role } });
    for (const to of this.sockets.subscribers(p.doc)) if (to !== ws) this.sockets.sendRaw(to, frame);
  };

  /**
   * Takes the version of `who`'s own editor now (a run or a share starting)
   * and returns what marks it on the timeline once the outcome is known, so
   * typing during a run does not move its mark. Staff are told of a
   * student's marks; a teacher's are kept for playback of the teacher's
   * editor (the grid shows students, so no one needs telling).
   */
  readonly marker = (who: Participant): ((kind: DocMark["kind"], now: number) => void) => {
    const doc = who.role === "Teacher" ? "teacher" : docOfStudent(who.username);
    const version = this.docs.current(doc).version;
    return (kind, now) => {
      const mark = this.docs.mark(doc, version, kind, now);
      if (who.role !== "Teacher") this.tellStaff(doc, mark);
    };
  };

  readonly mode = ({ self }: Caller, { payload: p }: RequestOf<"DOC_MODE">): Outcome => {
    const refused = decideMode(self);
    if (refused) return refused;
    const mode = { ...this.docs.mode(), ...(p.locked === undefined ? {} : { locked: p.locked }), ...(p.follow === undefined ? {} : { follow: p.follow }) };
    this.docs.setMode(mode);
    // Follow mode over: students stop receiving the teacher's editor now, not only when they next subscribe.
    if (!mode.follow) {
      for (const ws of this.sockets.all()) {
        const { docs, participant } = this.sockets.attachment(ws);
        if (participant?.role !== "Teacher" && docs?.includes("teacher")) this.sockets.setDocs(ws, docs.filter((d) => d !== "teacher"));
      }
    }
    this.sockets.broadcast({ responseType: "DOC_MODE", payload: { ...mode, by: self.username } });
  };

  /** A page of the log for playback: the viewer replays it from an empty document. */
  readonly history = ({ ws, self }: Caller, { payload: p }: RequestOf<"DOC_HISTORY">): Outcome => {
    // Playback is reading: a student their own editor, staff any (a lock does not stop it).
    const refused = decideDocAccess(self, p.doc, false, { locked: false, follow: false });
    if (refused) return refused;
    const updates = this.docs.history(p.doc, p.after, p.limit, DOC_LIMITS.maxAnswerChars);
    // The marks within the states this page takes the document through (versions after..after+n), the last page's up to now.
    const hasMore = p.after + updates.length < this.docs.current(p.doc).version;
    const marks = this.docs.marks(p.doc, p.after, hasMore ? p.after + updates.length : Number.MAX_SAFE_INTEGER);
    this.sockets.send(ws, { responseType: "DOC_HISTORY", payload: { doc: p.doc, version: p.after, updates, marks, hasMore } });
  };

  /** Tells a joiner the modes while either is on (both off is what a client assumes). */
  readonly greet = (ws: WebSocket): void => {
    const mode = this.docs.mode();
    if (mode.locked || mode.follow) this.sockets.send(ws, { responseType: "DOC_MODE", payload: { ...mode, by: null } });
  };

  private typedBucket(userId: string, now: number): TokenBucket {
    let bucket = this.typed.get(userId);
    if (!bucket) this.typed.set(userId, (bucket = new TokenBucket(DOC_LIMITS.typedChars.burst, DOC_LIMITS.typedChars.perSecond, now)));
    return bucket;
  }

  private tellStaff(doc: string, mark: DocMark): void {
    this.sockets.broadcast({ responseType: "DOC_MARK", payload: { doc, ...mark } }, (p) => p.role === "Teacher");
  }

  readonly pull = ({ ws, self }: Caller, { payload: p }: RequestOf<"DOC_PULL">): Outcome => {
    const refused = decideDocAccess(self, p.doc, false, this.docs.mode());
    if (refused) return refused;
    this.sendSince(ws, p.doc, p.version);
  };

  /** The changes after `version`, or the whole document when that is further back than a pull goes (or ahead of it). */
  private sendSince(ws: WebSocket, doc: string, version: number): void {
    const current = this.docs.current(doc);
    if (version > current.version || current.version - version > DOC_LIMITS.maxPull) return this.sendSnapshot(ws, doc);
    const updates = this.docs.updatesSince(doc, version, DOC_LIMITS.maxPull, DOC_LIMITS.maxAnswerChars);
    // More than an answer carries (large pastes): the document whole is smaller than its changes.
    if (version + updates.length < current.version) return this.sendSnapshot(ws, doc);
    this.sockets.send(ws, { responseType: "DOC_UPDATES", payload: { doc, version, updates } });
  }

  private sendSnapshot(ws: WebSocket, doc: string): void {
    const { version, text } = this.docs.current(doc);
    this.sockets.send(ws, { responseType: "DOC_SNAPSHOT", payload: { doc, version, text: text.toString() } });
  }
}
