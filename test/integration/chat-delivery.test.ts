/**
 * A property test of chat delivery: under random sends, disconnects and
 * reconnects by several clients, every client's received log of chat events
 * equals the room's stored log (nothing lost, nothing twice), and every
 * message a client wrote (online or offline, retried or not) is stored once.
 */
import { env, runInDurableObject } from "cloudflare:test";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { ServerMessage } from "../../protocol";
import { TestClient, createRoom } from "../helpers/client";
import { signUp, type Account } from "../helpers/users";

const EVENTS = new Set(["CHAT", "CHAT_UPDATE", "MUTED"]);
const settle = (ms = 25) => new Promise((r) => setTimeout(r, ms));

/** One simulated browser: an outbox kept across disconnects, the last seq seen, and the events received. */
class Peer {
  socket: TestClient | null = null;
  lastSeq: number | null = null;
  readonly received: number[] = [];
  readonly outbox = new Map<string, string>();
  readonly written = new Set<string>();

  constructor(
    readonly account: Account,
    readonly roomId: string,
  ) {}

  async connect(): Promise<void> {
    const socket = await TestClient.open(this.roomId, this.account);
    const payload = { roomId: this.roomId, role: "Student" as const, ...(this.lastSeq === null ? {} : { lastSeq: this.lastSeq }) };
    socket.send({ username: this.account.user.name, action: "JOIN", roomId: this.roomId, role: "Student", payload });
    const answer = await socket.next();
    if (answer.responseType !== "JOIN") throw new Error(`JOIN refused: ${JSON.stringify(answer)}`);
    this.lastSeq = Math.max(this.lastSeq ?? 0, answer.seq ?? 0);
    this.socket = socket;
    // What was written offline (or never confirmed) goes out again under the same ids.
    for (const [clientId, text] of this.outbox) this.sendChat(clientId, text);
  }

  write(text: string): void {
    const clientId = `m-${crypto.randomUUID()}`;
    this.outbox.set(clientId, text);
    this.written.add(clientId);
    if (this.socket) this.sendChat(clientId, text);
  }

  private sendChat(clientId: string, text: string): void {
    this.socket!.send({ username: this.account.user.name, action: "CHAT", roomId: this.roomId, role: null, payload: { clientId, text } });
  }

  /** Handles every frame that has arrived so far. */
  async process(): Promise<void> {
    if (!this.socket) return;
    for (const frame of await this.socket.drain(0)) this.handle(frame);
  }

  private handle(frame: ServerMessage): void {
    if ("seq" in frame && typeof frame.seq === "number") this.lastSeq = Math.max(this.lastSeq ?? 0, frame.seq);
    if (EVENTS.has(frame.responseType) && "seq" in frame) this.received.push(frame.seq!);
    if (frame.responseType === "CHAT") this.outbox.delete(frame.payload.message.clientId);
    if (frame.responseType === "ACK") this.outbox.delete(frame.payload.clientId);
  }

  /** The network drops: whatever was still in flight is lost to this client. */
  async disconnect(): Promise<void> {
    await this.process();
    this.socket?.close();
    this.socket = null;
  }
}

type Command = { kind: "write" | "drop" | "return"; who: number } | { kind: "wait" };

const command: fc.Arbitrary<Command> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant("write" as const), who: fc.nat(2) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("drop" as const), who: fc.nat(2) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("return" as const), who: fc.nat(2) }) },
  { weight: 1, arbitrary: fc.constant({ kind: "wait" as const }) },
);

async function run(commands: Command[]): Promise<void> {
  const { roomId } = await createRoom();
  const peers = await Promise.all(["Ada", "Linus", "Barbara"].map(async (n) => new Peer(await signUp(n), roomId)));
  for (const p of peers) await p.connect();
  const processAll = () => Promise.all(peers.map((p) => p.process()));
  await settle();
  await processAll();

  let n = 0;
  for (const c of commands) {
    if (c.kind === "wait") {
      await settle();
      await processAll();
      continue;
    }
    const peer = peers[c.who]!;
    if (c.kind === "write") peer.write(`message ${++n}`);
    else if (c.kind === "drop" && peer.socket) await peer.disconnect();
    else if (c.kind === "return" && !peer.socket) await peer.connect();
  }

  // Everyone comes back; unconfirmed messages are retried until stored
  // (a burst over the rate limit is refused and retried a second later).
  for (const p of peers) if (!p.socket) await p.connect();
  for (let round = 0; round < 5 && peers.some((p) => p.outbox.size > 0); round++) {
    await settle(100);
    await processAll();
    if (peers.every((p) => p.outbox.size === 0)) break;
    await settle(1100);
    for (const p of peers) {
      await p.disconnect();
      await p.connect();
    }
  }
  await settle(100);
  await processAll();

  const stored = await runInDurableObject(env.ROOM.getByName(roomId), (_r, state) => ({
    events: state.storage.sql.exec<{ seq: number }>("SELECT seq FROM events ORDER BY seq").toArray().map((r) => r.seq),
    clientIds: state.storage.sql.exec<{ client_id: string }>("SELECT client_id FROM chat").toArray().map((r) => r.client_id),
  }));
  for (const p of peers) {
    expect(p.outbox.size).toBe(0);
    expect(p.received).toEqual(stored.events); // every event, in order, once
  }
  const written = peers.flatMap((p) => [...p.written]).sort();
  expect([...stored.clientIds].sort()).toEqual(written); // each message stored exactly once
}

describe("chat delivery across disconnects", () => {
  it("gives every client exactly the stored log, and stores every written message once", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(command, { minLength: 1, maxLength: 24 }), run),
      { numRuns: 12, endOnFailure: true },
    );
  }, 240_000);
});
