/**
 * The room's sockets: who is on each (from its attachment, so it survives
 * hibernation) and sending to them. No rules and no storage here.
 */
import type { ErrorCode, ServerMessage } from "../../protocol";
import type { Participant, VerifiedIdentity } from "./rules";

/** Kept in each socket's attachment (≤ 16 KiB, survives hibernation). */
export interface Attachment {
  roomId: string;
  verified: VerifiedIdentity;
  participant: Participant | null;
}

export interface Present {
  ws: WebSocket;
  participant: Participant;
}

export class RoomSockets {
  constructor(private readonly ctx: DurableObjectState) {}

  attachment(ws: WebSocket): Attachment {
    return ws.deserializeAttachment() as Attachment;
  }

  setParticipant(ws: WebSocket, participant: Participant | null): void {
    ws.serializeAttachment({ ...this.attachment(ws), participant } satisfies Attachment);
  }

  /** Every open socket, joined or not. */
  all(): WebSocket[] {
    return this.ctx.getWebSockets().filter((ws) => ws.readyState === WebSocket.OPEN);
  }

  /** Joined participants on open sockets. */
  present(): Present[] {
    const out: Present[] = [];
    for (const ws of this.all()) {
      const { participant } = this.attachment(ws);
      if (participant) out.push({ ws, participant });
    }
    return out;
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

  sendError(ws: WebSocket, code: ErrorCode, error_message: string): void {
    this.send(ws, { responseType: "ERROR", payload: { error_message, code } });
  }

  /** Serialises once, sends to every joined participant that `to` selects. */
  broadcast(message: ServerMessage, to: (p: Present) => boolean = () => true): void {
    const frame = JSON.stringify(message);
    for (const p of this.present()) if (to(p)) this.sendRaw(p.ws, frame);
  }
}
