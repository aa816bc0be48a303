import { expect, test, type Page } from "@playwright/test";
import { codeIn, connected, setCode, signUp, studentIn, teacherInNewRoom } from "./helpers";

const tileOf = (teacher: Page, name: string) => teacher.locator(`[data-testid="tile"][data-student="${name}"]`);

test("a student types and the teacher's grid tile shows it live, with the run's result", async ({ browser }) => {
  const { teacher, link } = await teacherInNewRoom(browser);
  const ada = await studentIn(browser, link, "Ada");
  const linus = await studentIn(browser, link, "Linus");
  await setCode(ada, ".workbench", "let total = 42;");
  await teacher.getByRole("button", { name: /Class grid/ }).click();
  await expect(teacher.getByTestId("grid-count")).toHaveText("2 of 2 editors");
  await expect(tileOf(teacher, "Ada").getByTestId("tile-code")).toHaveText("let total = 42;");
  // Linus never typed: his tile shows the starter code his editor opened with.
  await expect(tileOf(teacher, "Linus").getByTestId("tile-code")).toContainText("Write JavaScript here");

  // Each keystroke arrives while the tile is on screen.
  await ada.keyboard.type(" total += 1;");
  await expect(tileOf(teacher, "Ada").getByTestId("tile-code")).toHaveText("let total = 42; total += 1;");
  await expect(tileOf(teacher, "Ada")).toContainText("typing…");

  // A failed run is on the tile, and "Errors first" puts it first.
  await setCode(linus, ".workbench", "throw new Error('oops')");
  await linus.getByRole("button", { name: "Run" }).click();
  await expect(linus.getByTestId("stderr")).toContainText("oops");
  await expect(tileOf(teacher, "Linus").getByTestId("tile-run")).toHaveText("run failed");
  await teacher.getByLabel("Sort").selectOption({ label: "Errors first" });
  await expect(teacher.getByTestId("tile").first()).toHaveAttribute("data-student", "Linus");
  await teacher.getByLabel("Show").selectOption({ label: "Last run failed" });
  await expect(teacher.getByTestId("grid-count")).toHaveText("1 of 2 editors");
});

test("the teacher opens a tile and types into the student's editor; each sees the other's named cursor", async ({ browser }) => {
  const { teacher, link } = await teacherInNewRoom(browser);
  const ada = await studentIn(browser, link, "Ada");
  await setCode(ada, ".workbench", "let total = 42;");
  await teacher.getByRole("button", { name: /Class grid/ }).click();
  await tileOf(teacher, "Ada").click();
  await expect(teacher.getByRole("heading", { name: "Ada's editor" })).toBeVisible();
  const desk = codeIn(teacher, ".desk");
  await expect(desk).toHaveText("let total = 42;");
  await expect(desk).toHaveAttribute("contenteditable", "true");

  await desk.click();
  await teacher.keyboard.press("ControlOrMeta+End");
  await teacher.keyboard.type("\n// hint: try a loop");
  await expect(codeIn(ada, ".workbench")).toContainText("let total = 42;// hint: try a loop");
  await expect(ada.locator(".workbench").getByTestId("remote-cursor")).toHaveAttribute("data-name", "Grace");
  await expect(ada.getByTestId("visitor-notice")).toHaveText("Grace opened your editor: you may see them type here.");

  // Both type at once and end with the same text.
  await codeIn(ada, ".workbench").click();
  await ada.keyboard.press("ControlOrMeta+Home");
  await Promise.all([ada.keyboard.type("/* Ada */ "), teacher.keyboard.type(" ok")]);
  const expected = "/* Ada */ let total = 42;// hint: try a loop ok";
  await expect(codeIn(ada, ".workbench")).toHaveText(expected);
  await expect(desk).toHaveText(expected);
  await expect(teacher.locator(".desk").getByTestId("remote-cursor")).toHaveAttribute("data-name", "Ada");

  // Leaving the editor takes the teacher's cursor out of Ada's, and the notice with it.
  await teacher.getByRole("button", { name: "← Class grid" }).click();
  await expect(ada.locator(".workbench").getByTestId("remote-cursor")).toHaveCount(0);
  await expect(ada.getByTestId("visitor-notice")).toHaveCount(0);
});

