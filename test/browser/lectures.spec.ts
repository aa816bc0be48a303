import { expect, test, type Page } from "@playwright/test";
import { signIn, signUp } from "./helpers";

/** A few seconds of WebM recorded in the page (a canvas counting frames), as bytes: there is no video tool on the test machine. */
async function recordWebm(page: Page, ms: number): Promise<Buffer> {
  const base64 = await page.evaluate(async (length) => {
    const canvas = document.createElement("canvas");
    canvas.width = 320;
    canvas.height = 180;
    const ctx = canvas.getContext("2d")!;
    let frame = 0;
    const draw = () => {
      ctx.fillStyle = `hsl(${(frame * 12) % 360} 80% 50%)`;
      ctx.fillRect(0, 0, 320, 180);
      ctx.fillStyle = "#fff";
      ctx.font = "48px sans-serif";
      ctx.fillText(String(frame++), 20, 100);
    };
    draw();
    const timer = setInterval(draw, 40);
    const recorder = new MediaRecorder(canvas.captureStream(25), { mimeType: "video/webm;codecs=vp8" });
    const chunks: Blob[] = [];
    recorder.ondataavailable = (e) => chunks.push(e.data);
    const stopped = new Promise((resolve) => (recorder.onstop = resolve));
    recorder.start(500);
    await new Promise((resolve) => setTimeout(resolve, length));
    recorder.stop();
    await stopped;
    clearInterval(timer);
    const bytes = new Uint8Array(await new Blob(chunks).arrayBuffer());
    let binary = "";
    for (const b of bytes) binary += String.fromCharCode(b);
    return btoa(binary);
  }, ms);
  return Buffer.from(base64, "base64");
}

const VTT = "WEBVTT\n\n00:00.000 --> 00:05.000\nHello, class.\n";

const videoState = (page: Page) =>
  page.getByTestId("lecture-video").evaluate((v: HTMLVideoElement) => ({ time: v.currentTime, rate: v.playbackRate, width: v.videoWidth, paused: v.paused }));

