import { expect, test } from "@playwright/test";
import { codeIn, signUp, teacherInNewRoom } from "./helpers";

test("? lists the keyboard shortcuts; Escape closes the list and focus goes back", async ({ page }) => {
  await signUp(page, "Grace");
  const dialog = page.getByRole("dialog", { name: "Keyboard shortcuts" });
  const newCourse = page.getByRole("link", { name: "New course" });
  await newCourse.focus();

  await page.keyboard.press("?");
  await expect(dialog).toBeVisible();
  await expect(dialog.getByRole("definition").filter({ hasText: "Run your code" })).toBeVisible();
  await expect(dialog).toContainText("Ctrl + Enter");
  await expect(dialog).not.toContainText("Cmd");
  await expect(dialog).toContainText("Send the message");
  // One column of keys for every section: what each key does starts at the same place in all of them.
  const starts = await dialog.getByRole("definition").evaluateAll((dds) => dds.map((dd) => Math.round(dd.getBoundingClientRect().left)));
  expect(starts.length).toBeGreaterThan(5);
  expect(new Set(starts).size).toBe(1);
  // Opened modally, it takes the focus (the page behind is inert until it closes).
  await expect(dialog.getByRole("button", { name: "Close" })).toBeFocused();

  await page.keyboard.press("Escape");
  await expect(dialog).toBeHidden();
  await expect(newCourse).toBeFocused();

  // In a text field, "?" is just a character.
  await page.getByLabel("Room title").fill("");
  await page.getByLabel("Room title").pressSequentially("Why?");
  await expect(page.getByLabel("Room title")).toHaveValue("Why?");
  await expect(dialog).toBeHidden();
});

test("? typed in the code editor is code, not the shortcut list", async ({ browser }) => {
  const { teacher } = await teacherInNewRoom(browser);
  await expect(codeIn(teacher, ".workbench")).toHaveAttribute("contenteditable", "true");
  await codeIn(teacher, ".workbench").click();
  await teacher.keyboard.press("End");
  await teacher.keyboard.type("a ? b : c");
  await expect(codeIn(teacher, ".workbench")).toContainText("a ? b : c");
  await expect(teacher.getByRole("dialog")).toBeHidden();

  // Outside the editor it opens, over the room too.
  await teacher.getByRole("tab", { name: "Chat" }).focus();
  await teacher.keyboard.press("?");
  await expect(teacher.getByRole("dialog", { name: "Keyboard shortcuts" })).toBeVisible();
  await teacher.getByRole("button", { name: "Close" }).click();
  await expect(teacher.getByRole("dialog")).toBeHidden();
  await expect(teacher.getByRole("tab", { name: "Chat" })).toBeFocused();
});

test("on a Mac the list names Cmd, the key that works there", async ({ browser }) => {
  const context = await browser.newContext();
  await context.addInitScript(() => {
    Object.defineProperty(Navigator.prototype, "platform", { configurable: true, get: () => "MacIntel" });
    Object.defineProperty(Navigator.prototype, "userAgentData", { configurable: true, get: () => ({ platform: "macOS" }) });
  });
  const page = await context.newPage();
  await signUp(page, "Grace");
  await page.getByRole("link", { name: "New course" }).focus();
  await page.keyboard.press("?");
  const dialog = page.getByRole("dialog", { name: "Keyboard shortcuts" });
  await expect(dialog.getByRole("term").filter({ has: page.getByText("Cmd", { exact: true }) }).first()).toBeVisible();
  await expect(dialog).toContainText("Cmd + Enter");
  await expect(dialog).toContainText("Cmd + Shift + Z");
  await expect(dialog).not.toContainText("Ctrl");
});
