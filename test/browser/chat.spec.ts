import { expect, test, type Page } from "@playwright/test";
import { connected, say, setCode, signUp, studentIn, teacherInNewRoom } from "./helpers";

test("a teacher and two students chat; markdown code is highlighted; Shift+Enter adds a line", async ({ browser }) => {
  const { teacher, link } = await teacherInNewRoom(browser);
  const ada = await studentIn(browser, link, "Ada");
  const linus = await studentIn(browser, link, "Linus");

  await say(ada, "Hi everyone");
  for (const page of [teacher, ada, linus]) {
    await expect(page.getByTestId("chat-message").last()).toContainText("Hi everyone");
  }

  // A question can carry the sender's code and their last run's output.
  await setCode(ada, ".workbench", 'console.log("odd", 7 % 2)');
  await ada.getByRole("button", { name: "Run" }).click();
  await expect(ada.getByTestId("stdout")).toHaveText("odd 1");
  await ada.getByLabel("Attach my code").check();
  await ada.getByLabel("Attach my last output").check();
  await say(ada, "Is this right?");
  const attached = teacher.getByTestId("chat-message").last();
  await expect(attached.locator("pre.code-block")).toHaveText('console.log("odd", 7 % 2)');
  await expect(attached.locator("pre.attached-output")).toHaveText("odd 1");

  // Shift+Enter inserts a newline; Enter sends. A fenced block is shown as highlighted code.
  const box = linus.getByRole("textbox", { name: "Message" });
  await box.click();
  await linus.keyboard.insertText("Look:");
  await linus.keyboard.press("Shift+Enter");
  await linus.keyboard.insertText("```js");
  await linus.keyboard.press("Shift+Enter");
  await linus.keyboard.insertText("const x = 1;");
  await linus.keyboard.press("Shift+Enter");
  await linus.keyboard.insertText("```");
  await linus.keyboard.press("Enter");
  const codeMessage = teacher.getByTestId("chat-message").last();
  await expect(codeMessage.locator("pre.code-block")).toHaveText("const x = 1;");
  await expect(codeMessage.locator("pre.code-block .tok-keyword")).toHaveText("const");

  // The teacher replies; everyone sees it marked as from the teacher.
  await say(teacher, "Good question, **Linus**");
  await expect(ada.getByTestId("chat-message").last()).toContainText("Teacher");
  await expect(ada.getByTestId("chat-message").last().locator("strong").last()).toHaveText("Linus");
  await expect(ada.getByTestId("chat-message")).toHaveCount(4);
});

test("a message written while offline is kept, shown as sending, and delivered once on reconnect", async ({ browser }) => {
  const { teacher, link } = await teacherInNewRoom(browser);

  const student = await (await browser.newContext()).newPage();
  await signUp(student, "Ada");
  let cut: (() => Promise<void>) | null = null;
  let block = false;
  await student.routeWebSocket(/\/api\/rooms\/.+\/ws$/, (ws) => {
    if (block) return ws.close({ code: 4000, reason: "still offline" });
    ws.connectToServer();
    cut = () => ws.close({ code: 4000, reason: "network drop" });
  });
  await student.goto(link);
  await connected(student);

  block = true;
  await cut!();
  await expect(student.getByTestId("connection")).toHaveText("Reconnecting…");
  await say(student, "sent while offline");
  await expect(student.getByTestId("chat-pending")).toContainText("sent while offline");

  block = false; // the network is back: the next retry connects
  await expect(student.getByTestId("connection")).toHaveText("Connected", { timeout: 20_000 });
  await expect(student.getByTestId("chat-pending")).toHaveCount(0);
  await expect(teacher.getByTestId("chat-message").filter({ hasText: "sent while offline" })).toHaveCount(1);
  await expect(student.getByTestId("chat-message").filter({ hasText: "sent while offline" })).toHaveCount(1);
});
