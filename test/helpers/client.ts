/** A WebSocket client for integration tests: send frames, await exact replies. */
import { SELF } from "cloudflare:test";
import { ServerMessage, type ClientMessageInput } from "../../protocol";

const BASE = "http://thirdspace.test";

export async function api(path: string, init?: RequestInit): Promise<Response> {
  return SELF.fetch(`${BASE}${path}`, init);
}

export async function createRoom(title?: string): Promise<{ roomId: string; teacherToken: string }> {
  const res = await api("/api/rooms", { method: "POST", body: JSON.stringify(title ? { title } : {}) });
  if (res.status !== 201) throw new Error(`create room: ${res.status} ${await res.text()}`);
  return res.json();
}

export class TestClient {
  private readonly inbox: ServerMessage[] = [];
  private waiters: (() => void)[] = [];
  closed: { code: number; reason: string } | null = null;

  private constructor(readonly ws: WebSocket) {
    ws.addEventListener("message", (event) => {
      this.inbox.push(ServerMessage.parse(JSON.parse(event.data as string)));
      this.wake();
    });
    ws.addEventListener("close", (event) => {
      this.closed = { code: event.code, reason: event.reason };
      this.wake();
    });
  }

  static async open(roomId: string): Promise<TestClient> {
    const res = await api(`/api/rooms/${roomId}/ws`, { headers: { Upgrade: "websocket" } });
    if (!res.webSocket) throw new Error(`upgrade refused: ${res.status}`);
    res.webSocket.accept();
    return new TestClient(res.webSocket);
  }

  /** Opens a socket and joins; resolves once the JOIN answer arrives. */
  static async joined(roomId: string, username: string, role: "Student" | "Teacher", token?: string) {
    const client = await TestClient.open(roomId);
    client.send({ username, action: "JOIN", roomId, role, payload: { roomId, role, ...(token ? { token } : {}) } });
    const answer = await client.next();
    if (answer.responseType !== "JOIN") throw new Error(`join failed: ${JSON.stringify(answer)}`);
    return client;
  }

  private wake() {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }

  send(frame: ClientMessageInput | string | ArrayBuffer): void {
    this.ws.send(typeof frame === "string" || frame instanceof ArrayBuffer ? frame : JSON.stringify(frame));
  }

  /** The next frame, in order; fails after `timeoutMs`. */
  async next(timeoutMs = 5_000): Promise<ServerMessage> {
    const deadline = Date.now() + timeoutMs;
    while (this.inbox.length === 0) {
      if (this.closed) throw new Error(`socket closed (${this.closed.code} ${this.closed.reason}) with no frame`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error("no frame arrived in time");
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    return this.inbox.shift()!;
  }

  /** Waits `ms` and returns whatever arrived (to prove that nothing did). */
  async drain(ms = 200): Promise<ServerMessage[]> {
    await new Promise((r) => setTimeout(r, ms));
    return this.inbox.splice(0);
  }

  async waitClosed(timeoutMs = 5_000): Promise<{ code: number; reason: string }> {
    const deadline = Date.now() + timeoutMs;
    while (!this.closed && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    if (!this.closed) throw new Error("socket did not close");
    return this.closed;
  }

  close(): void {
    try {
      this.ws.close(1000, "done");
    } catch {
      // already closed
    }
  }
}
