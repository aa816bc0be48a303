// Demo data for local development: an instructor, a student, a course they
// share with an assignment (a handout, starter code and autograder tests), and (on every
// start) a class that is running now. Idempotent: rows
// that exist are left alone, so real local data is never overwritten.
import { createHash, pbkdf2Sync, randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runTool } from "./setup.mjs";

export const DEMO = {
  instructor: { id: "demoinstructor01", email: "instructor@demo.thirdspace.test", password: "demo-instructor", name: "Grace (demo instructor)" },
  student: { id: "demostudent00001", email: "student@demo.thirdspace.test", password: "demo-student", name: "Ada (demo student)" },
  course: { id: "democourse01", title: "Introduction to Programming", code: "CS101", timezone: "UTC" },
  assignment: { id: "demoassign01", title: "Add two numbers", handoutId: "demohandout1", starterId: "demostarter1" },
};

/** The demo assignment's handout, stored in local R2 (the bucket of wrangler.toml). */
const HANDOUT = `Add two numbers
===============

Write main.js. Export a function add(a, b) that returns their sum, and make
the program read one line with two numbers (input()) and print their sum.

    2 3   ->   5
`;
const HANDOUT_KEY = `courses/${DEMO.course.id}/files/${DEMO.assignment.handoutId}`;

/** Its starter code, which staff can hand out into every editor of a class. */
const STARTER = `// Add two numbers: see the handout.
export function add(a, b) {
  // Your code here.
}

// The autograder gives input() a line such as "2 3"; Run in the room has none, so it uses the example.
const [a, b] = (input() ?? "2 3").split(" ").map(Number);
console.log(add(a, b));
`;
const STARTER_KEY = `courses/${DEMO.course.id}/files/${DEMO.assignment.starterId}`;

/** The rows and local R2 objects of the demo's files. */
const DEMO_FILES = [
  { id: DEMO.assignment.handoutId, name: "add-two-numbers.txt", key: HANDOUT_KEY, body: HANDOUT, type: "text/plain", kind: "handout" },
  { id: DEMO.assignment.starterId, name: "main.js", key: STARTER_KEY, body: STARTER, type: "text/javascript", kind: "starter" },
];

/** Its tests: one visible input/output test, one hidden assertion (docs/grading.md). */
const DEMO_TESTS = [
  { kind: "io", name: "adds two numbers", points: 2, budget: 4000, hidden: false, stdin: "2 3\n", args: [], expected: "5", ignoreWhitespace: true, ignoreCase: false },
  { kind: "assert", name: "add handles negatives", points: 3, budget: 4000, hidden: true, code: "assert.equal(add(-7, 4), -3)" },
];

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
    ...demoAssignmentSql(now),
    // A live class for whoever starts the app: one that began 5 minutes ago and runs 3 hours.
    `INSERT INTO classes (id, course_id, title, starts_at, ends_at, created_at)
SELECT ${quote(classId)}, ${quote(course.id)}, 'Live demo class', ${now - 5 * 60_000}, ${now + 3 * 3_600_000}, ${now}
WHERE EXISTS (SELECT 1 FROM courses WHERE id = ${quote(course.id)})
  AND NOT EXISTS (SELECT 1 FROM classes WHERE course_id = ${quote(course.id)} AND starts_at <= ${now} AND ends_at > ${now + 30 * 60_000});`,
  ].join("\n");
}

/** A published assignment due in two weeks, with a handout and tests; left alone once it exists. */
function demoAssignmentSql(now) {
  const { course, instructor, assignment } = DEMO;
  const due = new Date(now + 14 * 86_400_000).toISOString().slice(0, 10);
  const dueAt = Date.parse(`${due}T23:59:00Z`);
  return [
    ...DEMO_FILES.map(
      (f) => `INSERT OR IGNORE INTO files (id, course_id, name, size, content_type, visibility, r2_key, etag, uploaded_by, created_at)
VALUES (${[f.id, course.id, f.name].map(quote).join(", ")}, ${Buffer.byteLength(f.body)}, ${quote(f.type)}, 'members',
 ${quote(f.key)}, ${quote(`"${createHash("md5").update(f.body).digest("hex")}"`)}, ${quote(instructor.id)}, ${now});`,
    ),
    `INSERT OR IGNORE INTO assignments (id, course_id, title, description, points, due_local, due_at, late_policy, penalty_per_day, penalty_max, status, created_by, created_at, updated_at)
VALUES (${[assignment.id, course.id, assignment.title].map(quote).join(", ")}, ${quote("Read the handout, then submit `main.js`.")}, 5,
 ${quote(`${due}T23:59`)}, ${dueAt}, 'penalty', 10, 30, 'published', ${quote(instructor.id)}, ${now}, ${now});`,
    ...DEMO_FILES.map(
      (f) => `INSERT OR IGNORE INTO assignment_files (assignment_id, file_id, kind, position) VALUES (${quote(assignment.id)}, ${quote(f.id)}, ${quote(f.kind)}, 0);`,
    ),
    `INSERT OR IGNORE INTO assignment_tests (assignment_id, tests, version, updated_at) VALUES (${quote(assignment.id)}, ${quote(JSON.stringify(DEMO_TESTS))}, 1, ${now});`,
  ];
}

export function seedDemoData(persistTo) {
  const dir = mkdtempSync(join(tmpdir(), "thirdspace-seed-"));
  try {
    const file = join(dir, "demo.sql");
    writeFileSync(file, demoSql());
    runTool("wrangler", ["d1", "execute", "DB", "--local", "--persist-to", persistTo, "--file", file, "--yes"]);
    for (const f of DEMO_FILES) {
      const body = join(dir, f.id);
      writeFileSync(body, f.body);
      runTool("wrangler", ["r2", "object", "put", `thirdspace-files/${f.key}`, "--local", "--persist-to", persistTo, "--file", body, "--content-type", f.type]);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
