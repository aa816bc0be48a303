import { expect, test, type Locator, type Page } from "@playwright/test";
import { connected, createCourse, fillSignUp, say, setCode, signUp, studentIn, teacherInNewRoom } from "./helpers";

const SCREEN = { width: 1280, height: 800 };

async function box(locator: Locator) {
  const b = await locator.boundingBox();
  if (!b) throw new Error("not laid out");
  return b;
}

/** Entirely inside the first screenful, without scrolling. */
async function aboveTheFold(page: Page, locator: Locator) {
  await expect(locator).toBeVisible();
  const b = await box(locator);
  expect(b.y).toBeGreaterThanOrEqual(0);
  expect(b.y + b.height).toBeLessThanOrEqual(page.viewportSize()!.height);
}

test("the teacher's editor has the room; a student's code opens beside it when picked, and closes", async ({ browser }) => {
  const { teacher, link } = await teacherInNewRoom(browser);
  await teacher.setViewportSize(SCREEN);
  const editor = teacher.locator(".workbench .editor");
  const studentCode = teacher.getByRole("region", { name: "Student code" });
  expect((await box(editor)).width).toBeGreaterThanOrEqual(700);
  await expect(studentCode).toBeHidden();
  // The starter comment is not cut off.
  const firstLine = teacher.locator(".workbench .cm-line").first();
  await expect(firstLine).toContainText("then press Run (Ctrl/Cmd+Enter).");
  expect((await box(firstLine)).x + (await firstLine.evaluate((el) => el.scrollWidth))).toBeLessThanOrEqual((await box(editor)).x + (await box(editor)).width);
  // Run is the room's one solid button.
  await expect(teacher.locator(".primary:visible")).toHaveText(["Run"]);

  const ada = await studentIn(browser, link, "Ada");
  await ada.getByRole("button", { name: "Share with teacher" }).click();
  await teacher.getByRole("button", { name: "Ada" }).click();
  await expect(studentCode.getByRole("heading", { name: "Ada's shared code" })).toBeVisible();
  expect((await box(editor)).width).toBeLessThan(700);

  await teacher.keyboard.press("Escape");
  await expect(studentCode).toBeHidden();
  expect((await box(editor)).width).toBeGreaterThanOrEqual(700);

  await teacher.getByRole("button", { name: "Ada" }).click();
  await expect(studentCode).toBeVisible();
  await studentCode.getByRole("button", { name: "Close" }).click();
  await expect(studentCode).toBeHidden();

  // A wide code block in chat scrolls inside its message instead of running out of the side panel.
  await say(teacher, "```js\nconst wide = \"" + "x".repeat(160) + "\";\n```");
  const block = teacher.locator(".side .code-block").first();
  await expect(block).toBeVisible();
  const side = await box(teacher.locator("#room-side"));
  const shown = await box(block);
  expect(shown.x + shown.width).toBeLessThanOrEqual(side.x + side.width);
  expect(await block.evaluate((el) => el.scrollWidth > el.clientWidth)).toBe(true);
});

test("the panes resize by dragging and by the arrow keys, and keep their size after a reload", async ({ browser }) => {
  const { teacher } = await teacherInNewRoom(browser);
  await teacher.setViewportSize(SCREEN);
  const handle = teacher.getByRole("separator", { name: "Resize the side panel" });
  const side = teacher.locator("#room-side");
  const start = Number(await handle.getAttribute("aria-valuenow"));
  expect(Math.round((await box(side)).width)).toBe(start);

  // Dragged 100 px to the right, the side panel is 100 px wider.
  const at = await box(handle);
  await teacher.mouse.move(at.x + at.width / 2, at.y + 40);
  await teacher.mouse.down();
  await teacher.mouse.move(at.x + at.width / 2 + 60, at.y + 40);
  await teacher.mouse.move(at.x + at.width / 2 + 100, at.y + 40);
  await teacher.mouse.up();
  await expect(handle).toHaveAttribute("aria-valuenow", String(start + 100));
  expect(Math.round((await box(side)).width)).toBe(start + 100);

  // The keyboard moves it too: 16 px a press.
  await handle.focus();
  await teacher.keyboard.press("ArrowLeft");
  await teacher.keyboard.press("ArrowLeft");
  await expect(handle).toHaveAttribute("aria-valuenow", String(start + 68));

  const editorHandle = teacher.getByRole("separator", { name: "Resize the editor" });
  const height = Number(await editorHandle.getAttribute("aria-valuenow"));
  await editorHandle.focus();
  await teacher.keyboard.press("ArrowUp");
  await expect(editorHandle).toHaveAttribute("aria-valuenow", String(height - 16));
  expect(Math.round((await box(teacher.locator(".workbench .cm-editor"))).height)).toBe(height - 16);

  await teacher.reload();
  await connected(teacher);
  await expect(handle).toHaveAttribute("aria-valuenow", String(start + 68));
  expect(Math.round((await box(side)).width)).toBe(start + 68);
  await expect(editorHandle).toHaveAttribute("aria-valuenow", String(height - 16));
});