test("the teacher locks the editors, then the class follows the teacher's typing live, through a reload", async ({ browser }) => {
  const { teacher, link } = await teacherInNewRoom(browser);
  const ada = await studentIn(browser, link, "Ada");
  await setCode(ada, ".workbench", "mine();");

  await teacher.getByRole("button", { name: "Lock students' editors" }).click();
  await expect(ada.getByTestId("locked-notice")).toContainText("Grace locked the editors");
  await expect(codeIn(ada, ".workbench")).toHaveAttribute("contenteditable", "false");
  await expect(teacher.getByTestId("mode-status")).toContainText("Students' editors are locked");

  await teacher.getByRole("button", { name: "Follow me" }).click();
  const follow = ada.getByTestId("follow-panel");
  await expect(follow).toBeVisible();
  await setCode(teacher, ".workbench", "const demo = [1, 2, 3];");
  await expect(codeIn(ada, "[data-testid=follow-panel]")).toHaveText("const demo = [1, 2, 3];");
  await teacher.keyboard.type("\nconsole.log(demo.length);");
  await expect(codeIn(ada, "[data-testid=follow-panel]")).toContainText("console.log(demo.length);");
  await expect(follow.getByTestId("remote-cursor")).toHaveAttribute("data-name", "Grace");
  await expect(codeIn(ada, ".workbench")).toHaveText("mine();");

  // Both modes outlive a reload.
  await ada.reload();
  await expect(ada.getByTestId("locked-notice")).toBeVisible();
  await expect(codeIn(ada, "[data-testid=follow-panel]")).toContainText("console.log(demo.length);");

  // Unlocked, the student copies the teacher's code into their own editor.
  await teacher.getByRole("button", { name: "Unlock students' editors" }).click();
  await expect(ada.getByTestId("locked-notice")).toHaveCount(0);
  await expect(codeIn(ada, ".workbench")).toHaveAttribute("contenteditable", "true");
  await ada.getByRole("button", { name: "Copy all into my editor" }).click();
  await expect(codeIn(ada, ".workbench")).toContainText("const demo = [1, 2, 3];");
  await teacher.getByRole("button", { name: "Stop follow me" }).click();
  await expect(follow).toHaveCount(0);
});

test("the teacher replays a student's work back to an earlier state", async ({ browser }) => {
  const { teacher, link } = await teacherInNewRoom(browser);
  const ada = await studentIn(browser, link, "Ada");
  await setCode(ada, ".workbench", "let step = 1; step");
  await ada.getByRole("button", { name: "Run" }).click();
  await expect(ada.getByTestId("result")).toBeVisible();
  await setCode(ada, ".workbench", "let step = 2; // rewritten");

  await teacher.getByRole("button", { name: /Class grid/ }).click();
  await expect(tileOf(teacher, "Ada").getByTestId("tile-code")).toHaveText("let step = 2; // rewritten");
  await tileOf(teacher, "Ada").click();
  await teacher.getByRole("button", { name: "Replay" }).click();
  const playback = teacher.getByTestId("playback");
  await expect(codeIn(teacher, "[data-testid=playback]")).toHaveText("let step = 2; // rewritten");

  // The run is marked: jumping to it shows the code as it was run.
  await playback.getByRole("button", { name: /^Ran OK/ }).click();
  await expect(codeIn(teacher, "[data-testid=playback]")).toHaveText("let step = 1; step");
  // The start of the timeline is the empty editor; playing runs it forward to the end.
  await playback.getByLabel("Playback position").fill("0");
  await expect(codeIn(teacher, "[data-testid=playback]")).toHaveText("");
  await expect(playback.getByTestId("playback-where")).toContainText("Version 0 of");
  await playback.getByLabel("Speed").selectOption("16");
  await playback.getByRole("button", { name: "Play", exact: true }).click();
  await expect(codeIn(teacher, "[data-testid=playback]")).toHaveText("let step = 2; // rewritten");
  await expect(playback.getByRole("button", { name: "Play", exact: true })).toBeVisible();
});

test("what a student types while the connection is down reaches the teacher once it is back, once", async ({ browser }) => {
  const { teacher, link } = await teacherInNewRoom(browser);
  const ada = await (await browser.newContext()).newPage();
  await signUp(ada, "Ada");
  // The student's sockets go through the test: it cuts one, and refuses new ones while "offline".
  let offline = false;
  const sockets: { close: () => Promise<void> }[] = [];
  await ada.routeWebSocket(/\/api\/rooms\/.+\/ws$/, (ws) => {
    if (offline) return void ws.close({ code: 4000, reason: "offline" });
    ws.connectToServer();
    sockets.push({ close: () => ws.close({ code: 4000, reason: "network drop" }) });
  });
  await ada.goto(link);
  await connected(ada);
  await setCode(ada, ".workbench", "online;");
  await teacher.getByRole("button", { name: /Class grid/ }).click();
  const tile = tileOf(teacher, "Ada").getByTestId("tile-code");
  await expect(tile).toHaveText("online;");

  offline = true;
  await sockets[0]!.close();
  await expect(ada.getByTestId("connection")).toHaveText("Reconnecting…");
  await ada.keyboard.type(" offline;");
  await expect(codeIn(ada, ".workbench")).toHaveText("online; offline;");
  await expect(tile).toHaveText("online;");
  offline = false;
  await connected(ada);
  await expect(tile).toHaveText("online; offline;");
  await ada.reload();
  await expect(codeIn(ada, ".workbench")).toHaveText("online; offline;");
});
