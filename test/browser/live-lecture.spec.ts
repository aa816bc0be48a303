import { expect, test, type Page } from "@playwright/test";
import { codeIn, connected, fillSignUp, setCode, signIn } from "./helpers";

const DEMO_CLASS = "Live demo class";

/** Plays and reports what a <video> shows: frames (videoWidth) and whether time advances. */
const videoOf = (page: Page, testId: string) =>
  page.getByTestId(testId).evaluate(async (v: HTMLVideoElement) => {
    const t0 = v.currentTime;
    await new Promise((r) => setTimeout(r, 700));
    return { width: v.videoWidth, advancing: v.currentTime > t0 };
  });

async function enterDemoClass(page: Page, button: "Enter room" | "Join live class"): Promise<void> {
  await page.getByRole("link", { name: /Introduction to Programming/ }).click();
  await page.getByTestId("class-item").filter({ hasText: DEMO_CLASS }).getByRole("button", { name: button }).click();
  await connected(page);
}

test("a teacher goes live in a class, two students watch, the recording keeps the teacher's pushed code beside the video", async ({ browser }) => {
  test.setTimeout(180_000);
  const stamp = Date.now().toString(36);
  const teacher = await signIn(browser, "instructor@demo.thirdspace.test", "demo-instructor");
  await teacher.getByRole("link", { name: /Introduction to Programming/ }).click();
  const invite = await teacher.getByTestId("invite-link").inputValue();
  await teacher.goto("/");
  await enterDemoClass(teacher, "Enter room");

  const ada = await signIn(browser, "student@demo.thirdspace.test", "demo-student");
  await enterDemoClass(ada, "Join live class");
  const linus = await (await browser.newContext()).newPage();
  await linus.goto(invite);
  await linus.getByRole("link", { name: "Create an account" }).click();
  await fillSignUp(linus, `Linus ${stamp}`);
  await linus.getByRole("button", { name: "Join course" }).click();
  await linus.goto("/");
  await enterDemoClass(linus, "Join live class");

  // 1. The teacher goes live (the browser's synthetic camera and microphone); both students receive video.
  const stage = teacher.getByRole("region", { name: "Live video" });
  await stage.getByLabel("Video source").selectOption("camera");
  await stage.getByRole("button", { name: "Go live" }).click();
  await expect(stage.getByTestId("live-badge")).toHaveText("Live");
  for (const student of [ada, linus]) {
    await expect.poll(() => videoOf(student, "live-video"), { timeout: 20_000 }).toEqual({ width: expect.any(Number), advancing: true });
    expect((await videoOf(student, "live-video")).width).toBeGreaterThan(0);
  }
  await expect(stage.getByTestId("live-viewers")).toHaveText("2 watching");
  await expect(stage.getByTestId("recording-status")).toBeVisible();

  // 2. During the class the teacher pushes code to everyone, then ends the class's broadcast.
  await teacher.waitForTimeout(2500);
  const pushed = `console.log("pushed ${stamp}");`;
  await setCode(teacher, ".teacher", pushed);
  await teacher.getByRole("button", { name: "Share to all students" }).click();
  await expect(codeIn(ada, ".student")).toHaveText(pushed);
  await teacher.waitForTimeout(2500);
  teacher.once("dialog", (d) => void d.accept()); // "End the live video for everyone?"
  await stage.getByRole("button", { name: "End live" }).click();
  await expect(ada.getByRole("region", { name: "Live video" }).getByTestId("live-video")).toHaveCount(0);
  await stage.getByRole("link", { name: "watch it" }).click();
  const lectureUrl = new URL(teacher.url()).pathname;

  // 3. The recording is among the course's lectures, and plays with seeking.
  await ada.goto("/");
  await ada.getByRole("link", { name: /Introduction to Programming/ }).click();
  const lectures = ada.getByRole("region", { name: "Lectures" });
  const row = lectures.getByTestId("lecture").filter({ has: ada.locator(`a[href="${lectureUrl}"]`) });
  await expect(row).toContainText("with the teacher's code");
  await row.getByRole("link").click();
  const player = ada.getByTestId("lecture-video");
  const duration = await player.evaluate(async (v: HTMLVideoElement) => {
    for (let i = 0; i < 50 && !(Number.isFinite(v.duration) && v.duration > 0); i++) await new Promise((r) => setTimeout(r, 200));
    return v.duration;
  });
  expect(duration).toBeGreaterThan(4);
  const seekTo = (t: number) =>
    player.evaluate(async (v: HTMLVideoElement, to) => {
      v.muted = true;
      v.currentTime = to;
      await new Promise((r) => v.addEventListener("seeked", r, { once: true }));
      await v.play();
      await new Promise((r) => setTimeout(r, 400));
      v.pause();
      return { time: v.currentTime, width: v.videoWidth };
    }, t);
  const late = await seekTo(duration - 1.2);
  expect(late.time).toBeGreaterThan(duration - 1.3);
  expect(late.width).toBeGreaterThan(0);

  // 4. At a point after the push, the editor beside the video shows the pushed code; at the start, not yet.
  const beside = ada.getByRole("region", { name: "The teacher's code" });
  await expect(codeIn(ada, '[aria-label="The teacher\'s code"] .code-shown')).toHaveText(pushed);
  const early = await seekTo(0.3);
  expect(early.time).toBeLessThan(1.5);
  await expect(codeIn(ada, '[aria-label="The teacher\'s code"] .code-shown')).not.toHaveText(pushed);
  await seekTo(duration - 1.2);
  await expect(codeIn(ada, '[aria-label="The teacher\'s code"] .code-shown')).toHaveText(pushed);

  // Paused there, the student copies it into their own editor and runs it.
  await beside.getByRole("button", { name: "Copy to my editor" }).click();
  await expect(codeIn(ada, '[aria-label="The teacher\'s code"] .code-mine')).toHaveText(pushed);
  await beside.getByRole("button", { name: "Run" }).click();
  await expect(beside.getByTestId("stdout")).toHaveText(`pushed ${stamp}`);
});
