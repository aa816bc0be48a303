/**
 * The live documents of one room session: which ones this browser receives
 * (the union of the editors and tiles on screen: the room sends a client
 * only what it subscribed to), the frames routed to them, the staff's modes
 * (lock, follow), and what the teacher's grid knows of every editor
 * (last change, last run, pastes). Editors come and go; the model sends one
 * DOC_SUBSCRIBE for the set, again after each reconnect.
 */
import { createSignal, type Accessor } from "solid-js";
import { createStore, type SetStoreFunction } from "solid-js/store";
import { DOC_LIMITS, type ClientMessageInput, type DocMark, type ServerMessage } from "../../../../protocol";
import { DocSync, type DocSyncOptions } from "./doc-sync";
import { ROOM_TEXT } from "../strings";

export interface Mode {
  locked: boolean;
  follow: boolean;
  /** Who changed it last (null: it was already on when we joined). */
  by: string | null;
}

/** What the grid knows of one editor. */
export interface Activity {
  version: number;
  changedAt: number | null;
  lastRun: DocMark | null;
  pastes: number;
}

export interface History {
  /** Every stored change, oldest first, with its time. */
  updates: { clientID: string; changes: unknown; at: number }[];
  marks: DocMark[];
}

type Send = (message: Omit<ClientMessageInput, "username" | "roomId" | "role">) => boolean;

/** A request refused as too fast goes again after this long (the views bucket refills 4 a second). */
const RETRY_MS = 600;
/** Playback loads at most this many pages (500 changes each) of one document. */
const MAX_HISTORY_PAGES = 40;

export class DocsModel {
  private readonly syncs = new Map<string, Set<DocSync>>();
  private subscribed = "";
  private queued = false;
  private grids = 0;
  readonly mode: Accessor<Mode>;
  private readonly setMode: (m: Mode) => void;
  readonly activity: Record<string, Activity>;
  /** Staff with a cursor in each document now (they opened it), so a student can be told who is in their editor. */
  readonly visitors: Record<string, string[]>;
  private readonly setVisitors: SetStoreFunction<Record<string, string[]>>;
  /** Why the room refused this browser's latest change (not a lock, not a rate limit); "" once changes are stored again. */
  readonly refusal: Accessor<string>;
  private readonly setRefusal: (why: string) => void;
  private readonly setActivity: SetStoreFunction<Record<string, Activity>>;
  private history: { doc: string; pages: History; resolve: (h: History) => void; reject: (e: Error) => void; pagesLeft: number } | null = null;

  constructor(private readonly send: Send) {
    const [mode, setMode] = createSignal<Mode>({ locked: false, follow: false, by: null });
    this.mode = mode;
    this.setMode = setMode;
    [this.activity, this.setActivity] = createStore<Record<string, Activity>>({});
    [this.refusal, this.setRefusal] = createSignal("");
    [this.visitors, this.setVisitors] = createStore<Record<string, string[]>>({});
  }

  /** Opens `doc` for an editor or a tile; `close` it when that goes away. */
  open(opts: Omit<DocSyncOptions, "send">): DocSync {
    const sync = new DocSync({
      ...opts,
      send: (action, payload) => this.send({ action, payload } as Omit<ClientMessageInput, "username" | "roomId" | "role">),
    });
    const siblings = this.syncs.get(opts.doc);
    const twin = siblings && [...siblings].find((s) => s.state && s.pending.length === 0);
    if (siblings) siblings.add(sync);
    else this.syncs.set(opts.doc, new Set([sync]));
    // Already received here (a tile open, the editor opening): start from it rather than asking the room again.
    if (twin) sync.snapshot({ doc: opts.doc, version: twin.version, text: twin.text });
    // Subscribed already, so no snapshot is coming: the log from the start (or a snapshot, if long) instead.
    else if (this.subscribed.split("\n").includes(opts.doc)) this.send({ action: "DOC_PULL", payload: { doc: opts.doc, version: 0 } });
    this.resubscribe();
    return sync;
  }

  close(sync: DocSync): void {
    sync.detach();
    const set = this.syncs.get(sync.doc);
    set?.delete(sync);
    if (set?.size === 0) this.syncs.delete(sync.doc);
    this.resubscribe();
  }

  /** Sends every editor's unconfirmed changes at once (the page is going away); true if any were left. */
  flushAll(): boolean {
    let left = false;
    for (const set of this.syncs.values()) {
      for (const s of set) {
        s.flushNow();
        left ||= s.pending.length > 0;
      }
    }
    return left;
  }

  /** The grid is on screen: the subscription asks for every editor's activity too. */
  watchActivity(on: boolean): void {
    this.grids += on ? 1 : -1;
    if (on) this.resubscribe(true);
  }

  /** Staff: lock or unlock the students' editors, start or stop follow mode. */
  changeMode(change: { locked?: boolean; follow?: boolean }): boolean {
    return this.send({ action: "DOC_MODE", payload: change });
  }

  /** The whole log of `doc` for playback (one request at a time). */
  loadHistory(doc: string): Promise<History> {
    if (this.history) return Promise.reject(new Error(ROOM_TEXT.playbackBusy));
    return new Promise((resolve, reject) => {
      this.history = { doc, pages: { updates: [], marks: [] }, resolve, reject, pagesLeft: MAX_HISTORY_PAGES };
      if (!this.send({ action: "DOC_HISTORY", payload: { doc, after: 0 } })) this.failHistory(ROOM_TEXT.playbackNotConnected);
    });
  }

