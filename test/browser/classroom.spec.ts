import { expect, test } from "@playwright/test";
import { codeIn, connected, fillSignUp, say, setCode, signUp } from "./helpers";

test("a teacher and a student run code, share both ways, and see the roster change", async ({ browser }) => {
  const teacherContext = await browser.newContext();
  const teacher = await teacherContext.newPage();
  await signUp(teacher, "Grace");
  await teacher.getByLabel("Room title").fill("Loops 101");
  await teacher.getByRole("button", { name: "Create a room" }).click();
  const studentLink = await teacher.getByTestId("student-link").inputValue();
  expect(studentLink).toMatch(/\/room\/[A-Za-z0-9]{10}$/);
  await teacher.getByRole("button", { name: "Enter as teacher" }).click();
  await connected(teacher);
  await expect(teacher.getByText("Loops 101")).toBeVisible();
  await expect(teacher.getByText("Teacher view")).toBeVisible();
  await expect(teacher.getByRole("list", { name: "Roster" })).toContainText("No students yet");

  // A second browser context is a different person: no teacher token there.
  // The link first asks them to sign in, then brings them back to the room.
  const studentContext = await browser.newContext();
  const student = await studentContext.newPage();
  await student.goto(studentLink);
  await expect(student.getByRole("heading", { name: "Sign in" })).toBeVisible();
  await student.getByRole("link", { name: "Create an account" }).click();
  await fillSignUp(student, "Ada");
  await connected(student);
  await expect(student.getByText("Student view")).toBeVisible();
  await expect(student.getByText("Teacher: Grace")).toBeVisible();
  await expect(teacher.getByRole("list", { name: "Roster" })).toContainText("Ada");
  await expect(teacher.getByRole("heading", { name: "Students (1)" })).toBeVisible();

  // The student runs code: stdout and errors are shown apart.
  const studentCode = 'console.log("sum", 2 + 3);\nconsole.error("careful");\n"done"';
  await setCode(student, ".workbench", studentCode);
  await student.keyboard.press("ControlOrMeta+Enter");
  await expect(student.getByTestId("stdout")).toHaveText("sum 5");
  await expect(student.getByTestId("stderr")).toHaveText("careful");
  await expect(student.getByTestId("result")).toHaveText('⇒ "done"');

  // An endless loop is stopped, and the page says so.
  await setCode(student, ".workbench", "while (true) {}");
  await student.getByRole("button", { name: "Run" }).click();
  await expect(student.getByTestId("stderr")).toContainText("Your program ran too long and was stopped (it may have an endless loop).");
  await setCode(student, ".workbench", studentCode);

  // Student → teacher.
  await student.getByRole("button", { name: "Share with teacher" }).click();
  await expect(student.getByText(/Shared with teacher at/)).toBeVisible();
  await expect(teacher.getByTitle("New code shared")).toBeVisible();
  await teacher.getByRole("button", { name: "Ada" }).click();
  await expect(teacher.getByRole("heading", { name: "Ada's shared code" })).toBeVisible();
  await expect(codeIn(teacher, ".viewer")).toContainText('console.log("sum", 2 + 3);');
  await expect(codeIn(teacher, ".viewer")).toHaveAttribute("contenteditable", "false");

  // The teacher runs their own code, then shares it to every student.
  await setCode(teacher, ".workbench", 'console.log("from the teacher")');
  await teacher.getByRole("button", { name: "Run" }).click();
  await expect(teacher.getByTestId("stdout")).toHaveText("from the teacher");
  await teacher.getByRole("button", { name: "Share to all students" }).click();
  await expect(teacher.getByText(/^Shared to 1 student at /)).toBeVisible();

  // It lands in the student's editor, and the student can get their own code back.
  await expect(codeIn(student, ".workbench")).toHaveText('console.log("from the teacher")');
  await expect(student.getByTestId("teacher-code-notice")).toContainText("Grace shared code into your editor.");
  await student.getByRole("button", { name: "Undo (get my code back)" }).click();
  await expect(codeIn(student, ".workbench")).toContainText('console.log("sum", 2 + 3);');

  // The student leaves: the teacher's roster updates live.
  await studentContext.close();
  await expect(teacher.getByRole("heading", { name: "Students (0)" })).toBeVisible();
  await expect(teacher.getByRole("list", { name: "Roster" })).toContainText("Ada (left)");
  await teacherContext.close();
});

