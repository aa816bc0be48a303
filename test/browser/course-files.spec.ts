import { expect, test } from "@playwright/test";
import { signIn } from "./helpers";

test("staff upload course files for everyone or for staff only, and cancel an upload; students see only theirs", async ({ browser }) => {
  const stamp = Date.now().toString(36);
  const teacher = await signIn(browser, "instructor@demo.thirdspace.test", "demo-instructor");
  await teacher.getByRole("link", { name: /Introduction to Programming/ }).click();
  const files = teacher.getByRole("region", { name: "Course files" });

  await files.getByLabel("Upload files").setInputFiles({ name: `syllabus-${stamp}.txt`, mimeType: "text/plain", buffer: Buffer.from("Week 1: loops\n") });
  await expect(files.getByTestId("course-file").filter({ hasText: `syllabus-${stamp}.txt` })).toContainText("14 bytes");
  await files.getByLabel("Staff only (solutions, hidden test data)").check();
  await files.getByLabel("Upload files").setInputFiles({ name: `solution-${stamp}.js`, mimeType: "text/javascript", buffer: Buffer.from("// the answer\n") });
  await expect(files.getByTestId("course-file").filter({ hasText: `solution-${stamp}.js` })).toContainText("staff only");

  // An upload held on the wire is cancelled: its row goes, and the server is told to drop it.
  let release: () => void = () => {};
  await teacher.route("**/api/uploads/*/parts/*", (route) => new Promise<void>((resolve) => (release = resolve)).then(() => route.abort()));
  const dropped = teacher.waitForRequest((r) => r.method() === "DELETE" && /\/api\/uploads\/\w+$/.test(r.url()));
  await files.getByLabel("Upload files").setInputFiles({ name: `video-${stamp}.bin`, mimeType: "application/octet-stream", buffer: Buffer.alloc(64 * 1024) });
  await expect(files.getByRole("progressbar", { name: `Uploading video-${stamp}.bin` })).toBeVisible();
  await files.getByRole("button", { name: `Cancel uploading video-${stamp}.bin` }).click();
  await dropped;
  release();
  await expect(files.getByTestId("upload")).toHaveCount(0);
  await expect(files.getByTestId("course-file").filter({ hasText: `video-${stamp}.bin` })).toHaveCount(0);

  const student = await signIn(browser, "student@demo.thirdspace.test", "demo-student");
  await student.getByRole("link", { name: /Introduction to Programming/ }).click();
  const theirs = student.getByRole("region", { name: "Course files" });
  await expect(theirs.getByRole("link", { name: `syllabus-${stamp}.txt` })).toBeVisible();
  await expect(theirs).not.toContainText(`solution-${stamp}.js`);
  await expect(theirs.getByLabel("Upload files")).toHaveCount(0);
});
