import { readFileSync } from "node:fs";
import { expect, test, type Browser, type Page } from "@playwright/test";

async function signIn(browser: Browser, email: string, password: string): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await page.goto("/signin");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("heading", { name: "Your courses" })).toBeVisible();
  return page;
}

test("a teacher creates an assignment with a visible and a hidden test, a student is graded, the teacher comments on a line and releases, and the grade is in the CSV", async ({ browser }) => {
  const title = `Echo ${Date.now().toString(36)}`;
  const teacher = await signIn(browser, "instructor@demo.thirdspace.test", "demo-instructor");
  await teacher.getByRole("link", { name: /Introduction to Programming/ }).click();
  const form = teacher.getByRole("form", { name: "New assignment" });
  await form.getByLabel("Assignment title").fill(title);
  await form.getByLabel("Points").fill("4");
  await form.getByLabel("Due (UTC)").fill("2099-01-01T12:00");
  await form.getByLabel("Publish now (students see it)").check();
  await form.getByRole("button", { name: "Create assignment" }).click();
  await expect(teacher.getByRole("heading", { name: title })).toBeVisible();

  const tests = [
    { kind: "io", name: "echoes a line", points: 1, stdin: "hello\n", expected: "hello" },
    { kind: "io", name: "echoes a secret", points: 3, hidden: true, stdin: "zebra-42\n", expected: "zebra-42" },
  ];
  await teacher.getByLabel("Tests (JSON)").fill(JSON.stringify(tests));
  await teacher.getByRole("button", { name: "Save tests" }).click();
  await expect(teacher.getByRole("status")).toHaveText("Saved: version 1.");

  const student = await signIn(browser, "student@demo.thirdspace.test", "demo-student");
  await student.getByRole("link", { name: /Introduction to Programming/ }).click();
  await student.getByRole("region", { name: "Assignments" }).getByRole("link", { name: title }).click();
  await student.getByRole("region", { name: "Hand in" }).getByLabel("Code").fill("console.log(input())");
  await student.getByRole("region", { name: "Hand in" }).getByRole("button", { name: "Hand in" }).click();
  await expect(student.getByTestId("version").first().getByTestId("score")).toHaveText("Autograder: 4 / 4 points");
  await expect(student.locator("body")).not.toContainText("zebra");
  await expect(student.getByTestId("final-score")).toHaveCount(0); // not released yet

  // The teacher reads the latest submission and comments on its first line.
  await teacher.reload();
  const row = teacher.getByTestId("submission-row").filter({ hasText: "Ada (demo student)" });
  await row.getByRole("button", { name: "Open" }).click();
  await expect(teacher.getByTestId("review-score")).toHaveText("Autograder: 4 / 4");
  await teacher.getByRole("button", { name: "Comment on main.js line 1" }).click();
  await teacher.getByRole("textbox", { name: "Comment" }).fill("Neat: **one line**.");
  await teacher.getByRole("button", { name: "Add comment" }).click();
  await expect(teacher.getByTestId("review-comment")).toHaveText("Grace (demo instructor): Neat: **one line**.");

  await teacher.getByRole("button", { name: "Release grades" }).click();
  await expect(teacher.getByRole("status")).toHaveText("Grades released: students see comments and final scores.");
  await student.reload();
  await expect(student.getByTestId("version").first().getByTestId("final-score")).toHaveText("Final score: 4");
  await expect(student.getByTestId("version").first().getByTestId("comment")).toContainText("main.js, line 1 · Grace (demo instructor)");
  await expect(student.getByTestId("version").first().getByTestId("comment").locator("strong")).toHaveText("one line");

  const download = teacher.waitForEvent("download");
  await teacher.getByRole("link", { name: "Gradebook (CSV)" }).click();
  const csv = readFileSync(await (await download).path(), "utf8").replace(/^\ufeff/, "");
  const [header, ...rows] = csv.trim().split("\r\n").map((line: string) => line.split(","));
  const column = header!.indexOf(`${title} (4)`);
  expect(column).toBeGreaterThan(1);
  const ada = rows.find((r: string[]) => r[0] === "Ada (demo student)")!;
  expect(ada[1]).toBe("student@demo.thirdspace.test");
  expect(ada[column]).toBe("4");
});
