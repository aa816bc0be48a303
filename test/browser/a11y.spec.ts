import { expect, test, type Page } from "@playwright/test";
import { duplicateIds, expectAccessible } from "./a11y";
import { connected, signIn, signUp } from "./helpers";

const INSTRUCTOR = ["instructor@demo.thirdspace.test", "demo-instructor"] as const;
const STUDENT = ["student@demo.thirdspace.test", "demo-student"] as const;
const COURSE = /Introduction to Programming/;

/** From the dashboard to the demo course's page, once its schedule and lecture list are in. */
async function openCourse(page: Page): Promise<void> {
  await page.getByRole("link", { name: COURSE }).click();
  await expect(page.getByTestId("class-item").first()).toBeVisible();
  await expect(page.getByRole("region", { name: "Lectures" })).toBeVisible();
}

async function openAssignment(page: Page): Promise<void> {
  await page.getByRole("region", { name: "Assignments" }).getByRole("link", { name: "Add two numbers" }).click();
  await expect(page.getByRole("heading", { name: "Add two numbers", level: 1 })).toBeVisible();
}

/** The demo course's class that is on now (npm start schedules one on every start). */
const openClass = (page: Page) => page.getByTestId("class-item").filter({ hasText: "Open now" }).first();

for (const scheme of ["light", "dark"] as const) {
  test(`every page and room view has no serious accessibility violations (${scheme})`, async ({ browser }) => {
    test.setTimeout(180_000);
    const prepare = async (page: Page) => {
      await page.emulateMedia({ colorScheme: scheme });
      return page;
    };

    // Signed out.
    // axe needs a page of a context the test made (browser.newPage's own context will not do).
    const visitor = await prepare(await (await browser.newContext()).newPage());
    await visitor.goto("/");
    await expect(visitor.getByRole("link", { name: "Create an account" })).toBeVisible();
    await expectAccessible(visitor, "home, signed out");
    await visitor.goto("/signin");
    await expect(visitor.getByRole("button", { name: "Sign in" })).toBeVisible();
    await expectAccessible(visitor, "sign in");
    await visitor.goto("/signup");
    await expect(visitor.getByRole("button", { name: "Sign up" })).toBeVisible();
    await expectAccessible(visitor, "sign up");
    // A field's hint, and then its error, describe it: neither is part of its name.
    const password = visitor.getByLabel("Password", { exact: true });
    await expect(password).toHaveAccessibleName("Password");
    await expect(password).toHaveAccessibleDescription("At least 8 characters.");
    await password.fill("short");
    await visitor.getByRole("button", { name: "Sign up" }).click();
    await expect(password).toHaveAttribute("aria-invalid", "true");
    await expect(password).toHaveAccessibleDescription(/8 characters/);
    await expect(password).not.toHaveAccessibleDescription("At least 8 characters.");
    await expectAccessible(visitor, "sign up, with errors");

    // The instructor: dashboard, course page (schedule, lectures, files, forms), its settings open, an assignment.
    const instructor = await prepare(await signIn(browser, ...INSTRUCTOR));
    await expectAccessible(instructor, "dashboard");
    await openCourse(instructor);
    await expectAccessible(instructor, "course page, instructor, with the lecture list");
    await instructor.getByRole("button", { name: "Edit course" }).click();
    await expect(instructor.getByRole("form", { name: "Edit course" })).toBeVisible();
    await expectAccessible(instructor, "course page with Edit course open");
    expect(await duplicateIds(instructor), "ids used twice with Edit course open").toEqual([]);
    const inviteLink = await instructor.getByTestId("invite-link").inputValue();
    await openAssignment(instructor);
    await expectAccessible(instructor, "assignment page, staff");

    // Someone new follows the invite link.
    await signUp(visitor, "Newcomer");
    await visitor.goto(inviteLink);
    await expect(visitor.getByRole("button", { name: "Join course" })).toBeVisible();
    await expectAccessible(visitor, "enrol page");

    // The student: the assignment, then the live class.
    const student = await prepare(await signIn(browser, ...STUDENT));
    await openCourse(student);
    await openAssignment(student);
    await expectAccessible(student, "assignment page, student");
    await student.goBack();
    await openClass(student).getByRole("button", { name: "Join live class" }).click();
    await connected(student);
    await expect(student.locator(".cm-content").first()).toBeVisible();
    await expectAccessible(student, "student's room");

    // The teacher's room, then with the student picked (their shared code opens beside the editor).
    await instructor.goBack();
    await openClass(instructor).getByRole("button", { name: "Enter room" }).click();
    await connected(instructor);
    const roster = instructor.getByRole("list", { name: "Roster" });
    await expect(roster).toContainText("Ada");
    await expectAccessible(instructor, "teacher's room");
    await roster.getByRole("button", { name: /Ada/ }).click();
    await expect(instructor.getByRole("heading", { name: /Ada.*shared code/ })).toBeVisible();
    await expectAccessible(instructor, "teacher's room, a student picked");
    await instructor.getByRole("tab", { name: /Help/ }).click();
    await expectAccessible(instructor, "teacher's room, help queue");
  });
}
