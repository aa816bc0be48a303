/**
 * Live documents in the room's SQLite (schema v7 to v9, storage.ts): each change
 * numbered per document, and a snapshot every DOC_LIMITS.snapshotEvery
 * versions. The current text of each document in use is kept in memory; after
 * an eviction it is the latest snapshot plus the changes since.
 */
import { ChangeSet, Text } from "@codemirror/state";
import { DOC_LIMITS, MARK_KINDS, type DocMark, type DocMode } from "../../protocol";

export interface DocState {
  version: number;
  text: Text;
}

export interface Activity {
  doc: string;
  version: number;
  changedAt: number | null;
  lastRun: DocMark | null;
  pastes: number;
}

export interface StoredUpdate {
  clientID: string;
  /** ChangeSet.toJSON(), as sent. */
  changes: unknown;
}

const EMPTY = Text.of([""]);

export class DocStore {
  private readonly open = new Map<string, DocState>();
  private modes: DocMode | null = null;
  /** activity(), once read. */
  private heads: Map<string, Activity> | null = null;

  constructor(
    private readonly sql: SqlStorage,
    private readonly transaction: <T>(fn: () => T) => T,
  ) {}

  current(doc: string): DocState {
    let state = this.open.get(doc);
    if (!state) this.open.set(doc, (state = this.load(doc)));
    return state;
  }

  /** Read on every push: kept in memory after the first read, written through. */
  mode(): DocMode {
    if (!this.modes) {
      const row = this.sql.exec<{ locked: number; follow: number }>("SELECT locked, follow FROM doc_mode").toArray()[0];
      this.modes = { locked: row?.locked === 1, follow: row?.follow === 1 };
    }
    return this.modes;
  }

  setMode(mode: DocMode): void {
    this.sql.exec(
      "INSERT INTO doc_mode (id, locked, follow) VALUES (1, ?, ?) ON CONFLICT (id) DO UPDATE SET locked = excluded.locked, follow = excluded.follow",
      mode.locked ? 1 : 0,
      mode.follow ? 1 : 0,
    );
    this.modes = mode;
  }

  /** Changes `version`, `version + 1`, … (at most `limit`, and about `maxChars` characters: always at least one). */
  updatesSince(doc: string, version: number, limit: number, maxChars: number): StoredUpdate[] {
    return this.history(doc, version, limit, maxChars).map(({ clientID, changes }) => ({ clientID, changes }));
  }

  /** Changes from `version` on with the time each was stored, for playback; bounded as `updatesSince`. */
  history(doc: string, version: number, limit: number, maxChars: number): (StoredUpdate & { at: number })[] {
    const page: (StoredUpdate & { at: number })[] = [];
    let chars = 0;
    const rows = this.sql.exec<{ client_id: string; changes: string; at: number }>(
      "SELECT client_id, changes, at FROM doc_updates WHERE doc = ? AND version >= ? ORDER BY version LIMIT ?",
      doc,
      version,
      limit,
    );
    for (const r of rows) {
      chars += r.changes.length;
      if (page.length > 0 && chars > maxChars) break;
      page.push({ clientID: r.client_id, changes: JSON.parse(r.changes), at: r.at });
    }
    return page;
  }

  /** The version `doc` had at Unix ms `at`: how many changes were stored by then (their times only grow). */
  versionAt(doc: string, at: number): number {
    return this.sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM doc_updates WHERE doc = ? AND at <= ?", doc, at).toArray()[0]?.n ?? 0;
  }

  /** The text of `doc` at `version`, replayed from the snapshot when it is not past that version, else from the start. */
  textAt(doc: string, version: number): string {
    const snap = this.sql
      .exec<{ snapshot_version: number; snapshot: string }>("SELECT snapshot_version, snapshot FROM docs WHERE id = ? AND snapshot_version <= ?", doc, version)
      .toArray()[0];
    let text = snap ? Text.of(snap.snapshot.split("\n")) : EMPTY;
    const rows = this.sql.exec<{ changes: string }>(
      "SELECT changes FROM doc_updates WHERE doc = ? AND version >= ? AND version < ? ORDER BY version",
      doc,
      snap?.snapshot_version ?? 0,
      version,
    );
    for (const row of rows) text = ChangeSet.fromJSON(JSON.parse(row.changes)).apply(text);
    return text.toString();
  }

  /** Marks a version of `doc` (a run, a share) and returns the mark. */
  mark(doc: string, version: number, kind: DocMark["kind"], now: number): DocMark {
    const mark = { version, kind, at: now };
    this.sql.exec("INSERT INTO doc_marks (doc, version, kind, at) VALUES (?, ?, ?, ?)", doc, mark.version, kind, now);
    this.noteMark(doc, mark);
    return mark;
  }

  /** The marks at versions `from` ≤ v < `to`, in order. */
  marks(doc: string, from: number, to: number): DocMark[] {
    return this.sql
      .exec<DocMark>("SELECT version, kind, at FROM doc_marks WHERE doc = ? AND version >= ? AND version < ? ORDER BY version, rowid", doc, from, to)
      .toArray()
      .filter((m) => (MARK_KINDS as readonly string[]).includes(m.kind));
  }

