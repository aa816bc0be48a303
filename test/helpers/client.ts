/** A WebSocket client for integration tests: send frames, await exact replies. */
import { SELF } from "cloudflare:test";
import { ServerMessage, type ClientMessageInput } from "../../protocol";
import { BASE, signUp, type Account } from "./users";

/** A request with no session. */
export async function api(path: string, init?: RequestInit): Promise<Response> {
  return SELF.fetch(`${BASE}${path}`, init);
}

/** Someone signed in, or a fresh account with that display name. */
export type Who = Account | string;
export const account = async (who: Who): Promise<Account> => (typeof who === "string" ? signUp(who) : who);

export async function createRoom(title?: string, host?: Account): Promise<{ roomId: string; teacherToken: string; host: Account }> {
  const owner = host ?? (await signUp("Host"));
  const res = await owner.fetch("/api/rooms", { method: "POST", body: JSON.stringify(title ? { title } : {}) });
  if (res.status !== 201) throw new Error(`create room: ${res.status} ${await res.text()}`);
  return { ...((await res.json()) as { roomId: string; teacherToken: string }), host: owner };
}

export class TestClient {
  private readonly inbox: ServerMessage[] = [];
  private waiters: (() => void)[] = [];
  closed: { code: number; reason: string } | null = null;
  /** The JOIN answer, for a client made by `joined`. */
  joinAnswer: ServerMessage | null = null;

  private constructor(
    readonly ws: WebSocket,
    readonly account: Account,
  ) {
    ws.addEventListener("message", (event) => {
      this.inbox.push(ServerMessage.parse(JSON.parse(event.data as string)));
      this.wake();
    });
    ws.addEventListener("close", (event) => {
      this.closed = { code: event.code, reason: event.reason };
      this.wake();
    });
  }

  /** Opens the room's socket as `who` (signed in). */
  static async open(roomId: string, who: Who): Promise<TestClient> {
    const as = await account(who);
    const res = await as.fetch(`/api/rooms/${roomId}/ws`, { headers: { Upgrade: "websocket" } });
    if (!res.webSocket) throw new Error(`upgrade refused: ${res.status} ${await res.text()}`);
    res.webSocket.accept();
    return new TestClient(res.webSocket, as);
  }

  /** Opens a socket and joins under the account's name; resolves once the JOIN answer arrives. */
  static async joined(roomId: string, who: Who, role: "Student" | "Teacher", token?: string) {
    const client = await TestClient.open(roomId, who);
    const username = client.account.user.name;
    client.send({ username, action: "JOIN", roomId, role, payload: { roomId, role, ...(token ? { token } : {}) } });
    const answer = await client.next();
    if (answer.responseType !== "JOIN") throw new Error(`join failed: ${JSON.stringify(answer)}`);
    client.joinAnswer = answer;
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

  /** The next frame of `type`, passing over any others before it. */
  async nextOf<T extends ServerMessage["responseType"]>(type: T, timeoutMs = 5_000): Promise<Extract<ServerMessage, { responseType: T }>> {
    for (;;) {
      const frame = await this.next(timeoutMs);
      if (frame.responseType === type) return frame as Extract<ServerMessage, { responseType: T }>;
    }
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

/** An ad-hoc room with Grace teaching and Ada and Linus joined as students, each inbox drained. */
export async function roomOfThree(): Promise<{ roomId: string; teacherToken: string; grace: TestClient; ada: TestClient; linus: TestClient }> {
  const { roomId, teacherToken } = await createRoom();
  const grace = await TestClient.joined(roomId, "Grace", "Teacher", teacherToken);
  const ada = await TestClient.joined(roomId, "Ada", "Student");
  const linus = await TestClient.joined(roomId, "Linus", "Student");
  await Promise.all([grace.drain(50), ada.drain(50), linus.drain(50)]);
  return { roomId, teacherToken, grace, ada, linus };
}
