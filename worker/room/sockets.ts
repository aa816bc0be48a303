/**
 * The room's sockets: who is on each and sending to them. No rules and no
 * storage here.
 *
 * Identity lives in each socket's attachment, so it survives hibernation
 * (https://developers.cloudflare.com/durable-objects/best-practices/websockets/),
 * but reading an attachment deserialises it: done for every recipient of
 * every broadcast, that was the room's largest cost per recipient. So the
 * attachments are read once into memory, after a wake, and written through
 * on every change; the joined ones form the roster.
 */
import type { ErrorCode, ErrorContext, ServerMessage } from "../../protocol";
import { Roster } from "./roster";
import type { Participant, VerifiedIdentity } from "./rules";

/** Kept in each socket's attachment (≤ 16 KiB, survives hibernation). */
export interface Attachment {
  roomId: string;
  verified: VerifiedIdentity;
  participant: Participant | null;
  /** When the socket was accepted (Unix ms): which of an account's sockets is oldest. */
  openedAt: number;
  /** The live documents this socket receives (DOC_SUBSCRIBE). */
  docs?: string[];
  /** This connection's id in live video signalling (LIVE_SIGNAL): the room's, never the client's. */
  peer?: string;
}

export interface Present {
  ws: WebSocket;
  participant: Participant;
}

export class RoomSockets {
  /** Every accepted socket's attachment; null until first needed after a (re)start. */
  private cache: Map<WebSocket, Attachment> | null = null;
  private joined: Roster<WebSocket> = new Roster();

  constructor(private readonly ctx: DurableObjectState) {}

  /** After a wake the memory is empty: read every socket's attachment once. */
  private loaded(): Map<WebSocket, Attachment> {
    if (this.cache) return this.cache;
    const cache = new Map<WebSocket, Attachment>();
    const joined: [WebSocket, Participant][] = [];
    for (const ws of this.ctx.getWebSockets()) {
      const attachment = ws.deserializeAttachment() as Attachment | null;
      if (!attachment) continue;
      cache.set(ws, attachment);
      // A socket already closing stays joined until its close event is handled:
      // that handler announces the LEAVE, so every JOIN delta gets its LEAVE.
      if (attachment.participant) joined.push([ws, attachment.participant]);
    }
    this.joined = Roster.from(joined);
    this.cache = cache;
    return cache;
  }

  /** Accepts a new socket with its identity (hibernatable). */
  accept(ws: WebSocket, attachment: Attachment): void {
    this.ctx.acceptWebSocket(ws);
    ws.serializeAttachment(attachment);
    this.loaded().set(ws, attachment);
  }

  attachment(ws: WebSocket): Attachment {
    const cache = this.loaded();
    let attachment = cache.get(ws);
    if (!attachment) {
      // Accepted before this object loaded its cache and not seen since: read it now.
      attachment = ws.deserializeAttachment() as Attachment;
      cache.set(ws, attachment);
    }
    return attachment;
  }

  /** Joins (or, with null, un-joins: its live documents go too) a socket; the attachment is written through. */
  setParticipant(ws: WebSocket, participant: Participant | null): void {
    const attachment: Attachment = { ...this.attachment(ws), participant, ...(participant ? {} : { docs: [] }) };
    ws.serializeAttachment(attachment);
    this.loaded().set(ws, attachment);
    if (participant) this.joined.add(ws, participant);
    else this.joined.remove(ws);
  }

  /** Sets the live documents a socket receives; kept in its attachment, so it survives hibernation. */
  setDocs(ws: WebSocket, docs: string[]): void {
    const attachment: Attachment = { ...this.attachment(ws), docs };
    ws.serializeAttachment(attachment);
    this.loaded().set(ws, attachment);
  }

  /** The joined socket with this signalling id. */
  byPeer(peer: string): WebSocket | null {
    for (const [ws] of this.roster().entries()) if (this.attachment(ws).peer === peer) return ws;
    return null;
  }

  /** Joined sockets subscribed to `doc`. */
  *subscribers(doc: string): Generator<WebSocket> {
    for (const [ws] of this.roster().entries()) if (this.attachment(ws).docs?.includes(doc)) yield ws;
  }

  /** Forgets a closed socket. Returns who was joined on it, if anyone. */
  forget(ws: WebSocket): Participant | null {
    const joined = this.roster().remove(ws);
    // Woken by this very close, the object no longer finds the socket in
    // getWebSockets(): its attachment still says who was on it.
    const participant = joined ?? this.attachment(ws).participant;
    this.loaded().delete(ws);
    return participant;
  }

  /** Every open socket, joined or not. */
  all(): WebSocket[] {
    return this.ctx.getWebSockets().filter((ws) => ws.readyState === WebSocket.OPEN);
  }

  /** Who is joined, in join order, with counts. */
  roster(): Roster<WebSocket> {
    this.loaded();
    return this.joined;
  }

  /** Joined participants, in join order. */
  *present(): Generator<Present> {
    for (const [ws, participant] of this.roster().entries()) yield { ws, participant };
  }

  send(ws: WebSocket, message: ServerMessage): void {
    this.sendRaw(ws, JSON.stringify(message));
  }

  sendRaw(ws: WebSocket, frame: string): void {
    try {
      ws.send(frame);
    } catch {
      // The socket closed under us; its close handler does the bookkeeping.
    }
  }

  /** An ERROR that names the request it answers (its action, and clientId if it had one). */
  sendError(ws: WebSocket, code: ErrorCode, error_message: string, context: ErrorContext = {}): void {
    this.send(ws, { responseType: "ERROR", payload: { error_message, code, ...context } });
  }

  /** Serialises once, sends to every joined participant that `to` selects (everyone by default). */
  broadcast(message: ServerMessage, to?: (p: Participant, ws: WebSocket) => boolean): void {
    const frame = JSON.stringify(message);
    for (const [ws, participant] of this.roster().entries()) if (!to || to(participant, ws)) this.sendRaw(ws, frame);
  }
}
