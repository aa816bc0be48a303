import { expect, test, type Page } from "@playwright/test";
import { connected, signUp, studentIn } from "./helpers";

/**
 * Before the page's own scripts: a tab whose visibility the test decides, a
 * window.Notification that records what it is asked to show (then shows it),
 * and a window.focus that records being called.
 */
function recordNotifications() {
  let hidden = false;
  Object.defineProperty(document, "visibilityState", { configurable: true, get: () => (hidden ? "hidden" : "visible") });
  Object.defineProperty(document, "hidden", { configurable: true, get: () => hidden });
  const w = window as unknown as { shown: { title: string; body: string }[]; last?: Notification; focused: number; setHidden(h: boolean): void };
  w.shown = [];
  w.focused = 0;
  w.setHidden = (h) => {
    hidden = h;
    document.dispatchEvent(new Event("visibilitychange"));
  };
  const Real = window.Notification;
  function Recorded(title: string, options?: NotificationOptions) {
    w.shown.push({ title, body: options?.body ?? "" });
    w.last = new Real(title, options);
    return w.last;
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

const shown = (page: Page) => page.evaluate(() => (window as unknown as { shown: { title: string; body: string }[] }).shown);
const setHidden = (page: Page, hidden: boolean) => page.evaluate((h) => (window as unknown as { setHidden(h: boolean): void }).setHidden(h), hidden);

async function raiseHand(student: Page, note: string): Promise<void> {
  await student.getByRole("textbox", { name: "What do you need help with?" }).fill(note);
  await student.getByRole("button", { name: "✋ Raise hand" }).click();
  await expect(student.getByTestId("my-hand")).toBeVisible();
}

test("staff who opt in are notified of a hand raised while their tab is hidden, and only then", async ({ browser }) => {
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
