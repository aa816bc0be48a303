/**
 * One live document on this side of the wire: a CodeMirror state kept in
 * step with the room's copy by @codemirror/collab (protocol/docs.ts). The
 * room is the one authority: local changes go out on top of the version we
 * have, and come back numbered in DOC_UPDATES, ours and everyone else's in
 * the room's order. No Solid and no socket here: the owner passes `send`,
 * and an editor view (or nothing: a tile, a test) shows the state.
 */
import { collab, getSyncedVersion, receiveUpdates, sendableUpdates, type Update } from "@codemirror/collab";
import { ChangeSet, EditorState, StateEffect, type Extension, type Transaction, type TransactionSpec } from "@codemirror/state";
import type { EditorView } from "@codemirror/view";
import { DOC_LIMITS, type ServerMessage } from "../../../../protocol";
import { remoteCursorsOf, setRemoteCursor } from "./remote-cursors";

type Payload<T extends ServerMessage["responseType"]> = Extract<ServerMessage, { responseType: T }>["payload"];
export type Snapshot = Payload<"DOC_SNAPSHOT">;
export type Updates = Payload<"DOC_UPDATES">;
export type Cursor = Payload<"DOC_CURSOR">;
export type Send = (action: "DOC_PUSH" | "DOC_PULL" | "DOC_CURSOR", payload: object) => boolean;

/**
 * Pushes go out at most this often: keystrokes in between ride in one
 * frame, which keeps a fast typist under the room's typing limit (30 frames
 * a second) and costs a 50 ms delay no one sees.
 */
export const PUSH_EVERY_MS = 50;
/** A push with no answer in this long (its socket dropped) may go again; the room refuses a stale one without harm. */
const PUSH_TIMEOUT_MS = 5_000;
/** After the room refused a push as too fast, wait this long before trying again. */
const RETRY_MS = 1_000;
/** A paste of at least this many characters is marked on the timeline (the grid and playback show it). */
export const LARGE_PASTE_CHARS = 80;

const pasted = StateEffect.define<null>();

function insertedChars(tr: Transaction): number {
  let n = 0;
  tr.changes.iterChanges((_fa, _ta, _fb, _tb, text) => (n += text.length));
  return n;
}

export interface DocSyncOptions {
  /** The room sends what it knows of this document: `student:<name>` or `teacher`. */
  doc: string;
  send: Send;
  /** The editor's own extensions (as they are now), for each time a snapshot starts the state over. */
  extensions?: () => Extension[];
  /** Text to start a document the room holds empty at version 0 (a new editor): a saved draft, or starter code. */
  seed?: () => string;
  /** After every change of the text, local or remote. */
  onChange?: (sync: DocSync) => void;
}

export class DocSync {
  /** Unique per editor: collab tells our own confirmed changes from others' by it. */
  readonly clientID = `c${Math.random().toString(36).slice(2, 10)}${Date.now().toString(36)}`;
  private own: EditorState | null = null;
  private view: EditorView | null = null;
  private inFlight = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private lastPush = 0;
  /** A refused push waits: for the retry timer, the next local change, or `release()` (an unlock). */
  private held = false;
  private seeded = false;
  /** Our seed push is out; the editor opens with its answer. */
  private seeding = false;
  private sentCursor = "";
  /**
   * When our cursor goes to the others: `always` (staff in a student's
   * editor), `watched` (only once someone else's cursor is here: a student
   * needs to show theirs only while staff have the editor open), or never.
   */
  cursors: "always" | "watched" | "never" = "never";

  constructor(private readonly opts: DocSyncOptions) {}

  get doc(): string {
    return this.opts.doc;
  }

  /** The state now, or null before the first snapshot (an attached view shows a placeholder until then). */
  get state(): EditorState | null {
    if (!this.own) return null;
    return this.view?.state ?? this.own;
  }

  get text(): string {
    return this.state?.doc.toString() ?? "";
  }

  get version(): number {
    return this.state ? getSyncedVersion(this.state) : 0;
  }

