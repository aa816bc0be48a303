/**
 * A desktop notification for staff when a hand goes up while the room's tab
 * is in the background: the banner in the page is enough while it is seen.
 * Each person opts in with "Notify me" (kept in this browser); the browser's
 * permission is asked for only from that click, as browsers expect.
 */
import { createSignal } from "solid-js";
import type { HandView } from "../../../protocol";
import { readStorage, writeStorage } from "../lib/storage";

const KEY = "thirdspace.notifyHands";

export const notificationsSupported = typeof window !== "undefined" && "Notification" in window;

const [permission, setPermission] = createSignal<NotificationPermission>(notificationsSupported ? Notification.permission : "denied");
const [wanted, setWanted] = createSignal(readChoice());

function readChoice(): boolean {
  return readStorage(KEY) === "on";
}

/** With storage refused (private mode), the choice lasts for this page only. */
function remember(on: boolean): void {
  setWanted(on);
  writeStorage(KEY, on ? "on" : null);
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

/** A student's notifications come at most this often: one raising and withdrawing on a loop must not flood the desktop. */
const QUIET_MS = 60_000;
/** The note is the student's text: a short excerpt on one line, not all 500 characters they may type. */
const EXCERPT_CHARS = 120;

/** Per student and room (the notification's tag): the last one shown, and a raise held back until the quiet minute is over. */
interface Student {
  at: number;
  handId: number;
  shown: Notification | null;
  held: { hand: HandView; title: string; timer: ReturnType<typeof setTimeout> } | null;
}
const students = new Map<string, Student>();

export function excerpt(text: string, max = EXCERPT_CHARS): string {
  const line = text.replace(/\s+/g, " ").trim();
  return line.length > max ? `${line.slice(0, max - 1).trimEnd()}…` : line;
}

/** One tag per student and room: a later notification for them replaces the earlier one instead of stacking beside it. */
const tagFor = (hand: HandView, roomId: string) => `hand:${roomId}:${hand.student ?? hand.clientId}`;

/**
 * Notifies a hand just raised, unless the tab is visible, it is this person's
 * own hand, or they did not ask. A student notified less than a minute ago
 * waits: their latest hand is notified when the minute is up, if it still waits.
 */
export function notifyHandRaised(hand: HandView, opts: { roomId: string; title: string; mine: boolean }): void {
  if (!notificationsSupported || opts.mine) return;
  const tag = tagFor(hand, opts.roomId);
  const student = students.get(tag);
  // The same hand again (its frame replayed after a reconnect): already told.
  if (student?.handId === hand.id) return;
  const wait = student ? student.at + QUIET_MS - Date.now() : 0;
  if (!student || wait <= 0) return show(tag, hand, opts.title);
  if (student.held) clearTimeout(student.held.timer);
  student.held = { hand, title: opts.title, timer: setTimeout(() => showHeld(tag), wait) };
}

function showHeld(tag: string): void {
  const held = students.get(tag)?.held;
  if (!held) return;
  students.get(tag)!.held = null;
  show(tag, held.hand, held.title);
}

function show(tag: string, hand: HandView, title: string): void {
  if (document.visibilityState !== "hidden") return;
  // The permission may have been withdrawn in the browser's settings since the page loaded.
  setPermission(Notification.permission);
  if (!notifying()) return;
  const note = new Notification(`${hand.student ?? "A student"} raised a hand`, {
    body: hand.note ? `${excerpt(hand.note)}\n${title}` : title,
    tag,
  });
  note.onclick = () => {
    window.focus();
    note.close();
  };
  students.set(tag, { at: Date.now(), handId: hand.id, shown: note, held: null });
}

/**
 * The hands still waiting, each time the queue changes: a notification whose
 * hand was withdrawn, claimed or resolved is closed, and a held one dropped.
 */
export function settleHandNotifications(waiting: number[]): void {
  for (const student of students.values()) {
    if (student.shown && !waiting.includes(student.handId)) {
      student.shown.close();
      student.shown = null;
    }
    if (student.held && !waiting.includes(student.held.hand.id)) {
      clearTimeout(student.held.timer);
      student.held = null;
    }
  }
}
