import { expect, test, type Page } from "@playwright/test";
import { codeIn, connected, pasteCode, say, setCode, signUp, teacherInNewRoom } from "./helpers";

/** Loops long enough to still be running while a chat message goes out and is refused. */
const SLOW_PROGRAM = 'let s = 0;\nfor (let i = 0; i < 1000000; i++) s += i;\nconsole.log("sum", s);';

test("a muted student's refused chat stays in the chat panel: the editor and the running program are untouched", async ({ browser }) => {
  const { teacher, link } = await teacherInNewRoom(browser);

  // The student's socket goes through the test, which holds back RUN answers
  // until told: the program is then surely still running when the chat's
  // ERROR arrives, however fast this machine runs it.
  const student = await (await browser.newContext()).newPage();
  await signUp(student, "Ada");
  const heldRuns: string[] = [];
  let holdRuns = true;
  let release = () => {};
  await student.routeWebSocket(/\/api\/rooms\/.+\/ws$/, (ws) => {
    const server = ws.connectToServer();
    server.onMessage((frame) => {
      const isRun = typeof frame === "string" && frame.startsWith("{") && JSON.parse(frame).responseType === "RUN";
      if (isRun && holdRuns) heldRuns.push(frame);
      else ws.send(frame);
    });
    release = () => {
      holdRuns = false;
      for (const frame of heldRuns.splice(0)) ws.send(frame);
    };
  });
  await student.goto(link);
  await connected(student);

  // The teacher mutes the student from one of her messages.
  await say(student, "hello");
  const hello = teacher.getByTestId("chat-message").filter({ hasText: "hello" });
  await hello.getByRole("button", { name: "Mute" }).click();
  await expect(hello.getByRole("button", { name: "Unmute" })).toBeVisible();
  await expect(student.getByTestId("muted-notice")).toBeVisible();

  // The student starts a program, and while it runs, writes in the chat.
  await setCode(student, ".workbench", SLOW_PROGRAM);
  const editorText = () => codeIn(student, ".workbench").innerText();
  await expect.poll(editorText).toBe(SLOW_PROGRAM);
  await student.getByRole("button", { name: "Run" }).click();
  const output = student.getByRole("region", { name: "Output" });
  await expect(output).toContainText("running…");
  await say(student, "can I say something?");

  // The refusal is shown on the message, in the chat panel…
  const chat = student.getByRole("region", { name: "Chat" });
  const refused = chat.getByTestId("chat-pending").filter({ hasText: "can I say something?" });
  await expect(refused.getByTestId("chat-refused")).toHaveText("A teacher has muted you in this chat.");
  await expect(refused).toContainText("Not sent");

  // …and nowhere near the editor: no error there, the program still running, the code as it was.
  const workbench = student.locator(".workbench");
  await expect(workbench.getByRole("alert")).toHaveCount(0);
  await expect(output).toContainText("running…");
  await expect(student.getByRole("button", { name: "Run" })).toBeDisabled();
  await expect.poll(editorText).toBe(SLOW_PROGRAM);

  // The program's answer arrives as usual.
  await expect.poll(() => heldRuns.length).toBe(1);
  release();
  await expect(student.getByTestId("stdout")).toHaveText("sum 499999500000");
  await expect(output).not.toContainText("running…");
  await expect(student.getByRole("button", { name: "Run" })).toBeEnabled();
  await expect(workbench.getByRole("alert")).toHaveCount(0);
  await expect.poll(editorText).toBe(SLOW_PROGRAM);

  // The class never saw the refused message, and its author can still drop it.
  await expect(teacher.getByTestId("chat-message").filter({ hasText: "can I say something?" })).toHaveCount(0);
  await refused.getByRole("button", { name: "Discard" }).click();
  await expect(chat.getByTestId("chat-pending")).toHaveCount(0);
});

test("a refused run shows its error in the workbench, not in the chat", async ({ browser }) => {
  const { teacher } = await teacherInNewRoom(browser);
  // Code longer than the protocol allows (LIMITS.maxCodeChars): the page does not send the RUN, and the
  // room refuses the live editor's change as too long a document. Kept here, and said beside it.
  const tooLong = Array.from({ length: 12_000 }, (_, i) => `// line ${i} ${"x".repeat(45)}`).join("\n");
  await pasteCode(teacher, ".workbench", tooLong);
  await expect(teacher.getByTestId("doc-refused")).toHaveText(
    `Not saved. This code is too long to save: an editor holds at most ${(524288).toLocaleString()} characters. Shorten it to keep your changes. Your changes stay in this editor.`,
  );
  await teacher.getByRole("button", { name: "Run" }).click();
  await expect(teacher.getByTestId("run-error")).toHaveText(`This code is too long to run: at most ${(524288).toLocaleString()} characters.`);
  await expect(teacher.getByRole("button", { name: "Run" })).toBeEnabled();
  await expect(teacher.getByRole("region", { name: "Chat" }).getByRole("alert")).toHaveCount(0);
  await expect(teacher.getByTestId("connection-problem")).toHaveCount(0);
});

test("requests over the room's limits are answered at once, beside what sent them, and nothing is left hanging", async ({ browser }) => {
  const { teacher } = await teacherInNewRoom(browser);
  // 1.2 MB of code: over the 1 MiB frame cap, so neither RUN, SHARE, a chat attachment nor the editor's change can go out.
  const huge = Array.from({ length: 24_000 }, (_, i) => `// line ${i} ${"x".repeat(45)}`).join("\n");
  await pasteCode(teacher, ".workbench", huge);
  await expect(teacher.getByTestId("doc-refused")).toBeVisible();

  await teacher.getByRole("button", { name: "Run" }).click();
  await expect(teacher.getByTestId("run-error")).toBeVisible();
  await expect(teacher.getByRole("button", { name: "Run" })).toBeEnabled();

  await teacher.getByRole("button", { name: "Share to all students" }).click();
  await expect(teacher.getByTestId("share-status")).not.toHaveText("Sharing…");
  await expect(teacher.getByTestId("share-status")).toHaveClass(/error/);

  const chat = teacher.getByRole("region", { name: "Chat" });
  await chat.getByLabel("Attach my code").check();
  await chat.getByLabel("Message").fill("here is everything");
  await chat.getByRole("button", { name: "Send" }).click();
  await expect(chat.getByText("Not sent")).toBeVisible();
  await chat.getByRole("button", { name: "Discard" }).click();
  await expect(chat.getByText("here is everything")).toHaveCount(0);
  await expect(teacher.getByTestId("connection-problem")).toHaveCount(0);
});

test("an address the app does not know says so, instead of showing the landing page", async ({ page }) => {
  await page.goto("/cources/typo");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Page not found");
  // Signed out: the way back is the home page, and the top bar offers to sign in.
  await expect(page.getByRole("banner").getByRole("link", { name: "Sign in" })).toBeVisible();
  await page.getByRole("link", { name: "Go to the home page" }).click();
  await expect(page).toHaveURL(/\/$/);
  await expect(page.getByRole("heading", { name: "Page not found" })).toHaveCount(0);

  await signUp(page, "Lost");
  await page.goto("/cources/typo");
  await expect(page.getByRole("banner").getByRole("link", { name: "Sign in" })).toHaveCount(0);
  await page.getByRole("link", { name: "Go to your courses" }).click();
  await expect(page.getByRole("heading", { name: "Your courses" })).toBeVisible();
});
