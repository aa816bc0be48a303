import { readFileSync } from "node:fs";
import { expect, test } from "@playwright/test";
import { signIn } from "./helpers";

/** A handout of two upload parts (8 MiB each by default), so one part can be lost and resent alone. */
const HANDOUT = Buffer.concat([Buffer.from("Echo: print the line you read.\n"), Buffer.alloc(9 * 1024 * 1024, "-")]);

test("a teacher creates an assignment with an uploaded handout and a visible and a hidden test, a student fails then passes, the teacher comments on a line and releases, and the grade is in the CSV", async ({ browser }) => {
  const title = `Echo ${Date.now().toString(36)}`;
  const teacher = await signIn(browser, "instructor@demo.thirdspace.test", "demo-instructor");
  await teacher.getByRole("link", { name: /Introduction to Programming/ }).click();
  const form = teacher.getByRole("form", { name: "New assignment" });

  // The network drops while part 2 is on its way: the upload says so, waits, asks what arrived and resends part 2 alone.
  const sentParts: string[] = [];
  let dropped = false;
  await teacher.route("**/api/uploads/*/parts/*", (route) => {
    const part = route.request().url().split("/").pop()!;
    sentParts.push(part);
    if (part === "2" && !dropped) {
      dropped = true;
      return route.abort("internetdisconnected");
    }
    return route.continue();
  });
  await form.getByLabel("Handouts (students download them)", { exact: true }).setInputFiles({ name: "echo-handout.txt", mimeType: "text/plain", buffer: HANDOUT });
  const upload = form.getByTestId("upload");
  await expect(upload.getByRole("progressbar", { name: "Uploading echo-handout.txt" })).toBeVisible();
  await expect(upload.getByTestId("upload-status")).toContainText(/MB of 9\.\d MB · connection lost, resuming by itself…/);
  await expect(form.getByTestId("attached-file")).toHaveText(/echo-handout\.txt/);
  await expect(upload).toHaveCount(0);
  expect(sentParts.sort()).toEqual(["1", "2", "2"]);

  await form.getByLabel("Assignment title").fill(title);
  await form.getByLabel("Points").fill("4");
  await form.getByLabel("Due (UTC)").fill("2099-01-01T12:00");
  // Created as a draft, then published from its page.
  await form.getByRole("button", { name: "Create assignment" }).click();
  await expect(teacher.getByRole("heading", { name: title })).toBeVisible();
  await expect(teacher.getByTestId("draft-notice")).toBeVisible();
  await teacher.locator("summary", { hasText: "Edit assignment" }).click();
  const edit = teacher.getByRole("form", { name: "Edit assignment" });
  await expect(edit.getByLabel("Assignment title")).toHaveValue(title);
  await expect(edit.getByTestId("attached-file")).toHaveText(/echo-handout\.txt/);
  await edit.getByLabel("Published (students see it)").check();
  await edit.getByRole("button", { name: "Save changes" }).click();
  await expect(edit.getByRole("status")).toHaveText("Saved. Students see it.");
  await expect(teacher.getByTestId("draft-notice")).toHaveCount(0);

  const tests = [
    { kind: "io", name: "echoes a line", points: 1, stdin: "hello\n", expected: "hello" },
    { kind: "io", name: "echoes a secret", points: 3, hidden: true, stdin: "zebra-42\n", expected: "zebra-42" },
  ];
  await teacher.getByLabel("Tests (JSON)").fill(JSON.stringify(tests));
  await teacher.getByRole("button", { name: "Save tests" }).click();
  await expect(teacher.getByRole("region", { name: "Staff" }).getByRole("status")).toHaveText("Saved: version 1. Regrade everyone to apply them to work already handed in.");

  const student = await signIn(browser, "student@demo.thirdspace.test", "demo-student");
  await student.getByRole("link", { name: /Introduction to Programming/ }).click();
  await student.getByRole("region", { name: "Assignments" }).getByRole("link", { name: title }).click();
  const handout = await student.request.get((await student.getByRole("link", { name: "echo-handout.txt" }).getAttribute("href"))!);
  expect(handout.status()).toBe(200);
  expect(Buffer.compare(await handout.body(), HANDOUT)).toBe(0);

  const hand = student.getByRole("region", { name: "Hand in" });
  await hand.getByLabel("Code").fill("console.log(input().toUpperCase())");
  await hand.getByRole("button", { name: "Hand in" }).click();
  await expect(student.getByTestId("version").first().getByTestId("score")).toHaveText("Autograder: 0 / 4 points");
  await expect(student.getByTestId("version").first().getByTestId("test-result")).toContainText('✗ echoes a line: failed (0/1)Expected "hello", got "HELLO".');
  await expect(student.getByTestId("version").first().getByTestId("hidden-result")).toHaveText("Hidden tests: 0 of 1 passed (0/3)");
  await hand.getByLabel("Code").fill("console.log(input())");
  await hand.getByRole("button", { name: "Hand in" }).click();
  await expect(student.getByTestId("version").first()).toContainText("Version 2");
  await expect(student.getByTestId("version").first().getByTestId("score")).toHaveText("Autograder: 4 / 4 points");
  await expect(student.locator("body")).not.toContainText("zebra");
  await expect(student.getByTestId("final-score")).toHaveCount(0); // not released yet

  // The teacher reads the latest submission and comments on its first line.
  await teacher.reload();
  const row = teacher.getByTestId("submission-row").filter({ hasText: "Ada (demo student)" });
  await row.getByRole("button", { name: "Open" }).click();
  await expect(teacher.getByTestId("score")).toHaveText("Autograder: 4 / 4 points");
  // Staff see every test's verdict, the hidden one included.
  await expect(teacher.getByTestId("test-result")).toHaveText(["✓ echoes a line: passed (1/1)", "✓ echoes a secret: passed (3/3)"]);
  await teacher.getByRole("button", { name: "Comment on main.js line 1" }).click();
  await teacher.getByRole("textbox", { name: "Comment" }).fill("Neat: **one line**.");
  await teacher.getByRole("button", { name: "Add comment" }).click();
  await expect(teacher.getByTestId("review-comment")).toHaveText("Grace (demo instructor): Neat: one line.");
  await expect(teacher.getByTestId("review-comment").locator("strong")).toHaveText("one line");

  await teacher.getByRole("button", { name: "Release grades" }).click();
  await expect(teacher.getByRole("region", { name: "Staff" }).getByRole("status")).toHaveText("Grades released: students see comments and final scores.");
  await student.reload();
  await expect(student.getByTestId("version").first().getByTestId("final-score")).toHaveText("Final score: 4");
  await expect(student.getByTestId("version").first().getByTestId("comment")).toContainText("main.js, line 1 · Grace (demo instructor)");
  await expect(student.getByTestId("version").first().getByTestId("comment").locator("strong")).toHaveText("one line");

  // The teacher overrides the score, with a reason; the student and the gradebook get the new final score.
  const score = teacher.getByRole("form", { name: "Override the score" });
  await score.getByLabel("Score").fill("3.5");
  await score.getByLabel("Reason").fill("Reads only one line.");
  await score.getByRole("button", { name: "Set score" }).click();
  await expect(teacher.getByTestId("review-final")).toContainText("Final score: 3.5 (set by staff to 3.5: Reads only one line.)");
  await student.reload();
  await expect(student.getByTestId("version").first().getByTestId("final-score")).toHaveText("Final score: 3.5");
  await expect(student.getByTestId("version").first().getByTestId("override-reason")).toHaveText("Set by staff: Reads only one line.");

  // An extension for Ada: listed for staff, and her own due time on her page.
  const extension = teacher.getByRole("form", { name: "Give an extension" });
  await extension.getByLabel("Student").selectOption({ label: "Ada (demo student)" });
  await extension.getByLabel("New due time (UTC)").fill("2099-01-03T12:00");
  await extension.getByRole("button", { name: "Give extension" }).click();
  await expect(teacher.getByTestId("extension")).toContainText("Ada (demo student): due 2099-01-03 12:00 (UTC)");
  await student.reload();
  await expect(student.getByTestId("due")).toContainText("Due Jan 3, 2099, 12:00 PM (UTC) (your extension)");

  const download = teacher.waitForEvent("download");
  await teacher.getByRole("link", { name: "Gradebook (CSV)" }).click();
  const csv = readFileSync(await (await download).path(), "utf8").replace(/^\ufeff/, "");
  const [header, ...rows] = csv.trim().split("\r\n").map((line: string) => line.split(","));
  const column = header!.indexOf(`${title} (4)`);
  expect(column).toBeGreaterThan(1);
  const ada = rows.find((r: string[]) => r[0] === "Ada (demo student)")!;
  expect(ada[1]).toBe("student@demo.thirdspace.test");
  expect(ada[column]).toBe("3.5");
});