test("a new course leads with its invite link and first class; a signed-out student follows the link, signs up and lands in it", async ({ browser }) => {
  const instructor = await (await browser.newContext({ viewport: SCREEN })).newPage();
  await signUp(instructor, "Grace");
  await createCourse(instructor, { title: "Programming in JavaScript", code: "JS101", timezone: "UTC" });

  const start = instructor.getByRole("region", { name: "Get started" });
  const invite = start.getByRole("textbox", { name: "Invite link to send" });
  await aboveTheFold(instructor, invite);
  await aboveTheFold(instructor, start.getByRole("button", { name: "Copy link" }));
  await aboveTheFold(instructor, start.getByRole("button", { name: "Schedule the first class" }));
  await expect(instructor.getByRole("region", { name: "Schedule", exact: true })).toContainText("No classes yet — schedule one to open a room for your students.");
  await expect(instructor.locator(".primary:visible")).toHaveText(["Schedule the first class"]);
  await start.getByRole("button", { name: "Schedule the first class" }).click();
  await expect(instructor.getByRole("form", { name: "Schedule a class" }).getByLabel("Class title")).toBeFocused();
  const inviteLink = await invite.inputValue();

  // A student without an account opens the link.
  const student = await (await browser.newContext({ viewport: SCREEN })).newPage();
  await student.goto(inviteLink);
  const invitation = student.getByRole("region", { name: "Invitation" });
  await expect(invitation.getByRole("heading", { name: "Programming in JavaScript" })).toBeVisible();
  await expect(invitation).toContainText("JS101 · taught by Grace");
  await expect(invitation.getByRole("link", { name: "I have an account: sign in" })).toBeVisible();
  await invitation.getByRole("link", { name: "Create an account" }).click();
  await expect(student.getByText("Then you come straight back to join the course.")).toBeVisible();
  await fillSignUp(student, "Ada");
  await student.getByRole("button", { name: "Join course" }).click();
  await expect(student.getByRole("heading", { name: "Programming in JavaScript" })).toBeVisible();
  await expect(student).toHaveURL(/\/courses\/[A-Za-z0-9]+$/);

  // With a student in and a class scheduled, the course page is the usual one.
  const schedule = instructor.getByRole("form", { name: "Schedule a class" });
  await schedule.getByLabel("Class title").fill("Week 1");
  await schedule.getByLabel("Starts").fill("2099-03-02T10:00");
  await schedule.getByLabel("Ends").fill("2099-03-02T11:00");
  await schedule.getByRole("button", { name: "Schedule" }).click();
  await expect(instructor.getByTestId("class-item")).toHaveCount(1);
  await instructor.reload();
  await expect(instructor.getByTestId("class-item")).toHaveCount(1);
  await expect(instructor.getByRole("region", { name: "Get started" })).toHaveCount(0);
});

test("a signed-out visitor of a link that does not work is told so, with no way to sign up for it", async ({ page }) => {
  await page.goto("/enrol/NOSUCHCODE");
  await expect(page.getByRole("heading", { name: "This invite link is not valid" })).toBeVisible();
  await expect(page.getByRole("link", { name: "Create an account" })).toHaveCount(0);
});

