import { expect, test } from "@playwright/test";

// The demo assignment npm start seeds: a handout, a visible input/output test (2 points) and a hidden assertion (3).
test("a student downloads the handout, hands in failing code, sees why, fixes it and gets full marks", async ({ page }) => {
  await page.goto("/signin");
  await page.getByLabel("Email").fill("student@demo.thirdspace.test");
  await page.getByLabel("Password").fill("demo-student");
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("link", { name: /Introduction to Programming/ }).click();
  await page.getByRole("region", { name: "Assignments" }).getByRole("link", { name: "Add two numbers" }).click();
  await expect(page.getByRole("heading", { name: "Add two numbers" })).toBeVisible();

  const handout = page.getByRole("link", { name: "Download handout" });
  const res = await page.request.get((await handout.getAttribute("href"))!);
  expect(res.status()).toBe(200);
  expect(await res.text()).toContain("Export a function add(a, b)");

  const hand = page.getByRole("region", { name: "Hand in" });
  const program = (op: string) =>
    `export const add = (a, b) => a ${op} b;\nconst line = input();\nif (line !== null) {\n  const [a, b] = line.split(" ").map(Number);\n  console.log(add(a, b));\n}`;
  await hand.getByLabel("Code").fill(program("*"));
  await hand.getByRole("button", { name: "Hand in" }).click();
  const latest = page.getByTestId("version").first();
  await expect(latest).toContainText("Version 1");
  await expect(latest.getByTestId("score")).toHaveText("Autograder: 0 / 5 points");
  await expect(latest.getByTestId("test-result")).toContainText('adds two numbers: failed (0/2)Expected "5", got "6".');
  await expect(latest.getByTestId("hidden-result")).toHaveText("Hidden tests: 0 of 1 passed (0/3)");
  // Nothing of the hidden test reaches the page.
  await expect(page.locator("body")).not.toContainText("negatives");

  await hand.getByLabel("Code").fill(program("+"));
  await hand.getByRole("button", { name: "Hand in" }).click();
  await expect(page.getByTestId("version").first()).toContainText("Version 2");
  await expect(page.getByTestId("version").first().getByTestId("score")).toHaveText("Autograder: 5 / 5 points");
  await expect(page.getByTestId("version").first().getByTestId("hidden-result")).toHaveText("Hidden tests: 1 of 1 passed (3/3)");
});
