import { expect, test, type Browser, type Page } from "@playwright/test";
import { connected, signUp, studentIn } from "./helpers";

/**
 * Before the page's own scripts: a tab whose visibility the test decides, a
 * window.Notification that records what it is asked to show (then shows it)
 * and whether it is still on screen (not closed, nor replaced by one with the
 * same tag, as browsers do), and a window.focus that records being called.
 */
function recordNotifications() {
  let hidden = false;
  Object.defineProperty(document, "visibilityState", { configurable: true, get: () => (hidden ? "hidden" : "visible") });
  Object.defineProperty(document, "hidden", { configurable: true, get: () => hidden });
  const w = window as unknown as { shown: Shown[]; last?: Notification; focused: number; setHidden(h: boolean): void };
  w.shown = [];
  w.focused = 0;
  w.setHidden = (h) => {
    hidden = h;
    document.dispatchEvent(new Event("visibilitychange"));
  };
  const Real = window.Notification;
  function Recorded(title: string, options?: NotificationOptions) {
    const entry = { title, body: options?.body ?? "", tag: options?.tag ?? "", open: true };
    for (const earlier of w.shown) if (entry.tag && earlier.tag === entry.tag) earlier.open = false;
    w.shown.push(entry);
    const real = new Real(title, options);
    const close = real.close.bind(real);
    real.close = () => {
      entry.open = false;
      close();
    };
    w.last = real;
    return real;
  }
  Object.defineProperty(Recorded, "permission", { get: () => Real.permission });
  Recorded.requestPermission = Real.requestPermission.bind(Real);
  (window as unknown as { Notification: unknown }).Notification = Recorded;
  const focus = window.focus.bind(window);
  window.focus = () => {
    w.focused += 1;
    focus();
  };
}

interface Shown {
  title: string;
  body: string;
  tag: string;
  open: boolean;
}
const recorded = (page: Page) => page.evaluate(() => (window as unknown as { shown: Shown[] }).shown);
/** Every notification asked for, on screen or not. */
const shown = async (page: Page) => (await recorded(page)).map(({ title, body }) => ({ title, body }));
/** The titles of those still on screen. */
const onScreen = async (page: Page) => (await recorded(page)).filter((n) => n.open).map((n) => n.title);
const setHidden = (page: Page, hidden: boolean) => page.evaluate((h) => (window as unknown as { setHidden(h: boolean): void }).setHidden(h), hidden);

async function raiseHand(student: Page, note: string): Promise<void> {
  await student.getByRole("textbox", { name: "What do you need help with?" }).fill(note);
  await student.getByRole("button", { name: "✋ Raise hand" }).click();
  await expect(student.getByTestId("my-hand")).toBeVisible();
}

/** A teacher in a new room "Loops lab", in a browser that allows notifications and records the ones shown. */
async function teacherInLoopsLab(browser: Browser): Promise<{ teacher: Page; link: string }> {
  const context = await browser.newContext();
  await context.grantPermissions(["notifications"]);
  await context.addInitScript(recordNotifications);
  const teacher = await context.newPage();
  await signUp(teacher, "Grace");
  await teacher.getByLabel("Room title").fill("Loops lab");
  await teacher.getByRole("button", { name: "Create a room" }).click();
  const link = await teacher.getByTestId("student-link").inputValue();
  await teacher.getByRole("button", { name: "Enter as teacher" }).click();
  await connected(teacher);
  return { teacher, link };
}

test("staff who opt in are notified of a hand raised while their tab is hidden, and only then", async ({ browser }) => {
  const { teacher, link } = await teacherInLoopsLab(browser);

  await teacher.getByRole("tab", { name: /Help/ }).click();
  const notify = teacher.getByRole("checkbox", { name: /Notify me/ });
  await expect(notify).not.toBeChecked();
  await notify.check();
  await expect(notify).toBeChecked();

  const ada = await studentIn(browser, link, "Ada");
  await ada.getByRole("tab", { name: "Help" }).click();

  // While the teacher is looking at the room, the queue says it all: no notification.
  await raiseHand(ada, "my loop never ends");
  await expect(teacher.getByTestId("hand")).toContainText("my loop never ends");
  expect(await shown(teacher)).toEqual([]);
  await ada.getByRole("button", { name: "Withdraw" }).click();
  await expect(teacher.getByTestId("hand")).toHaveCount(0);

  // In the background, a hand going up is notified, with the student, the note and the room.
  await setHidden(teacher, true);
  await raiseHand(ada, "what is a closure?");
  await expect.poll(() => shown(teacher)).toEqual([{ title: "Ada raised a hand", body: "what is a closure?\nLoops lab" }]);

  // Clicking it brings the room's tab forward.
  await teacher.evaluate(() => (window as unknown as { last: Notification }).last.dispatchEvent(new Event("click")));
  expect(await teacher.evaluate(() => (window as unknown as { focused: number }).focused)).toBe(1);

  // The choice is kept: after a reload the box is still ticked, and unticking it stops the notifications.
  await teacher.reload();
  await connected(teacher);
  await teacher.getByRole("tab", { name: /Help/ }).click();
  await expect(notify).toBeChecked();
  await notify.uncheck();
  await ada.getByRole("button", { name: "Withdraw" }).click();
  await setHidden(teacher, true);
  await raiseHand(ada, "one more thing");
  await expect(teacher.getByTestId("hand")).toContainText("one more thing");
  expect(await shown(teacher)).toEqual([]);
});

test("a student raising a hand again and again gives one short notification at a time, gone once the hand is down", async ({ browser }) => {
  const { teacher, link } = await teacherInLoopsLab(browser);
  await teacher.getByRole("tab", { name: /Help/ }).click();
  await teacher.getByRole("checkbox", { name: /Notify me/ }).check();
  const ada = await studentIn(browser, link, "Ada");
  await ada.getByRole("tab", { name: "Help" }).click();
  await setHidden(teacher, true);

  // A long note is cut to an excerpt on one line, with the room it came from.
  const long = `why does my loop never end ${"and then again ".repeat(30)}`;
  await raiseHand(ada, long);
  await expect.poll(() => onScreen(teacher)).toEqual(["Ada raised a hand"]);
  const [first] = await recorded(teacher);
  const [excerpt, room] = first!.body.split("\n");
  expect(room).toBe("Loops lab");
  expect(excerpt!.startsWith("why does my loop never end and then again")).toBe(true);
  expect(excerpt!.endsWith("…")).toBe(true);
  expect(excerpt!.length).toBeLessThanOrEqual(120);

  // Withdrawn: the notification goes. Raised again at once: no second one within the minute.
  await ada.getByRole("button", { name: "Withdraw" }).click();
  await expect.poll(() => onScreen(teacher)).toEqual([]);
  await raiseHand(ada, "sorry, still stuck");
  await expect(teacher.getByTestId("hand")).toContainText("sorry, still stuck");
  expect(await recorded(teacher)).toHaveLength(1);

  // Another student is notified on their own, and resolving the hand closes it.
  const linus = await studentIn(browser, link, "Linus");
  await linus.getByRole("tab", { name: "Help" }).click();
  await raiseHand(linus, "what is a closure?");
  await expect.poll(() => onScreen(teacher)).toEqual(["Linus raised a hand"]);
  await teacher.getByTestId("hand").filter({ hasText: "Linus" }).getByRole("button", { name: "Resolve" }).click();
  await expect.poll(() => onScreen(teacher)).toEqual([]);
  expect((await recorded(teacher)).map((n) => n.tag)).toEqual([expect.stringContaining("Ada"), expect.stringContaining("Linus")]);
});