  /** After every JOIN: the new connection has no subscriptions, and pushes in flight were lost with the old one. */
  joined(): void {
    for (const set of this.syncs.values()) for (const s of set) s.rejoined();
    this.subscribed = "";
    this.resubscribe();
    if (this.history) this.failHistory(ROOM_TEXT.playbackDropped);
  }

  /** A DOC_* request was refused. Too fast: the same again in a moment (the editors keep their changes meanwhile). */
  refused(error: { action?: string | undefined; code: string; error_message: string }): void {
    const later = error.code === "RATE_LIMITED";
    if (error.action === "DOC_PUSH") {
      for (const set of this.syncs.values()) for (const s of set) s.refused(error.code);
      // Too long a document is the refusal a person can act on: say so, with the limit, rather than "could not be sent".
      const tooLong = error.code === "INVALID_MESSAGE" && [...this.syncs.values()].some((set) => [...set].some((s) => s.text.length > DOC_LIMITS.maxDocChars));
      if (!later && error.code !== "LOCKED") this.setRefusal(tooLong ? ROOM_TEXT.docTooLong(DOC_LIMITS.maxDocChars) : error.error_message);
    }
    if (error.action === "DOC_SUBSCRIBE" && later) {
      this.subscribed = "";
      setTimeout(() => this.resubscribe(), RETRY_MS);
    }
    if (error.action === "DOC_HISTORY") {
      const h = this.history;
      if (later && h) setTimeout(() => this.history === h && this.send({ action: "DOC_HISTORY", payload: { doc: h.doc, after: h.pages.updates.length } }), RETRY_MS);
      else this.failHistory(error.error_message);
    }
  }

  handle(message: ServerMessage): void {
    switch (message.responseType) {
      case "DOC_SNAPSHOT":
        for (const s of this.syncs.get(message.payload.doc) ?? []) s.snapshot(message.payload);
        return;
      case "DOC_UPDATES": {
        const { doc, version, updates } = message.payload;
        for (const s of this.syncs.get(doc) ?? []) s.updates(message.payload);
        this.touch(doc, version + updates.length, Date.now());
        if (this.refusal() && [...this.syncs.values()].every((set) => [...set].every((s) => s.pending.length === 0))) this.setRefusal("");
        return;
      }
      case "DOC_CURSOR": {
        const { doc, by, role, selection } = message.payload;
        for (const s of this.syncs.get(doc) ?? []) s.showCursor(message.payload);
        const others = (this.visitors[doc] ?? []).filter((name) => name !== by);
        if (role === "Teacher") this.setVisitors(doc, selection ? [...others, by] : others);
        return;
      }
      case "LEAVE": {
        // Their cursor goes with them.
        const gone = message.payload.username;
        if (!gone) return;
        for (const set of this.syncs.values()) for (const s of set) s.showCursor({ by: gone });
        for (const [doc, names] of Object.entries(this.visitors)) if (names.includes(gone)) this.setVisitors(doc, names.filter((n) => n !== gone));
        return;
      }
      case "DOC_MODE":
        this.setMode(message.payload);
        // Changes held back by a lock go out once it is lifted.
        if (!message.payload.locked) for (const set of this.syncs.values()) for (const s of set) s.release();
        return;
      case "DOC_ACTIVITY":
        for (const a of message.payload.docs) this.setActivity(a.doc, { version: a.version, changedAt: a.changedAt, lastRun: a.lastRun, pastes: a.pastes });
        return;
      case "DOC_MARK": {
        const { doc, ...mark } = message.payload;
        const known = this.activity[doc];
        this.setActivity(doc, {
          version: Math.max(known?.version ?? 0, mark.version),
          changedAt: known?.changedAt ?? null,
          lastRun: mark.kind === "run-ok" || mark.kind === "run-error" ? mark : (known?.lastRun ?? null),
          pastes: (known?.pastes ?? 0) + (mark.kind === "paste" ? 1 : 0),
        });
        return;
      }
      case "DOC_HISTORY":
        return this.historyPage(message.payload);
    }
  }

  private touch(doc: string, version: number, at: number): void {
    const known = this.activity[doc];
    if (known && known.version >= version) return;
    this.setActivity(doc, { version, changedAt: at, lastRun: known?.lastRun ?? null, pastes: known?.pastes ?? 0 });
  }

  private historyPage(page: Extract<ServerMessage, { responseType: "DOC_HISTORY" }>["payload"]): void {
    const h = this.history;
    if (!h || page.doc !== h.doc) return;
    h.pages.updates.push(...page.updates);
    h.pages.marks.push(...page.marks);
    h.pagesLeft -= 1;
    if (page.hasMore && h.pagesLeft > 0) {
      if (!this.send({ action: "DOC_HISTORY", payload: { doc: h.doc, after: page.version + page.updates.length } })) this.failHistory(ROOM_TEXT.playbackNotConnected);
      return;
    }
    this.history = null;
    h.resolve(h.pages);
  }

  private failHistory(why: string): void {
    const h = this.history;
    this.history = null;
    h?.reject(new Error(why));
  }

  /** Sends the set of documents on screen, once per tick of changes; the room answers with a snapshot of each. */
  private resubscribe(force = false): void {
    if (this.queued) return;
    this.queued = true;
    queueMicrotask(() => {
      this.queued = false;
      const docs = [...this.syncs.keys()].slice(0, DOC_LIMITS.maxSubscriptions);
      const key = docs.join("\n");
      if (key === this.subscribed && !force) return;
      const activity = this.grids > 0 ? { activity: true as const } : {};
      if (this.send({ action: "DOC_SUBSCRIBE", payload: { docs, ...activity } })) this.subscribed = key;
    });
  }
}
