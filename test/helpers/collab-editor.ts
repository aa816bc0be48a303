/**
 * One editor as a browser runs it: a CodeMirror state with the collab
 * extension, speaking DOC_* to the room over a TestClient, reconnecting and
 * pulling from the last version it saw confirmed. Headless: no view.
 */
import { collab, getSyncedVersion, receiveUpdates, sendableUpdates } from "@codemirror/collab";
import { ChangeSet, EditorState } from "@codemirror/state";
import type { ServerMessage } from "../../protocol";
import { TestClient } from "./client";
import type { Account } from "./users";

type Updates = Extract<ServerMessage, { responseType: "DOC_UPDATES" }>["payload"];

export class CollabEditor {
  state: EditorState | null = null;
  socket: TestClient | null = null;
  /** Local edits made (each one transaction, so one change the room must store once). */
  edits = 0;

  constructor(
    readonly account: Account,
    readonly roomId: string,
    readonly doc: string,
    readonly role: "Student" | "Teacher",
    readonly token?: string,
  ) {}

  get online(): boolean {
    return this.socket !== null && this.socket.closed === null;
  }

  get text(): string {
    return this.state?.doc.toString() ?? "";
  }

  async connect(): Promise<void> {
    this.socket = await TestClient.joined(this.roomId, this.account, this.role, this.token);
    this.send("DOC_SUBSCRIBE", { docs: [this.doc] });
    const snapshot = await this.expect("DOC_SNAPSHOT");
    if (!this.state) {
      const { version, text } = snapshot.payload;
      this.state = EditorState.create({ doc: text, extensions: [collab({ startVersion: version, clientID: `${this.role}-${this.account.user.id}` })] });
    } else {
      // Back after a drop: what was missed, then what is still unconfirmed goes out again.
      this.send("DOC_PULL", { doc: this.doc, version: getSyncedVersion(this.state) });
    }
  }

  drop(): void {
    this.socket?.ws.close(1000, "drop");
    this.socket = null;
  }

  /** Types `insert` over `[from, to)` (positions folded into the document). */
  edit(at: number, remove: number, insert: string): void {
    const state = this.state!;
    const from = at % (state.doc.length + 1);
    const to = Math.min(state.doc.length, from + remove);
    if (from === to && !insert) return;
    this.state = state.update({ changes: { from, to, insert } }).state;
    this.edits += 1;
  }

  /** Sends what is unconfirmed, then takes in whatever has arrived. */
  async sync(wait = 40): Promise<void> {
    if (!this.online) return;
    const pending = sendableUpdates(this.state!);
    if (pending.length) {
      this.send("DOC_PUSH", {
        doc: this.doc,
        version: getSyncedVersion(this.state!),
        updates: pending.slice(0, 50).map((u) => ({ clientID: u.clientID, changes: u.changes.toJSON() })),
      });
    }
    for (const frame of await this.socket!.drain(wait)) this.take(frame);
  }

  settled(): boolean {
    return this.state !== null && sendableUpdates(this.state).length === 0;
  }

  private take(frame: ServerMessage): void {
    if (frame.responseType !== "DOC_UPDATES" || frame.payload.doc !== this.doc) return;
    this.apply(frame.payload);
  }

  private apply({ version, updates }: Updates): void {
    const synced = getSyncedVersion(this.state!);
    if (version > synced) {
      // A gap (a frame lost with a dropped socket): ask for it.
      this.send("DOC_PULL", { doc: this.doc, version: synced });
      return;
    }
    const fresh = updates.slice(synced - version).map((u) => ({ clientID: u.clientID, changes: ChangeSet.fromJSON(u.changes) }));
    if (fresh.length) this.state = receiveUpdates(this.state!, fresh).state;
  }

  private send(action: string, payload: object): void {
    this.socket!.send(JSON.stringify({ username: this.account.user.name, action, roomId: this.roomId, payload }));
  }

  private async expect<T extends ServerMessage["responseType"]>(type: T): Promise<Extract<ServerMessage, { responseType: T }>> {
    for (;;) {
      const frame = await this.socket!.next();
      if (frame.responseType === type) return frame as Extract<ServerMessage, { responseType: T }>;
    }
  }
}
