// Every room participant is a signed-in user, and ThirdSpace takes each
// participant's name from the account. Sign-up hashes the password (PBKDF2,
// tens of ms each), so the bench signs up one pool of accounts per server
// before anything is measured and reuses it for every room: a user may be in
// several rooms, and within one room each account is used once.
//
// Each sign-up comes from its own client address, as separate machines would,
// so the per-address sign-up limit is not what is measured.
//
// Courses (for uploads and homework) are made the way a class gets one: the
// teacher creates it and the students enrol with its invite code.

let next = 0;

/** Signs up `name` and returns { name, cookie }; the name is what the room will call them. */
export async function signUp(target, name) {
  next += 1;
  const address = `10.${(next >> 16) & 255}.${(next >> 8) & 255}.${next & 255}`;
  const res = await fetch(`${target.http}/api/auth/signup`, {
    method: "POST",
    headers: { "content-type": "application/json", origin: target.http, "cf-connecting-ip": address },
    body: JSON.stringify({ email: `bench.${Date.now().toString(36)}.${next}@example.com`, password: "bench-password", name }),
  });
  if (res.status !== 201) throw new Error(`${target.name}: sign up ${name}: ${res.status} ${await res.text()}`);
  // __Host-ts_session over https, ts_session over http (the bench runs on http://127.0.0.1).
  const cookie = /(?:__Host-)?ts_session=[^;]*/.exec(res.headers.get("set-cookie") ?? "")?.[0];
  if (!cookie) throw new Error(`${target.name}: sign up ${name}: no session cookie`);
  return { name, cookie };
}

/**
 * Signs up a teacher and `students` students on `target`, a few at a time (the
 * server hashes on its own threads; more in flight only queues), and returns
 * { teacher, students: [...] }.
 */
export async function signUpPool(target, students, concurrency = 6) {
  const names = ["Teacher", ...Array.from({ length: students }, (_, i) => `S${i}`)];
  const accounts = new Array(names.length);
  let i = 0;
  const worker = async () => {
    while (i < names.length) {
      const k = i++;
      accounts[k] = await signUp(target, names[k]);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return { teacher: accounts[0], students: accounts.slice(1) };
}

/**
 * One JSON call to the API as `account`, from the site's own origin (writes
 * from anywhere else are refused). Answers the parsed body; any status but
 * `expect` is an error naming the call.
 */
export async function api(target, account, method, path, body, expect = 200) {
  const res = await fetch(`${target.http}${path}`, {
    method,
    headers: { "content-type": "application/json", origin: target.http, cookie: account.cookie },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (res.status !== expect) throw new Error(`${target.name}: ${method} ${path} answered ${res.status}: ${await res.text()}`);
  return res.status === 204 ? null : res.json();
}

/** Creates an ad-hoc room as `host`; answers { roomId, teacherToken }. */
export function createRoom(target, host) {
  return api(target, host, "POST", "/api/rooms", {}, 201);
}

/**
 * A course taught by `instructor` with `students` enrolled through its invite
 * code, as a class joins one (a few at a time, like signUpPool). Answers the
 * course id.
 */
export async function createCourse(target, instructor, students, concurrency = 6) {
  const { course, invite } = await api(
    target,
    instructor,
    "POST",
    "/api/courses",
    { title: "Bench course", code: "BENCH", timezone: "UTC" },
    201,
  );
  let i = 0;
  const worker = async () => {
    while (i < students.length) await api(target, students[i++], "POST", "/api/enrol", { code: invite.code });
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return course.id;
}