  /** Local changes the room has not confirmed yet. */
  get pending(): readonly Update[] {
    return this.state ? sendableUpdates(this.state) : [];
  }

  /** Shows the document in `view` (its state replaced by ours, with the view's extensions). */
  attach(view: EditorView): void {
    this.view = view;
    if (this.own) view.setState(this.own);
  }

  detach(): void {
    if (this.view && this.own) {
      this.own = this.view.state;
      if (this.sentCursor) this.opts.send("DOC_CURSOR", { doc: this.doc, version: this.version, selection: null });
    }
    this.view = null;
    clearTimeout(this.timer);
  }

  /** Makes a change here (a tile or a test; an editor view makes its own). */
  edit(spec: TransactionSpec): void {
    const state = this.state;
    if (!state) return;
    this.apply(state.update(spec));
    this.changed();
  }

  /** Sends what is unconfirmed now, not at the next interval: a RUN or SHARE that follows is marked at this version. */
  flushNow(): void {
    if (this.held) return;
    clearTimeout(this.timer);
    this.timer = undefined;
    this.flush();
  }

  /** The editor made a change (or moved the cursor): send it soon. */
  changed(): void {
    // Held for a reason a change may fix (not waiting out a rate limit): try again with it.
    if (this.held && this.timer === undefined) this.held = false;
    this.schedule();
  }

  snapshot({ version, text }: Snapshot): void {
    const state = this.state;
    if (state) {
      const synced = getSyncedVersion(state);
      if (version <= synced) return this.schedule();
      // Behind (after a reconnect): pull the changes when ours wait to be rebased on them; otherwise start over here.
      if (sendableUpdates(state).length) {
        this.opts.send("DOC_PULL", { doc: this.doc, version: synced });
        return;
      }
    }
    if (!state && version === 0 && text === "" && this.opts.seed && !this.seeded) {
      this.seeded = true;
      // Not through collab: if another tab seeds first, ours is refused as stale and theirs arrives instead of both.
      // The editor opens with the answer (DOC_UPDATES from version 0), so nothing is typed above a seed still coming.
      const seed = this.opts.seed();
      const changes = ChangeSet.of({ from: 0, insert: seed }, 0).toJSON();
      this.seeding = Boolean(seed) && this.opts.send("DOC_PUSH", { doc: this.doc, version: 0, updates: [{ clientID: `seed-${this.clientID}`, changes }] });
      if (this.seeding) return;
    }
    this.reset(text, version);
  }

  updates({ version, updates }: Updates): void {
    // Every document starts empty at version 0, so changes from there need no snapshot.
    if (!this.state && version === 0) this.reset("", 0);
    this.seeding = false;
    const state = this.state;
    if (!state) return;
    this.inFlight = 0;
    const synced = getSyncedVersion(state);
    // A gap: frames lost with a dropped socket, or a push answered while we were away. Ask for what we missed.
    if (version > synced) {
      this.opts.send("DOC_PULL", { doc: this.doc, version: synced });
      return;
    }
    const fresh = updates.slice(synced - version).map((u) => ({ clientID: u.clientID, changes: ChangeSet.fromJSON(u.changes) }));
    if (fresh.length) {
      this.apply(receiveUpdates(state, fresh));
      this.opts.onChange?.(this);
    }
    this.schedule();
  }

  /**
   * The room refused a push. The changes stay here: sent again in a moment
   * if it was too fast, after an unlock if locked, and otherwise (too long a
   * document) with the next change, which may fix it.
   */
  refused(code: string): void {
    if (this.seeding) {
      // A seed the room would not take (a draft over the size limit): open the empty document instead.
      this.seeding = false;
      if (!this.own) this.reset("", 0);
      return;
    }
    if (!this.inFlight) return;
    this.inFlight = 0;
    this.held = true;
    clearTimeout(this.timer);
    this.timer = code === "RATE_LIMITED" ? setTimeout(() => this.release(), RETRY_MS) : undefined;
  }

  /** Lets held changes go again (the editors were unlocked). */
  release(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.held = false;
    this.schedule();
  }

