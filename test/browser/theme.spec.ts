import { expect, test, type Browser, type Locator, type Page } from "@playwright/test";
import { connected, say, signUp } from "./helpers";

/** The relative luminance (0 black … 1 white) of an element's computed colour property. */
async function luminance(target: Locator, property: "backgroundColor" | "color"): Promise<number> {
  const css = await target.evaluate((el, p) => getComputedStyle(el)[p], property);
  const [r, g, b] = css.match(/[\d.]+/g)!.slice(0, 3).map((v) => {
    const c = Number(v) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

// Surfaces: the palettes' backgrounds are all below the one and above the other.
const DARK = 0.05;
const LIGHT = 0.8;
// Text: light on dark is bright, not white.
const BRIGHT_TEXT = 0.5;

/** A teacher in an ad-hoc room of their own, in a browser whose system theme is `colorScheme`. */
async function inOwnRoom(browser: Browser, colorScheme: "light" | "dark"): Promise<Page> {
  const page = await (await browser.newContext({ colorScheme })).newPage();
  await signUp(page, "Grace");
  await page.getByRole("button", { name: "Create a room" }).click();
  await page.getByRole("button", { name: "Enter as teacher" }).click();
  await connected(page);
  await expect(page.locator(".workbench .cm-content")).toHaveAttribute("contenteditable", "true");
  return page;
}

const editor = (page: Page) => page.locator(".workbench .editor");
// The starter program begins with `const`: its colour is the editor's keyword highlighting.
const keyword = (page: Page) => page.locator(".workbench .cm-line span", { hasText: /^const$/ }).first();

async function expectDark(page: Page): Promise<void> {
  expect(await luminance(page.locator("body"), "backgroundColor")).toBeLessThan(DARK);
  expect(await luminance(editor(page), "backgroundColor")).toBeLessThan(DARK);
  expect(await luminance(page.locator(".workbench .cm-gutters"), "backgroundColor")).toBeLessThan(DARK);
  expect(await luminance(page.locator(".workbench .cm-content"), "color")).toBeGreaterThan(BRIGHT_TEXT);
  expect(await luminance(keyword(page), "color")).toBeGreaterThan(0.3);
}

async function expectLight(page: Page): Promise<void> {
  expect(await luminance(page.locator("body"), "backgroundColor")).toBeGreaterThan(LIGHT);
  expect(await luminance(editor(page), "backgroundColor")).toBeGreaterThan(LIGHT);
  expect(await luminance(page.locator(".workbench .cm-gutters"), "backgroundColor")).toBeGreaterThan(LIGHT);
  expect(await luminance(page.locator(".workbench .cm-content"), "color")).toBeLessThan(DARK);
  expect(await luminance(keyword(page), "color")).toBeLessThan(0.15);
}

test("a dark system gives a dark page and editor; choosing light switches both and survives a reload", async ({ browser }) => {
  const page = await inOwnRoom(browser, "dark");
  await expect(page.getByLabel("Theme")).toHaveValue("system");
  await expectDark(page);
  // Chat messages sit on a dark surface too.
  await say(page, "Dark in here");
  await expect(page.locator(".message").first()).toContainText("Dark in here");
  expect(await luminance(page.locator(".message").first(), "backgroundColor")).toBeLessThan(DARK);

  await page.getByLabel("Theme").selectOption("light");
  await expectLight(page);

  await page.reload();
  await connected(page);
  await expect(page.getByLabel("Theme")).toHaveValue("light");
  await expectLight(page);
});

test("with a light system, choosing dark themes the open editor at once", async ({ browser }) => {
  const page = await inOwnRoom(browser, "light");
  await expectLight(page);
  await page.getByLabel("Theme").selectOption("dark");
  await expectDark(page);
  // Back to the system's choice: light again, and nothing stored that would say otherwise.
  await page.getByLabel("Theme").selectOption("system");
  await expectLight(page);
  await page.reload();
  await expect(page.getByLabel("Theme")).toHaveValue("system");
  expect(await luminance(page.locator("body"), "backgroundColor")).toBeGreaterThan(LIGHT);
});

const PHONE = { width: 375, height: 740 };

/** Nothing wider than the screen, and every control in the top bar on it. */
async function expectFitsPhone(page: Page, what: string): Promise<void> {
  const { scrollWidth, screenWidth } = await page.evaluate(() => ({ scrollWidth: document.documentElement.scrollWidth, screenWidth: window.innerWidth }));
  expect(scrollWidth, `${what}: page wider than the screen`).toBeLessThanOrEqual(screenWidth);
  const controls = page.locator("header.topbar").first().locator("a, button, select");
  expect(await controls.count()).toBeGreaterThan(0);
  for (const control of await controls.all()) {
    await expect(control).toBeVisible();
    const box = (await control.boundingBox())!;
    expect(box.x, `${what}: a top bar control starts off the screen`).toBeGreaterThanOrEqual(0);
    expect(box.x + box.width, `${what}: a top bar control runs off the screen`).toBeLessThanOrEqual(PHONE.width);
  }
}

test("on a phone, the pages fit the screen and a student can type and run code in the room", async ({ browser }) => {
  test.setTimeout(90_000);
  const page = await (await browser.newContext({ viewport: PHONE })).newPage();
  await page.goto("/");
  await expect(page.getByRole("link", { name: "Sign in" })).toBeVisible();
  await expectFitsPhone(page, "signed out");

  await signUp(page, "Grace Hopper-Montgomery");
  await expectFitsPhone(page, "dashboard");
  await expect(page.getByRole("button", { name: "Sign out" })).toBeInViewport();

  await page.getByRole("link", { name: "New course" }).click();
  await page.getByLabel("Title").fill("Programming on small screens");
  await page.getByLabel("Course code").fill("PHONE101");
  await page.getByRole("button", { name: "Create course" }).click();
  await expect(page.getByRole("heading", { name: "Programming on small screens" })).toBeVisible();
  await expectFitsPhone(page, "course page");

  // A student on a phone opens a room a teacher made.
  await page.goto("/");
  await page.getByRole("button", { name: "Create a room" }).click();
  const link = await page.getByTestId("student-link").inputValue();
  const student = await (await browser.newContext({ viewport: PHONE })).newPage();
  await signUp(student, "Ada");
  await student.goto(link);
  await connected(student);
  await expectFitsPhone(student, "student's room");

  // The panels stack with the editor first, and it takes typing.
  const code = student.locator(".workbench .cm-content");
  await expect(code).toHaveAttribute("contenteditable", "true");
  await expect(code).toBeInViewport();
  const editorTop = (await student.locator(".workbench .editor").boundingBox())!.y;
  const sideTop = (await student.locator(".student > .side").boundingBox())!.y;
  expect(editorTop).toBeLessThan(sideTop);
  await code.click();
  await student.keyboard.press("ControlOrMeta+A");
  await student.keyboard.type("console.log(6 * 7)");
  await expect(code).toHaveText("console.log(6 * 7)");
  await student.getByRole("button", { name: "Run", exact: true }).click();
  await expect(student.getByTestId("stdout")).toHaveText("42");
  await expectFitsPhone(student, "student's room after a run");
});
