/**
 * The share button's state, for students ("Share with teacher") and staff
 * ("Share to all students") alike: sending, then confirmed by the room's
 * echo of our own SHARE (sent only once it is stored), or refused by an
 * ERROR that answers a SHARE, shown beside the button.
 */
import { createSignal } from "solid-js";
import type { ResponseOf } from "../../../protocol";
import { useRoom } from "./session";
import { ROOM_TEXT } from "./strings";

export interface ShareStatus {
  text: string;
  error: boolean;
}

/** `confirmed` words the echo of our own share. */
export function createShare(confirmed: (echo: ResponseOf<"SHARE">) => string) {
  const session = useRoom();
  const [status, setStatus] = createSignal<ShareStatus | null>(null);

  session.listen((message) => {
    if (message.responseType !== "SHARE") return;
    if (message.payload.from === session.username && message.payload.role === session.role) setStatus({ text: confirmed(message), error: false });
  });
  session.onError("share", (error) => setStatus({ text: error.error_message, error: true }));

  function share(code: string): void {
    const sent = session.send({ action: "SHARE", payload: { shared_code: code } });
    setStatus(sent ? { text: ROOM_TEXT.sharing, error: false } : { text: ROOM_TEXT.shareNotConnected, error: true });
  }

  return { status, share };
}
