import { expect, type Browser, type Page } from "@playwright/test";

export const PASSWORD = "correct horse battery";
let counter = 0;

/** A unique address per run, so tests never collide with each other or with earlier runs. */
export function emailFor(name: string): string {
  counter += 1;
  return `${name.toLowerCase().replace(/\W/g, "")}.${Date.now().toString(36)}.${counter}@example.com`;
}

/** Fills the sign-up form on the current page (already at /signup). */
export async function fillSignUp(page: Page, name: string): Promise<void> {
  await page.getByLabel("Display name").fill(name);
  await page.getByLabel("Email").fill(emailFor(name));
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign up" }).click();
}

export async function signUp(page: Page, name: string): Promise<void> {
  await page.goto("/signup");
  await fillSignUp(page, name);
  await expect(page.getByRole("heading", { name: "Your courses" })).toBeVisible();
}

/** From the dashboard: creates a course with the New course form, which then shows the course's page. */
export async function createCourse(page: Page, course: { title: string; code: string; timezone: string }): Promise<void> {
  await page.getByRole("link", { name: "New course" }).click();
  await page.getByLabel("Title").fill(course.title);
  await page.getByLabel("Course code").fill(course.code);
  await page.getByLabel("Time zone (class times are in this zone)").selectOption(course.timezone);
  await page.getByRole("button", { name: "Create course" }).click();
  await expect(page.getByRole("heading", { name: course.title, level: 1 })).toBeVisible();
}

/** Signs in with an existing account (the demo ones npm start seeds) in a browser context of its own. */
export async function signIn(browser: Browser, email: string, password: string): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await page.goto("/signin");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("heading", { name: "Your courses" })).toBeVisible();
  return page;
}

/** Replaces the text of the CodeMirror editor inside `scope` (typed as a user would paste). */
export async function setCode(page: Page, scope: string, code: string): Promise<void> {
  // A live editor opens for typing once the room's copy has arrived.
  await expect(page.locator(`${scope} .cm-content`).first()).toHaveAttribute("contenteditable", "true");
  await page.locator(`${scope} .cm-content`).first().click();
  await page.keyboard.press("ControlOrMeta+A");
  await page.keyboard.press("Delete");
  await page.keyboard.insertText(code);
}

/**
 * Replaces the editor's text with `code` as a paste from the clipboard (one
 * change, as CodeMirror takes a paste): typing hundreds of kilobytes goes
 * through the page's input handling and takes minutes.
 */
export async function pasteCode(page: Page, scope: string, code: string): Promise<void> {
  const content = page.locator(`${scope} .cm-content`).first();
  await expect(content).toHaveAttribute("contenteditable", "true");
  await content.click();
  await page.keyboard.press("ControlOrMeta+A");
  await content.evaluate((el, text) => {
    const data = new DataTransfer();
    data.setData("text/plain", text);
    el.dispatchEvent(new ClipboardEvent("paste", { clipboardData: data, bubbles: true, cancelable: true }));
  }, code);
}

export function codeIn(page: Page, scope: string) {
  return page.locator(`${scope} .cm-content`).first();
}

export async function connected(page: Page): Promise<void> {
  await expect(page.getByTestId("connection")).toHaveText("Connected");
}

/** A teacher who created an ad-hoc room and entered it, and the room's student link. */
export async function teacherInNewRoom(browser: Browser, name = "Grace"): Promise<{ teacher: Page; link: string }> {
  const teacher = await (await browser.newContext()).newPage();
  await signUp(teacher, name);
  await teacher.getByRole("button", { name: "Create a room" }).click();
  const link = await teacher.getByTestId("student-link").inputValue();
  await teacher.getByRole("button", { name: "Enter as teacher" }).click();
  await connected(teacher);
  return { teacher, link };
}

/** A signed-up student (in their own browser context) who opened `link`. */
export async function studentIn(browser: Browser, link: string, name: string): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await signUp(page, name);
  await page.goto(link);
  await connected(page);
  return page;
}

/** Types a chat message into the room's chat and sends it with Enter. */
export async function say(page: Page, text: string): Promise<void> {
  await page.getByRole("textbox", { name: "Message" }).click();
  await page.keyboard.insertText(text);
  await page.keyboard.press("Enter");
}