test("staff upload a lecture with progress; members play it with speed, captions, chapters and their place kept; others get 404", async ({ browser }) => {
  test.setTimeout(120_000);
  const stamp = Date.now().toString(36);
  const title = `Recursion ${stamp}`;
  const teacher = await signIn(browser, "instructor@demo.thirdspace.test", "demo-instructor");
  const video = await recordWebm(teacher, 6000);
  await teacher.getByRole("link", { name: /Introduction to Programming/ }).click();
  const lectures = teacher.getByRole("region", { name: "Lectures" });

  // Hold the video's one part on the wire, so the progress bar can be seen.
  let release: () => void = () => {};
  let held: () => void = () => {};
  const holding = new Promise<void>((resolve) => (held = resolve));
  const released = new Promise<void>((resolve) => (release = resolve));
  await teacher.route("**/api/uploads/*/parts/*", async (route) => {
    held();
    await released;
    await route.continue();
  });
  await lectures.getByLabel("Lecture title").fill(title);
  await lectures.getByLabel("Video file (MP4 or WebM)").setInputFiles({ name: "recursion.webm", mimeType: "video/webm", buffer: video });
  await lectures.getByRole("button", { name: "Upload lecture" }).click();
  await holding;
  await expect(lectures.getByRole("progressbar", { name: "Uploading recursion.webm" })).toBeVisible();
  await expect(lectures.getByTestId("lecture").filter({ hasText: title })).toContainText("Uploading");
  release();
  await expect(lectures.getByTestId("lecture").filter({ hasText: title })).toContainText("Ready");

  // An upload cancelled while it runs leaves no lecture behind.
  const dropped = `Dropped ${stamp}`;
  await teacher.route("**/api/uploads/*/parts/*", (route) => route.abort());
  await lectures.getByLabel("Lecture title").fill(dropped);
  await lectures.getByLabel("Video file (MP4 or WebM)").setInputFiles({ name: "dropped.webm", mimeType: "video/webm", buffer: video });
  await lectures.getByRole("button", { name: "Upload lecture" }).click();
  await expect(lectures.getByTestId("lecture").filter({ hasText: dropped })).toContainText("Uploading");
  await expect(lectures.getByTestId("upload-status")).toContainText("connection lost, resuming by itself");
  await lectures.getByRole("button", { name: "Cancel uploading dropped.webm" }).click();
  await expect(lectures.getByTestId("lecture").filter({ hasText: dropped })).toHaveCount(0);
  await teacher.unroute("**/api/uploads/*/parts/*");

  // Staff add captions and a chapter on the lecture's page.
  await lectures.getByRole("link", { name: title }).click();
  await expect(teacher.getByRole("heading", { name: title })).toBeVisible();
  const tools = teacher.getByRole("region", { name: "Lecture settings" });
  await tools.getByLabel("WebVTT file").setInputFiles({ name: "en.vtt", mimeType: "text/vtt", buffer: Buffer.from(VTT) });
  await tools.getByRole("button", { name: "Add captions" }).click();
  await expect(tools.getByText("English (en)")).toBeVisible();
  await tools.getByLabel("Chapter title").fill("The base case");
  await teacher.getByTestId("lecture-video").evaluate((v: HTMLVideoElement) => (v.currentTime = 3));
  await tools.getByRole("button", { name: "Add chapter at the current time" }).click();
  await expect(teacher.getByRole("navigation", { name: "Chapters" })).toContainText("0:03 The base case");
  const lectureUrl = new URL(teacher.url());

  // A student plays it: frames, speed, captions; their place is kept through a reload.
  const student = await signIn(browser, "student@demo.thirdspace.test", "demo-student");
  await student.getByRole("link", { name: /Introduction to Programming/ }).click();
  await student.getByRole("region", { name: "Lectures" }).getByRole("link", { name: title }).click();
  await expect(student.getByRole("region", { name: "Lecture settings" })).toHaveCount(0);
  const player = student.getByTestId("lecture-video");
  await player.evaluate((v: HTMLVideoElement) => {
    v.muted = true;
    return v.play();
  });
  await expect.poll(async () => (await videoState(student)).time).toBeGreaterThan(0.5);
  expect((await videoState(student)).width).toBe(320);
  await student.getByLabel("Playback speed").selectOption("1.5");
  expect((await videoState(student)).rate).toBe(1.5);
  const cue = () => player.evaluate((v: HTMLVideoElement) => {
    const track = v.textTracks[0];
    return track ? [track.label, track.mode, Array.from({ length: track.activeCues?.length ?? 0 }, (_, i) => (track.activeCues![i] as VTTCue).text)] : null;
  });
  await expect.poll(cue).toEqual(["English", "showing", ["Hello, class."]]);
  await student.getByRole("navigation", { name: "Chapters" }).getByRole("button", { name: /The base case/ }).click();
  await expect.poll(async () => (await videoState(student)).time).toBeGreaterThanOrEqual(3);
  const saved = student.waitForRequest((r) => r.method() === "PUT" && r.url().endsWith("/position"));
  await player.evaluate((v: HTMLVideoElement) => v.pause());
  const at = (JSON.parse((await saved).postData()!) as { position: number }).position;
  expect(at).toBeGreaterThanOrEqual(3);
  await student.reload();
  await expect.poll(async () => (await videoState(student)).time).toBeCloseTo(at, 0);
  expect((await videoState(student)).rate).toBe(1.5);

  // A link to a moment starts there.
  await student.goto(`${lectureUrl.pathname}?t=1`);
  await expect.poll(async () => (await videoState(student)).time).toBeCloseTo(1, 0);

  // Someone outside the course gets 404 for the page's data, the video and the captions.
  const outsider = await (await browser.newContext()).newPage();
  await signUp(outsider, "Mallory");
  const id = lectureUrl.pathname.split("/").pop()!;
  for (const path of [`/api/lectures/${id}`, `/api/lectures/${id}/video`, `/api/lectures/${id}/captions/en`]) {
    expect([path, (await outsider.request.get(path)).status()]).toEqual([path, 404]);
  }
  await outsider.goto(lectureUrl.pathname);
  await expect(outsider.getByRole("alert")).toHaveText("This lecture does not exist, or you are not in its course.");
});
