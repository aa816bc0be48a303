import { expect, test, type Locator } from "@playwright/test";
import { signIn } from "./helpers";

const V1 = `const greeting = "Hello";\nconst name = input();\nconsole.log(greeting + ", " + name);`;
const V2 = `const greeting = "Hi";\nconst name = input();\nconsole.log(greeting + ", " + name);`;
const V3 = `${V2}\nconsole.log("bye");`;

/** Inside one file's diff: the lines shown as removed, and the lines of the newer text marked as added or changed. */
const removedLines = (file: Locator) => file.locator(".cm-deletedChunk .cm-deletedLine");
const addedLines = (file: Locator) => file.locator(".cm-content .cm-changedLine");

/** The line change between V1 and V2, as any diff of main.js shows it. */
async function expectGreetingChange(file: Locator) {
  await expect(removedLines(file)).toHaveText([`const greeting = "Hello";`]);
  await expect(addedLines(file)).toHaveText([`const greeting = "Hi";`]);
  await expect(file.locator("ins.cm-insertedLine")).toHaveText([`const greeting = "Hi";`]);
  await expect(file.getByTestId("diff-counts")).toHaveText("+1 −1 lines");
  // The lines both versions share are shown, unmarked.
  await expect(file.locator(".cm-content .cm-line:not(.cm-changedLine)")).toHaveText(["const name = input();", `console.log(greeting + ", " + name);`]);
}

test("a student compares any two of their versions, and staff see the latest submission beside its changes", async ({ browser }) => {
  const title = `Diff ${Date.now().toString(36)}`;
  const teacher = await signIn(browser, "instructor@demo.thirdspace.test", "demo-instructor");
  await teacher.getByRole("link", { name: /Introduction to Programming/ }).click();
  const form = teacher.getByRole("form", { name: "New assignment" });
  await form.getByLabel("Assignment title").fill(title);
  await form.getByLabel("Points").fill("1");
  await form.getByLabel("Due (UTC)").fill("2099-01-01T12:00");
  await form.getByLabel("Publish now (students see it)").check();
  await form.getByRole("button", { name: "Create assignment" }).click();
  await expect(teacher.getByRole("heading", { name: title })).toBeVisible();

  const student = await signIn(browser, "student@demo.thirdspace.test", "demo-student");
  await student.getByRole("link", { name: /Introduction to Programming/ }).click();
  await student.getByRole("region", { name: "Assignments" }).getByRole("link", { name: title }).click();
  const hand = student.getByRole("region", { name: "Hand in" });
  async function handIn(name: string, code: string, version: number) {
    await hand.getByLabel("File name").fill(name);
    await hand.getByLabel("Code").fill(code);
    await hand.getByRole("button", { name: "Hand in" }).click();
    await expect(student.getByTestId("version").first()).toContainText(`Version ${version}`);
  }
  const compare = student.getByRole("region", { name: "Compare versions" });

  await handIn("main.js", V1, 1);
  await expect(compare).toHaveCount(0); // one version: nothing to compare yet

  // Staff open a first version: there is nothing earlier.
  await teacher.reload();
  const row = teacher.getByTestId("submission-row").filter({ hasText: "Ada (demo student)" });
  await row.getByRole("button", { name: "Open" }).click();
  await expect(teacher.getByTestId("no-earlier-version")).toContainText("no earlier version");
  await expect(teacher.getByTestId("version-diff")).toHaveCount(0);

  // One line changed: by default the student sees the previous version against the latest.
  await handIn("main.js", V2, 2);
  await expect(compare.getByLabel("From").locator("option:checked")).toHaveText("Version 1");
  await expect(compare.getByLabel("To").locator("option:checked")).toHaveText("Version 2");
  await expectGreetingChange(compare.getByRole("region", { name: "main.js (changed)" }));

  // Staff open the latest, version 2: its lines still take comments, and beside them is the change since version 1.
  await teacher.reload();
  await row.getByRole("button", { name: "Open" }).click();
  await expect(teacher.getByRole("button", { name: "Comment on main.js line 1" })).toBeVisible();
  const changes = teacher.getByRole("region", { name: "Changes from an earlier version" });
  await expect(changes.getByLabel("Compare with").locator("option:checked")).toHaveText("Version 1");
  await expect(changes.getByTestId("version-diff")).toContainText("Version 1 → Version 2");
  await expectGreetingChange(changes.getByRole("region", { name: "main.js (changed)" }));
  await expect(teacher.getByTestId("no-earlier-version")).toHaveCount(0);

  // A renamed file: the old name is wholly removed, the new one wholly added.
  await handIn("greet.js", V3, 3);
  await expect(compare.getByLabel("From").locator("option:checked")).toHaveText("Version 2");
  const removed = compare.getByRole("region", { name: "main.js (removed)" });
  const added = compare.getByRole("region", { name: "greet.js (added)" });
  await expect(removedLines(removed)).toHaveText(V2.split("\n"));
  await expect(removed.getByTestId("diff-counts")).toHaveText("+0 −3 lines");
  await expect(addedLines(removed)).toHaveCount(0);
  await expect(addedLines(added)).toHaveText(V3.split("\n"));
  await expect(added.getByTestId("diff-counts")).toHaveText("+4 −0 lines");
  await expect(removedLines(added)).toHaveCount(0);

  // Any two versions: back to the first change.
  await compare.getByLabel("From").selectOption({ label: "Version 1" });
  await compare.getByLabel("To").selectOption({ label: "Version 2" });
  await expect(compare.getByTestId("version-diff")).toContainText("Version 1 → Version 2");
  await expect(compare.getByRole("region", { name: "greet.js (added)" })).toHaveCount(0);
  await expectGreetingChange(compare.getByRole("region", { name: "main.js (changed)" }));

  // Staff can compare the latest with an older version than the one before it.
  await teacher.reload();
  await row.getByRole("button", { name: "Open" }).click();
  await expect(changes.getByTestId("version-diff")).toContainText("Version 2 → Version 3");
  await changes.getByLabel("Compare with").selectOption({ label: "Version 1" });
  await expect(changes.getByTestId("version-diff")).toContainText("Version 1 → Version 3");
  await expect(removedLines(changes.getByRole("region", { name: "main.js (removed)" }))).toHaveText(V1.split("\n"));
});