  /** After a reconnect, the room's subscription answer comes as a snapshot; pushes may go again. */
  rejoined(): void {
    this.inFlight = 0;
    this.sentCursor = "";
    // What was typed while the connection was down goes now (a push needs no subscription).
    this.schedule();
  }

  /** Shows someone's cursor (or removes it: a null selection, or they left). */
  showCursor(c: Pick<Cursor, "by"> & Partial<Cursor>): void {
    if (!this.view) return;
    const at = c.version === undefined ? null : this.mapCursor(c as Cursor);
    const isNew = at && !remoteCursorsOf(this.view.state).some((r) => r.by === c.by);
    this.view.dispatch({ effects: setRemoteCursor.of(at && c.role ? { by: c.by, role: c.role, ...at } : { by: c.by }) });
    // Someone new is watching: they see where we are without waiting for us to move (once, or two editors would echo forever).
    if (isNew) this.sentCursor = "";
    this.schedule();
  }

  /** Positions in someone's cursor at `version` brought into our text (through our unconfirmed changes), clamped. */
  private mapCursor(c: Cursor): { anchor: number; head: number } | null {
    const state = this.state;
    if (!state || !c.selection) return null;
    let { anchor, head } = c.selection;
    if (c.version === getSyncedVersion(state)) {
      for (const u of sendableUpdates(state)) {
        anchor = u.changes.mapPos(Math.min(anchor, u.changes.length));
        head = u.changes.mapPos(Math.min(head, u.changes.length));
      }
    }
    const max = state.doc.length;
    return { anchor: Math.min(anchor, max), head: Math.min(head, max) };
  }

  private sendsCursor(state: EditorState): boolean {
    return this.cursors === "always" || (this.cursors === "watched" && remoteCursorsOf(state).length > 0);
  }

  private reset(text: string, version: number): void {
    const state = EditorState.create({ doc: text, extensions: [...(this.opts.extensions?.() ?? []), this.collab(version)] });
    // `own` is the state while no view shows it; with a view, the view's is current and `own` only marks that one exists.
    this.own = state;
    this.view?.setState(state);
    this.opts.onChange?.(this);
  }

  private collab(startVersion: number): Extension {
    return collab({
      startVersion,
      clientID: this.clientID,
      sharedEffects: (tr) => (tr.isUserEvent("input.paste") && insertedChars(tr) >= LARGE_PASTE_CHARS ? [pasted.of(null)] : []),
    });
  }

  private apply(tr: Transaction): void {
    if (this.view) this.view.dispatch(tr);
    else this.own = tr.state;
  }

  private schedule(): void {
    if (this.timer !== undefined || this.held) return;
    const wait = Math.max(0, this.lastPush + PUSH_EVERY_MS - Date.now());
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.flush();
    }, wait);
  }

  private flush(): void {
    const state = this.state;
    if (!state) return;
    const pending = sendableUpdates(state);
    const now = Date.now();
    if (pending.length && (!this.inFlight || now - this.inFlight > PUSH_TIMEOUT_MS)) {
      const updates = pending.slice(0, DOC_LIMITS.maxUpdatesPerPush).map((u) => ({
        clientID: u.clientID,
        changes: u.changes.toJSON(),
        ...(u.effects?.some((e) => e.is(pasted)) ? { paste: true } : {}),
      }));
      if (this.opts.send("DOC_PUSH", { doc: this.doc, version: getSyncedVersion(state), updates })) {
        this.inFlight = now;
        this.lastPush = now;
      }
      return;
    }
    if (pending.length || !this.view || !this.sendsCursor(state)) return;
    // The cursor goes with nothing unconfirmed, so its positions are in the version it names.
    const { anchor, head } = state.selection.main;
    const key = `${getSyncedVersion(state)}:${anchor}:${head}`;
    if (key === this.sentCursor) return;
    if (this.opts.send("DOC_CURSOR", { doc: this.doc, version: getSyncedVersion(state), selection: { anchor, head } })) {
      this.sentCursor = key;
      this.lastPush = now;
    }
  }
}
