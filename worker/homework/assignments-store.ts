/** Assignments, their files and extensions in D1 (migrations/0003_assignments.sql). */
import type { AssignmentInfo, ExtensionInfo, LatePolicy } from "../../protocol";

/** What staff set on an assignment; the rest of AssignmentInfo is the server's. */
export type AssignmentFields = Pick<
  AssignmentInfo,
  "title" | "description" | "points" | "due" | "dueAt" | "latePolicy" | "status" | "starterFiles" | "handoutFiles"
>;

type Row = Record<string, unknown>;

function policyOf(r: Row): LatePolicy {
  if (r.late_policy === "penalty") return { kind: "penalty", percentPerDay: r.penalty_per_day as number, maxPercent: r.penalty_max as number };
  return { kind: r.late_policy as "refuse" | "mark" };
}

function toAssignment(r: Row, files: { file_id: string; kind: string }[]): AssignmentInfo {
  return {
    id: r.id as string,
    courseId: r.course_id as string,
    title: r.title as string,
    description: r.description as string,
    points: r.points as number,
    due: r.due_local as string,
    dueAt: r.due_at as number,
    latePolicy: policyOf(r),
    status: r.status as "draft" | "published",
    released: r.released_at !== null,
    starterFiles: files.filter((f) => f.kind === "starter").map((f) => f.file_id),
    handoutFiles: files.filter((f) => f.kind === "handout").map((f) => f.file_id),
    createdAt: r.created_at as number,
    updatedAt: r.updated_at as number,
  };
}

const policyColumns = (p: LatePolicy) =>
  p.kind === "penalty" ? [p.kind, p.percentPerDay, p.maxPercent] : [p.kind, 0, 0];

function fileRows(db: D1Database, id: string, f: Pick<AssignmentFields, "starterFiles" | "handoutFiles">): D1PreparedStatement[] {
  const rows = [...f.starterFiles.map((fileId) => ["starter", fileId]), ...f.handoutFiles.map((fileId) => ["handout", fileId])];
  return [
    db.prepare("DELETE FROM assignment_files WHERE assignment_id = ?").bind(id),
    ...rows.map(([kind, fileId], position) =>
      db.prepare("INSERT INTO assignment_files (assignment_id, file_id, kind, position) VALUES (?, ?, ?, ?)").bind(id, fileId, kind, position),
    ),
  ];
}

export async function createAssignment(db: D1Database, id: string, courseId: string, by: string, f: AssignmentFields, now: number): Promise<void> {
  await db.batch([
    db
      .prepare(
        `INSERT INTO assignments (id, course_id, title, description, points, due_local, due_at, late_policy, penalty_per_day, penalty_max, status, created_by, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .bind(id, courseId, f.title, f.description, f.points, f.due, f.dueAt, ...policyColumns(f.latePolicy), f.status, by, now, now),
    ...fileRows(db, id, f),
  ]);
}

export async function updateAssignment(db: D1Database, id: string, f: AssignmentFields, now: number): Promise<void> {
  await db.batch([
    db
      .prepare(
        `UPDATE assignments SET title = ?, description = ?, points = ?, due_local = ?, due_at = ?, late_policy = ?,
         penalty_per_day = ?, penalty_max = ?, status = ?, updated_at = ? WHERE id = ?`,
      )
      .bind(f.title, f.description, f.points, f.due, f.dueAt, ...policyColumns(f.latePolicy), f.status, now, id),
    ...fileRows(db, id, f),
  ]);
}

async function filesOf(db: D1Database, ids: string[]): Promise<Map<string, { file_id: string; kind: string }[]>> {
  const byAssignment = new Map<string, { file_id: string; kind: string }[]>();
  if (ids.length === 0) return byAssignment;
  const { results } = await db
    .prepare(`SELECT assignment_id, file_id, kind FROM assignment_files WHERE assignment_id IN (${ids.map(() => "?").join(", ")}) ORDER BY position`)
    .bind(...ids)
    .all<{ assignment_id: string; file_id: string; kind: string }>();
  for (const r of results) byAssignment.set(r.assignment_id, [...(byAssignment.get(r.assignment_id) ?? []), r]);
  return byAssignment;
}

export async function getAssignment(db: D1Database, id: string): Promise<AssignmentInfo | null> {
  const row = await db.prepare("SELECT * FROM assignments WHERE id = ?").bind(id).first();
  if (!row) return null;
  return toAssignment(row, (await filesOf(db, [id])).get(id) ?? []);
}

export async function courseAssignments(db: D1Database, courseId: string, publishedOnly: boolean): Promise<AssignmentInfo[]> {
  const { results } = await db
    .prepare(`SELECT * FROM assignments WHERE course_id = ? ${publishedOnly ? "AND status = 'published'" : ""} ORDER BY due_at, id`)
    .bind(courseId)
    .all();
  const files = await filesOf(db, results.map((r) => r.id as string));
  return results.map((r) => toAssignment(r, files.get(r.id as string) ?? []));
}

export async function setExtension(db: D1Database, assignmentId: string, userId: string, due: string, dueAt: number, by: string, now: number): Promise<void> {
  await db
    .prepare(
      `INSERT INTO extensions (assignment_id, user_id, due_local, due_at, granted_by, created_at) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (assignment_id, user_id) DO UPDATE SET due_local = excluded.due_local, due_at = excluded.due_at, granted_by = excluded.granted_by`,
    )
    .bind(assignmentId, userId, due, dueAt, by, now)
    .run();
}

export async function removeExtension(db: D1Database, assignmentId: string, userId: string): Promise<boolean> {
  const { meta } = await db.prepare("DELETE FROM extensions WHERE assignment_id = ? AND user_id = ?").bind(assignmentId, userId).run();
  return meta.changes > 0;
}

/** Extensions of one assignment, or one user's across a course's assignments. */
export async function extensions(db: D1Database, by: { assignmentId: string } | { userId: string; courseId: string }): Promise<(ExtensionInfo & { assignmentId: string })[]> {
  const query =
    "assignmentId" in by
      ? db.prepare("SELECT * FROM extensions WHERE assignment_id = ? ORDER BY user_id").bind(by.assignmentId)
      : db
          .prepare("SELECT e.* FROM extensions e JOIN assignments a ON a.id = e.assignment_id WHERE e.user_id = ? AND a.course_id = ?")
          .bind(by.userId, by.courseId);
  const { results } = await query.all();
  return results.map((r) => ({ assignmentId: r.assignment_id as string, userId: r.user_id as string, due: r.due_local as string, dueAt: r.due_at as number }));
}
