import { expect, type Page } from "@playwright/test";

/** Replaces the text of the CodeMirror editor inside `scope` (typed as a user would paste). */
export async function setCode(page: Page, scope: string, code: string): Promise<void> {
  await page.locator(`${scope} .cm-content`).first().click();
  await page.keyboard.press("ControlOrMeta+A");
  await page.keyboard.press("Delete");
  await page.keyboard.insertText(code);
}

export function codeIn(page: Page, scope: string) {
  return page.locator(`${scope} .cm-content`).first();
}

export async function enterRoom(page: Page, name: string, button: "Enter as teacher" | "Join as student") {
  await page.getByLabel("Your display name").fill(name);
  await page.getByRole("button", { name: button }).click();
  await expect(page.getByTestId("connection")).toHaveText("Connected");
}
