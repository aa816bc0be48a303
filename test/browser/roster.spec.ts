import { expect, test } from "@playwright/test";
import { codeIn, connected, setCode, studentIn, teacherInNewRoom } from "./helpers";

test("the roster comes whole on joining, then changes one person at a time, without duplicates", async ({ browser }) => {
  const { teacher, link } = await teacherInNewRoom(browser);
  const roster = teacher.getByRole("list", { name: "Roster" });

  // Code the teacher shared before anyone came reaches a late joiner with their JOIN answer.
  await setCode(teacher, ".workbench", "const shared = 1;");
  await teacher.getByRole("button", { name: "Share to all students" }).click();
  await expect(teacher.getByText(/^Shared to 0 students at /)).toBeVisible();

  const ada = await studentIn(browser, link, "Ada");
  await expect(roster.getByRole("listitem")).toHaveText(["Ada"]);
  await expect(teacher.getByRole("heading", { name: "Students (1)" })).toBeVisible();
  await expect(ada.getByTestId("student-count")).toHaveText("1 student connected");
  await ada.getByRole("button", { name: "Load the teacher's latest code" }).click();
  await expect(codeIn(ada, ".workbench")).toHaveText("const shared = 1;");

  // A second student: a JOIN notice for the teacher (join order kept) and new counts for the first student.
  const linus = await studentIn(browser, link, "Linus");
  await expect(roster.getByRole("listitem")).toHaveText(["Ada", "Linus"]);
  await expect(teacher.getByRole("heading", { name: "Students (2)" })).toBeVisible();
  await expect(ada.getByTestId("student-count")).toHaveText("2 students connected");

  // Ada opens the room in a second tab: the new connection replaces the old one (a JOIN and no
  // LEAVE), so she is listed once, as the latest to join, as the room itself now lists her.
  const adaAgain = await ada.context().newPage();
  await adaAgain.goto(link);
  await connected(adaAgain);
  await expect(ada.getByRole("alert")).toContainText("You opened this room in another tab");
  await expect(roster.getByRole("listitem")).toHaveText(["Linus", "Ada"]);
  await expect(teacher.getByRole("heading", { name: "Students (2)" })).toBeVisible();

  // A reloaded teacher page starts from the JOIN answer's roster, and it is the same list.
  await teacher.reload();
  await connected(teacher);
  await expect(roster.getByRole("listitem")).toHaveText(["Linus", "Ada"]);

  // Linus leaves: a LEAVE notice removes him (he never shared code, so he is not kept as "left").
  await linus.context().close();
  await expect(roster.getByRole("listitem")).toHaveText(["Ada"]);
  await expect(teacher.getByRole("heading", { name: "Students (1)" })).toBeVisible();
  await expect(adaAgain.getByTestId("student-count")).toHaveText("1 student connected");

  // A later share replaces what "Load the teacher's latest code" loads.
  await setCode(teacher, ".workbench", "const shared = 2;");
  await teacher.getByRole("button", { name: "Share to all students" }).click();
  await expect(codeIn(adaAgain, ".workbench")).toHaveText("const shared = 2;");
  await setCode(adaAgain, ".workbench", "mine()");
  await adaAgain.getByRole("button", { name: "Load the teacher's latest code" }).click();
  await expect(codeIn(adaAgain, ".workbench")).toHaveText("const shared = 2;");
});
