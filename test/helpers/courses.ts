/** A course with its instructor, a TA and a student, made through the API. */
import { signUp, type Account } from "./users";

export interface CourseWorld {
  courseId: string;
  instructor: Account;
  ta: Account;
  student: Account;
  /** Signed in, enrolled in another course only. */
  outsider: Account;
}

async function must<T>(account: Account, method: string, path: string, body: unknown, status: number): Promise<T> {
  const res = await account.json<T>(method, path, body);
  if (res.status !== status) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

export async function courseWorld(): Promise<CourseWorld> {
  const [instructor, ta, student, outsider] = await Promise.all(["Ines", "Tariq", "Stu", "Otto"].map((n) => signUp(n)));
  const made = await must<{ course: { id: string }; invite: { code: string } }>(instructor!, "POST", "/api/courses", { title: "Algorithms", code: "CS1", timezone: "UTC" }, 201);
  const courseId = made.course.id;
  await must(student!, "POST", "/api/enrol", { code: made.invite.code }, 200);
  await must(ta!, "POST", "/api/enrol", { code: made.invite.code }, 200);
  await must(instructor!, "PATCH", `/api/courses/${courseId}/members/${ta!.user.id}`, { role: "ta" }, 200);
  return { courseId, instructor: instructor!, ta: ta!, student: student!, outsider: outsider! };
}