  /**
   * Every document's version, last change, last run and paste count: what
   * the teacher's grid sorts by. Read from SQLite once after a wake (a scan
   * of the log), then kept up to date in memory: staff ask on every grid
   * opening, and a scan of a long log each time held the room's thread.
   */
  activity(): Activity[] {
    if (!this.heads) this.heads = this.loadActivity();
    return [...this.heads.values()].map((a) => ({ ...a }));
  }

  private head(doc: string): Activity | null {
    if (!this.heads) return null;
    let e = this.heads.get(doc);
    if (!e) this.heads.set(doc, (e = { doc, version: 0, changedAt: null, lastRun: null, pastes: 0 }));
    return e;
  }

  private noteMark(doc: string, mark: DocMark): void {
    // A share alone does not put a document in the summary (it has nothing the grid sorts by).
    if (mark.kind === "share") return;
    const e = this.head(doc);
    if (!e) return;
    if (mark.kind === "run-ok" || mark.kind === "run-error") e.lastRun = mark;
    if (mark.kind === "paste") e.pastes += 1;
  }

  private loadActivity(): Map<string, Activity> {
    const docs = new Map<string, Activity>();
    const entry = (doc: string) => {
      let e = docs.get(doc);
      if (!e) docs.set(doc, (e = { doc, version: 0, changedAt: null, lastRun: null, pastes: 0 }));
      return e;
    };
    for (const r of this.sql.exec<{ doc: string; version: number; at: number }>("SELECT doc, MAX(version) + 1 AS version, MAX(at) AS at FROM doc_updates GROUP BY doc")) {
      Object.assign(entry(r.doc), { version: r.version, changedAt: r.at });
    }
    // The newest run of each document (rowid breaks ties within a version).
    for (const r of this.sql.exec<DocMark & { doc: string }>(
      `SELECT doc, version, kind, at FROM doc_marks m WHERE kind IN ('run-ok', 'run-error')
         AND rowid = (SELECT MAX(rowid) FROM doc_marks WHERE doc = m.doc AND kind IN ('run-ok', 'run-error'))`,
    )) {
      entry(r.doc).lastRun = { version: r.version, kind: r.kind, at: r.at };
    }
    for (const r of this.sql.exec<{ doc: string; n: number }>("SELECT doc, COUNT(*) AS n FROM doc_marks WHERE kind = 'paste' GROUP BY doc")) entry(r.doc).pastes = r.n;
    return docs;
  }

  /** Stores changes that apply on top of the current version (checked by the caller), in one write. */
  append(doc: string, updates: { clientID: string; changes: ChangeSet; paste?: true }[], text: Text, now: number): void {
    const before = this.current(doc);
    this.transaction(() => {
      updates.forEach((u, i) => {
        this.sql.exec(
          "INSERT INTO doc_updates (doc, version, client_id, changes, at) VALUES (?, ?, ?, ?, ?)",
          doc,
          before.version + i,
          u.clientID,
          JSON.stringify(u.changes.toJSON()),
          now,
        );
        if (u.paste) this.sql.exec("INSERT INTO doc_marks (doc, version, kind, at) VALUES (?, ?, 'paste', ?)", doc, before.version + i + 1, now);
      });
      const version = before.version + updates.length;
      if (Math.floor(version / DOC_LIMITS.snapshotEvery) > Math.floor(before.version / DOC_LIMITS.snapshotEvery)) {
        this.sql.exec(
          `INSERT INTO docs (id, snapshot_version, snapshot) VALUES (?, ?, ?)
           ON CONFLICT (id) DO UPDATE SET snapshot_version = excluded.snapshot_version, snapshot = excluded.snapshot`,
          doc,
          version,
          text.toString(),
        );
      }
    });
    this.open.set(doc, { version: before.version + updates.length, text });
    const head = this.head(doc);
    if (head) Object.assign(head, { version: before.version + updates.length, changedAt: now });
    updates.forEach((u, i) => u.paste && this.noteMark(doc, { version: before.version + i + 1, kind: "paste", at: now }));
  }

  private load(doc: string): DocState {
    const snap = this.sql.exec<{ snapshot_version: number; snapshot: string }>("SELECT snapshot_version, snapshot FROM docs WHERE id = ?", doc).toArray()[0];
    let text = snap ? Text.of(snap.snapshot.split("\n")) : EMPTY;
    let version = snap?.snapshot_version ?? 0;
    const rows = this.sql.exec<{ changes: string }>("SELECT changes FROM doc_updates WHERE doc = ? AND version >= ? ORDER BY version", doc, version).toArray();
    for (const row of rows) {
      text = ChangeSet.fromJSON(JSON.parse(row.changes)).apply(text);
      version += 1;
    }
    return { version, text };
  }
}
