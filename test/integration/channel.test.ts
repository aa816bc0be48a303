import { describe, expect, it } from "vitest";
import { TestClient } from "../helpers/client";
import { signUp } from "../helpers/users";

async function course() {
  const instructor = await signUp("Grace");
  const created = await instructor.json<{ course: { id: string }; invite: { code: string } }>("POST", "/api/courses", {
    title: "Programming",
    code: "CS101",
    timezone: "UTC",
  });
  const student = await signUp("Ada");
  await student.json("POST", "/api/enrol", { code: created.body.invite.code });
  return { instructor, student, courseId: created.body.course.id, roomId: `course-${created.body.course.id}` };
}

describe("a course's channel", () => {
  it("is open to members at any time, staff as Teacher, and its chat persists for whoever joins later", async () => {
    const { instructor, student, roomId } = await course();
    const ada = await TestClient.joined(roomId, student, "Student");
    ada.send({ username: "Ada", action: "CHAT", roomId, role: "Student", payload: { clientId: "chan-0001", text: "Office hours?" } });
    expect(await ada.next()).toMatchObject({ responseType: "CHAT", payload: { message: { text: "Office hours?", authorRole: "Student" } } });
    ada.close();

    const grace = await TestClient.joined(roomId, instructor, "Teacher");
    grace.send({ username: "Grace", action: "HISTORY", roomId, role: "Teacher", payload: {} });
    expect(await grace.next()).toMatchObject({
      responseType: "HISTORY",
      payload: { messages: [{ author: "Ada", text: "Office hours?" }], hasMore: false, reset: false },
    });
  });

  it("takes roles from enrolment and is hidden from non-members", async () => {
    const { student, roomId } = await course();
    const ada = await TestClient.open(roomId, student);
    ada.send({ username: "Ada", action: "JOIN", roomId, role: "Teacher", payload: { roomId, role: "Teacher" } });
    expect(await ada.next()).toEqual({ responseType: "ERROR", payload: { action: "JOIN", code: "FORBIDDEN", error_message: "In this class you join as Student." } });
    const eve = await signUp("Eve");
    expect(await eve.json("GET", `/api/rooms/${roomId}`)).toEqual({ status: 404, body: { error: "No such room." } });
    expect((await eve.fetch(`/api/rooms/${roomId}/ws`, { headers: { Upgrade: "websocket" } })).status).toBe(404);
  });

  it("sends a removed member out of the channel (4005)", async () => {
    const { instructor, student, courseId, roomId } = await course();
    const ada = await TestClient.joined(roomId, student, "Student");
    expect((await instructor.fetch(`/api/courses/${courseId}/members/${student.user.id}`, { method: "DELETE" })).status).toBe(204);
    expect(await ada.waitClosed()).toEqual({ code: 4005, reason: "You were removed from this course" });
  });
});