test("two people with the same name are both let in and told apart", async ({ browser }) => {
  const host = await (await browser.newContext()).newPage();
  await signUp(host, "Host");
  await host.getByRole("button", { name: "Create a room" }).click();
  const link = await host.getByTestId("student-link").inputValue();
  await host.getByRole("button", { name: "Enter as teacher" }).click();
  await connected(host);

  const first = await (await browser.newContext()).newPage();
  await signUp(first, "Sam");
  await first.goto(link);
  await connected(first);

  // Another account called Sam cannot lock the first one out: it is "Sam (2)" here.
  const second = await (await browser.newContext()).newPage();
  await signUp(second, "Sam");
  await second.goto(link);
  await connected(second);
  const roster = host.getByRole("list", { name: "Roster" });
  await expect(roster).toContainText("Sam (2)");
  await expect(host.getByRole("heading", { name: "Students (2)" })).toBeVisible();
  // Each sees the name the class sees them by.
  await expect(second.getByTestId("who")).toHaveText("Sam (2)");
  await expect(first.getByTestId("who")).toHaveText("Sam");

  // The second Sam's message is theirs (they may edit it) and the class sees whose.
  await say(second, "hello from the other Sam");
  const mine = second.getByTestId("chat-message").filter({ hasText: "hello from the other Sam" });
  await expect(mine.getByRole("button", { name: "Edit" })).toBeVisible();
  await expect(mine).toContainText("Sam (2)");
  const theirs = first.getByTestId("chat-message").filter({ hasText: "hello from the other Sam" });
  await expect(theirs).toContainText("Sam (2)");
  await expect(theirs.getByRole("button", { name: "Edit" })).toHaveCount(0);
});

test("a room that does not exist says so", async ({ page }) => {
  await signUp(page, "Wanderer");
  await page.goto("/room/DoesNotExist");
  await expect(page.getByRole("alert")).toHaveText("This room does not exist, or it is not one of your classes.");
  await expect(page.getByRole("heading", { name: "Room not found" })).toBeVisible();
  // Not a connection problem: no connection was ever opened.
  await expect(page.getByTestId("connection")).toHaveCount(0);
  await page.getByRole("link", { name: "Back to your courses" }).click();
  await expect(page).toHaveURL(/\/$/);
});

test("a dropped connection reconnects by itself, joins again and keeps working", async ({ browser }) => {
  const teacherPage = await (await browser.newContext()).newPage();
  await signUp(teacherPage, "Grace");
  await teacherPage.getByRole("button", { name: "Create a room" }).click();
  const link = await teacherPage.getByTestId("student-link").inputValue();
  await teacherPage.getByRole("button", { name: "Enter as teacher" }).click();
  await connected(teacherPage);

  // Route the student's socket through the test so it can cut it, as a flaky network would.
  const student = await (await browser.newContext()).newPage();
  await signUp(student, "Ada");
  const routes: { close: () => Promise<void> }[] = [];
  await student.routeWebSocket(/\/api\/rooms\/.+\/ws$/, (ws) => {
    ws.connectToServer();
    routes.push({ close: () => ws.close({ code: 4000, reason: "network drop" }) });
  });
  await student.goto(link);
  await connected(student);
  await expect(teacherPage.getByRole("heading", { name: "Students (1)" })).toBeVisible();

  await routes[0]!.close();
  await expect(student.getByTestId("connection")).toHaveText("Reconnecting…");
  await expect(student.getByTestId("connection")).toHaveText("Connected");
  expect(routes.length).toBe(2);
  await expect(teacherPage.getByRole("heading", { name: "Students (1)" })).toBeVisible();

  await setCode(student, ".workbench", "after()");
  await student.getByRole("button", { name: "Share with teacher" }).click();
  await teacherPage.getByRole("button", { name: "Ada" }).click();
  await expect(codeIn(teacherPage, ".viewer")).toHaveText("after()");
});

test("a signed-out teacher opening the teacher link signs in and becomes the teacher, and the token never shows in an address", async ({ browser }) => {
  const owner = await (await browser.newContext()).newPage();
  await signUp(owner, "Grace");
  await owner.getByRole("button", { name: "Create a room" }).click();
  const teacherLink = await owner.getByTestId("teacher-link").inputValue();
  expect(teacherLink).toMatch(/#teacher=/);

  // The same teacher on another computer, signed out.
  const elsewhere = await (await browser.newContext()).newPage();
  const addresses: string[] = [];
  elsewhere.on("framenavigated", (frame) => addresses.push(frame.url()));
  await elsewhere.goto(teacherLink);
  await expect(elsewhere).toHaveURL(/\/signin\?next=%2Froom%2F[A-Za-z0-9]+$/);
  expect(elsewhere.url()).not.toContain("teacher");
  await elsewhere.getByRole("link", { name: "Create an account" }).click();
  await fillSignUp(elsewhere, "Grace again");
  await connected(elsewhere);
  await expect(elsewhere.getByText("Teacher view")).toBeVisible();
  expect(elsewhere.url()).not.toContain("teacher=");
  expect(addresses.slice(1).filter((a) => a.includes("teacher="))).toEqual([]);
});
