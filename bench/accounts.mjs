// Every room participant is a signed-in user. The bench signs up one account
// per simulated person; each gets its own client address, as separate
// machines would, so the per-address sign-up limit is not what is measured.

let next = 0;

/** Signs up `name` and returns the session cookie for later requests and sockets. */
export async function signUp(target, name) {
  next += 1;
  const address = `10.${(next >> 16) & 255}.${(next >> 8) & 255}.${next & 255}`;
  const res = await fetch(`${target.http}/api/auth/signup`, {
    method: "POST",
    headers: { "content-type": "application/json", origin: target.http, "cf-connecting-ip": address },
    body: JSON.stringify({ email: `bench.${Date.now().toString(36)}.${next}@example.com`, password: "bench-password", name }),
  });
  if (res.status !== 201) throw new Error(`sign up ${name}: ${res.status} ${await res.text()}`);
  const cookie = /ts_session=[^;]*/.exec(res.headers.get("set-cookie") ?? "")?.[0];
  if (!cookie) throw new Error(`sign up ${name}: no session cookie`);
  return cookie;
}

/** Creates an ad-hoc room as a fresh host account. */
export async function createRoom(target) {
  const cookie = await signUp(target, "Host");
  const res = await fetch(`${target.http}/api/rooms`, {
    method: "POST",
    headers: { "content-type": "application/json", origin: target.http, cookie },
    body: "{}",
  });
  if (res.status !== 201) throw new Error(`POST /api/rooms answered ${res.status}: ${await res.text()}`);
  return res.json();
}
