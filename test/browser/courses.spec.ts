import { expect, test } from "@playwright/test";
import { connected, createCourse, fillSignUp, signUp } from "./helpers";

/** "YYYY-MM-DDTHH:MM" in UTC, what a datetime-local input takes for a UTC course. */
const utcLocal = (ms: number) => new Date(ms).toISOString().slice(0, 16);

test("an instructor schedules a class, a student enrols by link and joins it, the instructor sees them", async ({ browser }) => {
  // The instructor signs up, creates a course and schedules a class that is on now.
  const instructor = await (await browser.newContext()).newPage();
  await signUp(instructor, "Grace");
  await createCourse(instructor, { title: "Programming in JavaScript", code: "JS101", timezone: "UTC" });
  await expect(instructor.getByRole("heading", { name: "Programming in JavaScript" })).toBeVisible();

  // Field errors show beside the fields.
  const schedule = instructor.getByRole("form", { name: "Schedule a class" });
  await schedule.getByLabel("Class title").fill("Week 1: values");
  await schedule.getByLabel("Starts").fill(utcLocal(Date.now() + 60 * 60_000));
  await schedule.getByLabel("Ends").fill(utcLocal(Date.now()));
  await schedule.getByRole("button", { name: "Schedule" }).click();
  await expect(schedule.getByText("must be after the start")).toBeVisible();

  await schedule.getByLabel("Starts").fill(utcLocal(Date.now() - 2 * 60_000));
  await schedule.getByLabel("Ends").fill(utcLocal(Date.now() + 60 * 60_000));
  await schedule.getByLabel("Repeat weekly for (weeks)").fill("3");
  await schedule.getByRole("button", { name: "Schedule" }).click();
  await expect(schedule.getByRole("status")).toHaveText("Scheduled 3 classes.");
  await expect(instructor.getByTestId("class-item")).toHaveCount(3);
  // The form is ready for the next class: empty, and back to a single week.
  await expect(schedule.getByLabel("Class title")).toHaveValue("");
  await expect(schedule.getByLabel("Repeat weekly for (weeks)")).toHaveValue("1");
  await expect(instructor.getByTestId("class-item").first()).toContainText("Open now");
  const inviteLink = await instructor.getByTestId("invite-link").inputValue();
  expect(inviteLink).toMatch(/\/enrol\/[A-Za-z0-9]{8}$/);

  // The student follows the invite link: sign up, enrol, and join the live class.
  const student = await (await browser.newContext()).newPage();
  await student.goto(inviteLink);
  await student.getByRole("link", { name: "Create an account" }).click();
  await fillSignUp(student, "Ada");
  // Nothing is joined until the student says so, knowing which course and whose.
  await expect(student.getByRole("heading", { name: "Join Programming in JavaScript" })).toBeVisible();
  await expect(student.getByRole("region", { name: "Invitation" })).toContainText("taught by");
  await student.getByRole("button", { name: "Join course" }).click();
  await expect(student.getByRole("heading", { name: "Programming in JavaScript" })).toBeVisible();
  const live = student.getByTestId("class-item").first();
  await expect(live.getByRole("button", { name: "Join live class" })).toBeEnabled();
  await expect(student.getByTestId("class-item").nth(1).getByRole("button", { name: "Join live class" })).toBeDisabled();
  await live.getByRole("button", { name: "Join live class" }).click();
  await connected(student);
  await expect(student.getByText("Student view")).toBeVisible();

  // The instructor sees them on the course roster and in the live room.
  await instructor.getByRole("region", { name: "Course roster" }).getByRole("button", { name: "Refresh" }).click();
  await expect(instructor.getByRole("region", { name: "Course roster" })).toContainText("Ada");
  await instructor.getByTestId("class-item").first().getByRole("button", { name: "Enter room" }).click();
  await connected(instructor);
  await expect(instructor.getByText("Teacher view")).toBeVisible();
  await expect(instructor.getByRole("list", { name: "Roster" })).toContainText("Ada");

  // The instructor closes the room: the student is sent out and told why.
  await instructor.goBack();
  await instructor.getByTestId("class-item").first().getByRole("button", { name: "Close" }).click();
  await expect(student.getByTestId("connection-problem")).toContainText("The class room has closed.");
  await expect(student.getByTestId("connection-problem").getByRole("button", { name: "Reload" })).toBeVisible();

  // The instructor edits the course; a bad field is named beside it.
  await instructor.getByRole("button", { name: "Edit course" }).click();
  const edit = instructor.getByRole("form", { name: "Edit course" });
  await edit.getByLabel("Title").fill("");
  await edit.getByRole("button", { name: "Save" }).click();
  await expect(edit.getByText("must not be empty")).toBeVisible();
  await edit.getByLabel("Title").fill("JavaScript Foundations");
  await edit.getByRole("button", { name: "Save" }).click();
  await expect(instructor.getByRole("heading", { name: "JavaScript Foundations" })).toBeVisible();

  // Between classes, the course chat still works.
  await student.goto(inviteLink.replace(/\/enrol\/.*/, "/"));
  await student.getByRole("link", { name: /JS101/ }).click();
  const courseChat = student.getByRole("region", { name: "Course chat" });
  await expect(courseChat.getByTestId("connection")).toHaveText("Connected");
  await courseChat.getByRole("textbox", { name: "Message" }).fill("Thanks for today!");
  await courseChat.getByRole("textbox", { name: "Message" }).press("Enter");
  await expect(instructor.getByRole("region", { name: "Course chat" }).getByTestId("chat-message")).toContainText("Thanks for today!");
});

test("pages cannot be framed by another site and send no referrer off the site", async ({ page }) => {
  // "/" is the page itself; "/signin" is the single-page fallback.
  for (const path of ["/", "/signin"]) {
    const res = await page.goto(path);
    const headers = res!.headers();
    expect(headers["content-type"]).toContain("text/html");
    expect(headers["content-security-policy"]).toContain("frame-ancestors 'none'");
    expect(headers).toMatchObject({ "x-frame-options": "DENY", "referrer-policy": "same-origin", "x-content-type-options": "nosniff" });
  }
  // Framed, the page is replaced by the browser's own error page.
  await page.setContent(`<iframe src="${new URL("/", page.url()).href}"></iframe>`);
  await expect.poll(() => page.frames()[1]?.url()).toBe("chrome-error://chromewebdata/");
});

test("sign-in errors are clear and do not say whether the email exists", async ({ page }) => {
  await page.goto("/signin");
  await page.getByLabel("Email").fill("nobody@example.com");
  await page.getByLabel("Password").fill("wrong password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("alert")).toHaveText("Email or password is incorrect.");

  await page.goto("/signup");
  await page.getByLabel("Display name").fill("Shorty");
  await page.getByLabel("Email").fill("not-an-email");
  await page.getByLabel("Password").fill("short");
  await page.getByRole("button", { name: "Sign up" }).click();
  await expect(page.getByText("must be an email address")).toBeVisible();
  await expect(page.getByText("must be at least 8 characters")).toBeVisible();
});
