// Demo data for local development: an instructor, a student, a course they
// share, and (on every start) a class that is running now. Idempotent: rows
// that exist are left alone, so real local data is never overwritten.
import { pbkdf2Sync, randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runTool } from "./setup.mjs";

export const DEMO = {
  instructor: { id: "demoinstructor01", email: "instructor@demo.thirdspace.test", password: "demo-instructor", name: "Grace (demo instructor)" },
  student: { id: "demostudent00001", email: "student@demo.thirdspace.test", password: "demo-student", name: "Ada (demo student)" },
  course: { id: "democourse01", title: "Introduction to Programming", code: "CS101", timezone: "UTC" },
};

// Must match worker/auth/password.ts (PBKDF2-SHA256, 100,000 iterations, 32 bytes).
const ITERATIONS = 100_000;
const quote = (s) => `'${String(s).replace(/'/g, "''")}'`;

function userRow({ id, email, password, name }, now) {
  const salt = randomBytes(16);
  const hash = pbkdf2Sync(password, salt, ITERATIONS, 32, "sha256");
  return `INSERT OR IGNORE INTO users (id, email, name, password_hash, password_salt, password_iterations, created_at)
VALUES (${[id, email, name, hash.toString("base64"), salt.toString("base64")].map(quote).join(", ")}, ${ITERATIONS}, ${now});`;
}

export function demoSql(now = Date.now()) {
  const { instructor, student, course } = DEMO;
  const classId = `demo${now.toString(36)}`.slice(0, 20);
  return [
    userRow(instructor, now),
    userRow(student, now),
    `INSERT OR IGNORE INTO courses (id, title, code, description, timezone, owner_id, invite_code, calendar_token, created_at, updated_at)
VALUES (${quote(course.id)}, ${quote(course.title)}, ${quote(course.code)}, 'A demo course created by npm start.', ${quote(course.timezone)},
 ${quote(instructor.id)}, 'DEMOJOIN', ${quote(randomBytes(32).toString("base64url"))}, ${now}, ${now});`,
    `INSERT OR IGNORE INTO enrolments (course_id, user_id, role, created_at) VALUES (${quote(course.id)}, ${quote(instructor.id)}, 'instructor', ${now});`,
    `INSERT OR IGNORE INTO enrolments (course_id, user_id, role, created_at) VALUES (${quote(course.id)}, ${quote(student.id)}, 'student', ${now});`,
    // A live class for whoever starts the app: one that began 5 minutes ago and runs 3 hours.
    `INSERT INTO classes (id, course_id, title, starts_at, ends_at, created_at)
SELECT ${quote(classId)}, ${quote(course.id)}, 'Live demo class', ${now - 5 * 60_000}, ${now + 3 * 3_600_000}, ${now}
WHERE EXISTS (SELECT 1 FROM courses WHERE id = ${quote(course.id)})
  AND NOT EXISTS (SELECT 1 FROM classes WHERE course_id = ${quote(course.id)} AND starts_at <= ${now} AND ends_at > ${now + 30 * 60_000});`,
  ].join("\n");
}

export function seedDemoData(persistTo) {
  const dir = mkdtempSync(join(tmpdir(), "thirdspace-seed-"));
  try {
    const file = join(dir, "demo.sql");
    writeFileSync(file, demoSql());
    runTool("wrangler", ["d1", "execute", "DB", "--local", "--persist-to", persistTo, "--file", file, "--yes"]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
