/** Signed-in test users: sign up through the API and carry the session cookie. */
import { SELF } from "cloudflare:test";

export const BASE = "http://thirdspace.test";
export const PASSWORD = "correct horse battery";

export interface Account {
  user: { id: string; email: string; name: string };
  cookie: string;
  /** A same-origin request with this user's cookie. */
  fetch(path: string, init?: RequestInit): Promise<Response>;
  json<T = unknown>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }>;
}

/** The session cookie to send back: `__Host-ts_session` over https, `ts_session` over http. */
export function sessionCookie(res: Response): string {
  const header = res.headers.get("set-cookie") ?? "";
  const match = /(?:^|,\s*)((?:__Host-)?ts_session)=([^;]*)/.exec(header);
  if (!match) throw new Error(`no session cookie in ${JSON.stringify(header)}`);
  return `${match[1]}=${match[2]}`;
}

export function asAccount(user: Account["user"], cookie: string): Account {
  const fetchAs = (path: string, init: RequestInit = {}) => {
    const headers = new Headers(init.headers);
    headers.set("Cookie", cookie);
    if (!headers.has("Origin")) headers.set("Origin", BASE);
    return SELF.fetch(`${BASE}${path}`, { ...init, headers });
  };
  return {
    user,
    cookie,
    fetch: fetchAs,
    async json(method, path, body) {
      const res = await fetchAs(path, {
        method,
        ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { "content-type": "application/json" } }),
      });
      const text = await res.text();
      return { status: res.status, body: text ? JSON.parse(text) : null };
    },
  };
}

let counter = 0;

export async function signUp(name = "Ada", email?: string): Promise<Account> {
  counter += 1;
  const address = email ?? `${name.toLowerCase().replace(/\W/g, "")}.${counter}.${crypto.randomUUID().slice(0, 8)}@example.com`;
  const res = await SELF.fetch(`${BASE}/api/auth/signup`, {
    method: "POST",
    headers: { Origin: BASE, "CF-Connecting-IP": `10.0.${counter % 250}.${Math.floor(Math.random() * 250)}` },
    body: JSON.stringify({ email: address, password: PASSWORD, name }),
  });
  if (res.status !== 201) throw new Error(`sign up ${address}: ${res.status} ${await res.text()}`);
  const { user } = (await res.json()) as { user: Account["user"] };
  return asAccount(user, sessionCookie(res));
}