test("the editor and its output fill the screen, and the editor's handle cannot push the output off it", async ({ browser }) => {
  const { teacher } = await teacherInNewRoom(browser);
  await teacher.setViewportSize(SCREEN);
  const output = teacher.locator(".workbench").getByRole("region", { name: "Output" });
  const bottom = async () => {
    const b = await box(output);
    return b.y + b.height;
  };
  // No blank band under the output, and nothing below the fold.
  await expect.poll(bottom).toBeGreaterThan(SCREEN.height - 40);
  await aboveTheFold(teacher, output);

  const editorHandle = teacher.getByRole("separator", { name: "Resize the editor" });
  await editorHandle.focus();
  await teacher.keyboard.press("End");
  await aboveTheFold(teacher, output);
  await teacher.keyboard.press("Home");
  await expect(editorHandle).toHaveAttribute("aria-valuenow", "160");
  await teacher.keyboard.press("End");
  const tallest = Number(await editorHandle.getAttribute("aria-valuenow"));
  expect(tallest).toBeGreaterThan(300);

  // The size kept across a reload still fits.
  await teacher.reload();
  await connected(teacher);
  await expect(editorHandle).toHaveAttribute("aria-valuenow", String(tallest));
  await aboveTheFold(teacher, output);
  // An ad-hoc room belongs to no course.
  await expect(teacher.getByTestId("course-link")).toHaveCount(0);
});

test("an editor switched to TypeScript is still TypeScript after a reload, and its code runs", async ({ browser }) => {
  const { link } = await teacherInNewRoom(browser);
  const ada = await studentIn(browser, link, "Ada");
  await ada.getByLabel("Language").selectOption("typescript");
  await setCode(ada, ".student", "const answer: number = 41;\nconsole.log(answer + 1);");
  await ada.getByRole("button", { name: "Run" }).click();
  await expect(ada.getByTestId("stdout")).toHaveText("42");

  await ada.reload();
  await connected(ada);
  await expect(ada.getByLabel("Language")).toHaveValue("typescript");
  await expect(ada.locator(".student .cm-content").first()).toContainText("const answer: number = 41;");
  await ada.getByRole("button", { name: "Run" }).click();
  await expect(ada.getByTestId("stdout")).toHaveText("42");
  await expect(ada.getByTestId("stderr")).toHaveCount(0);
});

/** "YYYY-MM-DDTHH:MM" on Tokyo's clock (UTC+9 all year), what the schedule form takes for a course in Tokyo. */
const tokyoLocal = (ms: number) => new Date(ms + 9 * 3_600_000).toISOString().slice(0, 16);

test("a class room tells its hours on the course's clock, as the course page does, and leads back to the course", async ({ browser }) => {
  // The instructor is in New York; the course runs in Tokyo.
  const instructor = await (await browser.newContext({ viewport: SCREEN, timezoneId: "America/New_York" })).newPage();
  await signUp(instructor, "Grace");
  await createCourse(instructor, { title: "JavaScript in Tokyo", code: "TK101", timezone: "Asia/Tokyo" });
  const schedule = instructor.getByRole("form", { name: "Schedule a class" });
  await schedule.getByLabel("Class title").fill("Week 1");
  await schedule.getByLabel("Starts").fill(tokyoLocal(Date.now() - 2 * 60_000));
  await schedule.getByLabel("Ends").fill(tokyoLocal(Date.now() + 60 * 60_000));
  await schedule.getByRole("button", { name: "Schedule" }).click();
  const item = instructor.getByTestId("class-item").first();
  await expect(item).toContainText("Open now");
  await item.getByRole("button", { name: "Enter room" }).click();
  await connected(instructor);

  // No seconds, and the zone named, since it is not the reader's.
  const hours = instructor.getByTestId("hours");
  await expect(hours).toHaveText(/^Open until \d{1,2}:\d{2}\s[AP]M \(times in Asia\/Tokyo\)$/);
  const until = /^Open until (.+) \(/.exec((await hours.textContent()) ?? "")![1]!;

  // The side panel's tabs fit on one row at its default width.
  const tabs = instructor.getByRole("tab");
  await expect(tabs).toHaveText(["Chat", "Questions", "Help", "Homework"]);
  const tops = await tabs.evaluateAll((els) => els.map((el) => Math.round(el.getBoundingClientRect().top)));
  expect(new Set(tops).size).toBe(1);
  expect(await instructor.getByRole("tablist").evaluate((el) => el.scrollWidth <= el.clientWidth)).toBe(true);

  await instructor.getByRole("link", { name: "← JavaScript in Tokyo" }).click();
  await expect(instructor.getByRole("heading", { name: "JavaScript in Tokyo" })).toBeVisible();
  await expect(instructor.getByText("times in Asia/Tokyo")).toBeVisible();
  await expect(instructor.getByTestId("class-item").first()).toContainText(`– ${until}`);
});
