/**
 * The runner answers only through its RPC entrypoint, reached by the app's
 * service binding. Its URL (should a route or workers.dev address ever be
 * given to it) runs nothing: the test setup serves its default export on a
 * port of its own, as a route would.
 */
import { inject } from "vitest";
import { describe, expect, it } from "vitest";
import { TestClient, createRoom } from "../helpers/client";

const runnerUrl = (path: string) => `http://127.0.0.1:${inject("runnerPort")}${path}`;
const post = (path: string, body: unknown) =>
  fetch(runnerUrl(path), { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });

describe("the runner's URL", () => {
  it.each([
    ["/run", { code: "6 * 7" }],
    ["/grade", { files: [{ name: "main.js", content: "console.log(42)" }], test: { kind: "io", stdin: "", args: [], budget: 1000 } }],
    ["/", { code: "6 * 7" }],
  ])("POST %s runs no code: 404", async (path, body) => {
    const res = await post(path, body);
    const text = await res.text();
    expect(res.status).toBe(404);
    expect(text).not.toContain("42");
  });

  it("while the room's RUN still runs code through the binding", async () => {
    const { roomId } = await createRoom();
    const client = await TestClient.joined(roomId, "Ada", "Student");
    client.send({ username: "Ada", action: "RUN", roomId, role: "Student", payload: { code: "6 * 7" } });
    expect(await client.next(10_000)).toMatchObject({ responseType: "RUN", payload: { result: "42", error: null } });
  });
});
