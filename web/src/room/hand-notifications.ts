/**
 * A desktop notification for staff when a hand goes up while the room's tab
 * is in the background: the banner in the page is enough while it is seen.
 * Each person opts in with "Notify me" (kept in this browser); the browser's
 * permission is asked for only from that click, as browsers expect.
 */
import { createSignal } from "solid-js";
import type { HandView } from "../../../protocol";

const KEY = "thirdspace.notifyHands";

export const notificationsSupported = typeof window !== "undefined" && "Notification" in window;

const [permission, setPermission] = createSignal<NotificationPermission>(notificationsSupported ? Notification.permission : "denied");
const [wanted, setWanted] = createSignal(readChoice());

function readChoice(): boolean {
  try {
    return localStorage.getItem(KEY) === "on";
  } catch {
    return false;
  }
}

function remember(on: boolean): void {
  setWanted(on);
  try {
    if (on) localStorage.setItem(KEY, "on");
    else localStorage.removeItem(KEY);
  } catch {
    // Storage refused (private mode): the choice lasts for this page only.
  }
}

/** Whether hands raised in the background are notified: asked for, and allowed by the browser. */
export const notifying = () => wanted() && permission() === "granted";

/** The browser says no (the person refused, or blocked the site): only its settings can change that. */
export const notificationsBlocked = () => permission() === "denied";

/** Turns notifications on or off; turning them on asks the browser's permission, so call it from a click. */
export async function setNotifying(on: boolean): Promise<void> {
  if (on && notificationsSupported && Notification.permission !== "granted") {
    setPermission(await Notification.requestPermission());
  }
  remember(on && permission() === "granted");
}

/** Shows a notification for a hand just raised, unless the tab is visible, it is this person's own hand, or they did not ask. */
export function notifyHandRaised(hand: HandView, opts: { room: string; mine: boolean }): void {
  if (!notificationsSupported || opts.mine || document.visibilityState !== "hidden") return;
  // The permission may have been withdrawn in the browser's settings since the page loaded.
  setPermission(Notification.permission);
  if (!notifying()) return;
  const note = new Notification(`${hand.student ?? "A student"} raised a hand`, {
    body: hand.note ? `${hand.note}\n${opts.room}` : opts.room,
    // One notification per hand, even if the frame for it arrives twice (after a reconnect).
    tag: `hand-${hand.id}`,
  });
  note.onclick = () => {
    window.focus();
    note.close();
  };
}
