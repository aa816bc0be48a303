import { expect, test, type Browser, type Page } from "@playwright/test";
import { codeIn, connected, setCode, signUp, studentIn, teacherInNewRoom } from "./helpers";

/** A teacher and two students in one ad-hoc room. */
async function classroom(browser: Browser): Promise<{ teacher: Page; ada: Page; linus: Page }> {
  const { teacher, link } = await teacherInNewRoom(browser);
  return { teacher, ada: await studentIn(browser, link, "Ada"), linus: await studentIn(browser, link, "Linus") };
}

test("a student asks anonymously, another upvotes, the teacher marks it answered with a pinned answer", async ({ browser }) => {
  const { teacher, ada, linus } = await classroom(browser);
  for (const page of [teacher, ada, linus]) await page.getByRole("tab", { name: "Questions" }).click();

  await ada.getByRole("textbox", { name: "Your question" }).fill("Why is `0.1 + 0.2` not `0.3`?");
  await ada.getByLabel("Anonymous to classmates").check();
  await ada.getByRole("button", { name: "Ask" }).click();

  const seenByLinus = linus.getByTestId("question").first();
  await expect(seenByLinus).toContainText("Anonymous");
  await expect(seenByLinus).not.toContainText("Ada");
  await expect(ada.getByTestId("question").first()).toContainText("You");
  await expect(teacher.getByTestId("question").first()).toContainText("Ada (anonymous to classmates)");
  await expect(ada.getByTestId("question").first().getByRole("button", { name: "Upvote" })).toBeDisabled();

  await seenByLinus.getByRole("button", { name: "Upvote" }).click();
  await expect(teacher.getByTestId("question").first().getByTestId("votes")).toHaveText("1");

  const onTeacher = teacher.getByTestId("question").first();
  await onTeacher.getByRole("button", { name: "Mark answered" }).click();
  await onTeacher.getByRole("textbox", { name: "Answer to pin (optional)" }).fill("Floating point: binary fractions.");
  await onTeacher.getByRole("button", { name: "Mark answered" }).click();
  await expect(ada.getByTestId("pinned-answer")).toHaveText("Floating point: binary fractions.");
  await expect(linus.getByTestId("question").first()).toContainText("answered by Grace");
});

test("a student raises a hand; the teacher is told, claims it and opens the student's code at the line", async ({ browser }) => {
  const { teacher, ada, linus } = await classroom(browser);
  await setCode(ada, ".workbench", "const total = 0;\nfor (const n of [1, 2]) total += n;\nconsole.log(total);");
  await ada.getByRole("tab", { name: "Help" }).click();
  await ada.getByRole("textbox", { name: "What do you need help with?" }).fill("TypeError on line 2");
  await ada.getByRole("button", { name: "✋ Raise hand" }).click();
  await expect(ada.getByTestId("my-hand")).toContainText("you are #1 in the queue");

  await linus.getByRole("tab", { name: "Help" }).click();
  await linus.getByRole("button", { name: "✋ Raise hand" }).click();
  await expect(linus.getByTestId("my-hand")).toContainText("you are #2 in the queue");

  await expect(teacher.getByTestId("staff-alert")).toContainText("raised a hand");
  await teacher.getByRole("tab", { name: /Help/ }).click();
  const request = teacher.getByTestId("hand").filter({ hasText: "Ada" });
  await expect(request).toContainText("TypeError on line 2");
  await request.getByRole("button", { name: "Claim" }).click();
  await expect(ada.getByTestId("my-hand")).toContainText("Grace is coming to help you.");
  await expect(linus.getByTestId("my-hand")).toContainText("you are #1 in the queue");

  await request.getByRole("button", { name: "Open code" }).click();
  await expect(teacher.getByRole("heading", { name: /Ada's code \(help request, line \d\)/ })).toBeVisible();
  await expect(codeIn(teacher, ".viewer")).toContainText("for (const n of [1, 2]) total += n;");

  await request.getByRole("button", { name: "Resolve" }).click();
  await expect(ada.getByTestId("my-hand")).toHaveCount(0);
  await expect(ada.getByRole("button", { name: "✋ Raise hand" })).toBeVisible();

  // The banner announced Linus's hand, still waiting; once it is claimed, the banner goes.
  await expect(teacher.getByTestId("staff-alert")).toContainText("Linus raised a hand");
  await teacher.getByTestId("hand").filter({ hasText: "Linus" }).getByRole("button", { name: "Claim" }).click();
  await expect(teacher.getByTestId("staff-alert")).toHaveCount(0);
});

test("a question and a hand sent just as the connection drops are sent again once it is back, and stored once", async ({ browser }) => {
  const { teacher, link } = await teacherInNewRoom(browser);
  const ada = await (await browser.newContext()).newPage();
  // Between the page and the room: the first ASK and the first HAND_RAISE are
  // lost with their connection, as when the network drops just as they go out.
  const lost = new Set<string>();
  await ada.routeWebSocket(/\/ws$/, (page) => {
    const room = page.connectToServer();
    page.onMessage((frame) => {
      const action = typeof frame === "string" ? /"action":"(ASK|HAND_RAISE)"/.exec(frame)?.[1] : undefined;
      if (action && !lost.has(action)) {
        lost.add(action);
        room.close();
        page.close();
        return;
      }
      room.send(frame);
    });
  });
  await signUp(ada, "Ada");
  await ada.goto(link);
  await connected(ada);
  for (const page of [teacher, ada]) await page.getByRole("tab", { name: "Questions" }).click();

  await ada.getByRole("textbox", { name: "Your question" }).fill("Does this arrive?");
  await ada.getByRole("button", { name: "Ask" }).click();
  await expect(teacher.getByTestId("question").filter({ hasText: "Does this arrive?" })).toHaveCount(1);
  expect(lost.has("ASK")).toBe(true);

  await ada.getByRole("tab", { name: "Help" }).click();
  await ada.getByRole("button", { name: "✋ Raise hand" }).click();
  await expect(teacher.getByTestId("staff-alert")).toContainText("Ada raised a hand");
  expect(lost.has("HAND_RAISE")).toBe(true);
  await expect(teacher.getByTestId("question").filter({ hasText: "Does this arrive?" })).toHaveCount(1);
});
