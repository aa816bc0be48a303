import { expect, test } from "@playwright/test";
import { codeIn, connected, setCode, signIn } from "./helpers";

// The demo course's live class and its assignment "Add two numbers" (starter main.js; 2 + 3 points of tests).
test("in a live class the teacher hands out the starter code, and a student finishes it and submits it from the editor", async ({ browser }) => {
  const teacher = await signIn(browser, "instructor@demo.thirdspace.test", "demo-instructor");
  await teacher.getByRole("link", { name: /Introduction to Programming/ }).click();
  await teacher.getByTestId("class-item").filter({ hasText: "Live demo class" }).getByRole("button", { name: "Enter room" }).click();
  await connected(teacher);

  const student = await signIn(browser, "student@demo.thirdspace.test", "demo-student");
  await student.getByRole("link", { name: /Introduction to Programming/ }).click();
  await student.getByTestId("class-item").filter({ hasText: "Live demo class" }).getByRole("button", { name: "Join live class" }).click();
  await connected(student);
  await setCode(student, ".student", "// my own work");

  await teacher.getByRole("tab", { name: "Homework" }).click();
  await expect(teacher.getByLabel("Assignment")).toHaveValue("demoassign01");
  await teacher.getByRole("button", { name: "Hand out starter code" }).click();
  await expect(teacher.getByTestId("share-status")).toHaveText(/^Shared to 1 student at /);
  await expect(codeIn(teacher, ".teacher")).toContainText("// Add two numbers: see the handout.");

  // It lands in the student's editor, undoably.
  await expect(codeIn(student, ".student")).toContainText("export function add(a, b) {");
  await expect(student.getByTestId("teacher-code-notice")).toContainText("shared code into your editor");

  await setCode(student, ".student", 'export function add(a, b) {\n  return a + b;\n}\nconst [a, b] = (input() ?? "2 3").split(" ").map(Number);\nconsole.log(add(a, b));');
  await student.getByRole("tab", { name: "Homework" }).click();
  await expect(student.getByLabel("Assignment")).toHaveValue("demoassign01");
  await student.getByRole("button", { name: "Submit my code" }).click();
  await expect(student.getByTestId("hand-in-status")).toHaveText(/^Handed in as version \d+ at .+\. See the result$/);
  const version = /version (\d+)/.exec((await student.getByTestId("hand-in-status").textContent())!)![1];

  await student.getByRole("link", { name: "See the result" }).click();
  const latest = student.getByTestId("version").first();
  await expect(latest).toContainText(`Version ${version}`);
  await expect(latest.getByTestId("score")).toHaveText("Autograder: 5 / 5 points");

  // The course page shows the student where they stand.
  await student.getByRole("link", { name: "ThirdSpace" }).first().click();
  await student.getByRole("link", { name: /Introduction to Programming/ }).click();
  await expect(student.getByTestId("assignment-item").filter({ hasText: "Add two numbers" }).getByTestId("own-status")).toHaveText(
    new RegExp(`^Handed in: version ${version}, .+ · autograder 5 / 5$`),
  );
});
