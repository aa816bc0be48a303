import { expect, test, type Page } from "@playwright/test";
import { codeIn, connected, setCode, signUp, teacherInNewRoom } from "./helpers";

const tileOf = (teacher: Page, name: string) => teacher.locator(`[data-testid="tile"][data-student="${name}"]`);

async function signOut(page: Page): Promise<void> {
  await page.goto("/");
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page.getByRole("button", { name: "Sign out" })).toHaveCount(0);
}

test("on a shared browser, the next person never gets the last one's draft or teacher link", async ({ browser }) => {
  const { teacher, link } = await teacherInNewRoom(browser, "Grace");
  const shared = await (await browser.newContext()).newPage();

  // Bob, on the lab's computer: his own ad-hoc room, and Grace's room as a student, where he types.
  await signUp(shared, "Bob");
  await shared.getByLabel("Room title").fill("Bob's office hours");
  await shared.getByRole("button", { name: "Create a room" }).click();
  const bobsRoom = await shared.getByTestId("student-link").inputValue();
  await shared.goto(link);
  await connected(shared);
  await setCode(shared, ".workbench", "const secret = 'bob-was-here';");
  await teacher.getByRole("button", { name: /Class grid/ }).click();
  await expect(tileOf(teacher, "Bob").getByTestId("tile-code")).toHaveText("const secret = 'bob-was-here';");

  await signOut(shared);
  const kept = await shared.evaluate(() => Object.entries(localStorage));
  expect(kept.filter(([, value]) => value.includes("bob-was-here"))).toEqual([]);
  expect(kept.filter(([key]) => /draft|teacher|outbox|board|practice/.test(key))).toEqual([]);

  // Carol sits down at the same browser and opens the same room: her editor starts fresh.
  await signUp(shared, "Carol");
  await shared.goto(link);
  await connected(shared);
  await expect(codeIn(shared, ".workbench")).toContainText("Write JavaScript here");
  await expect(codeIn(shared, ".workbench")).not.toContainText("bob-was-here");
  // Grace sees Carol's editor as Carol left it, not Bob's work under her name.
  await expect(tileOf(teacher, "Carol").getByTestId("tile-code")).toContainText("Write JavaScript here");
  await expect(tileOf(teacher, "Carol").getByTestId("tile-code")).not.toContainText("bob-was-here");

  // Bob's room's teacher token stayed with Bob: Carol enters it as a student.
  await shared.goto(bobsRoom);
  await connected(shared);
  await expect(shared.getByText("Student view")).toBeVisible();
});
