/**
 * Room ids and course roles, read the same way by the gateway and the web
 * app: an ad-hoc room has a random id, a scheduled class's room is
 * "class-<classId>" and a course's channel "course-<courseId>".
 */
import type { Role } from "./roles";
import type { CourseRole } from "./http";

const CLASS_ROOM = /^class-([A-Za-z0-9]{6,32})$/;
const COURSE_CHANNEL = /^course-([A-Za-z0-9]{6,32})$/;

export type RoomRef = { kind: "class"; classId: string } | { kind: "channel"; courseId: string } | { kind: "adhoc" };

/** What a room id names. Says nothing about whether the room exists. */
export function parseRoomId(roomId: string): RoomRef {
  const classId = CLASS_ROOM.exec(roomId)?.[1];
  if (classId) return { kind: "class", classId };
  const courseId = COURSE_CHANNEL.exec(roomId)?.[1];
  if (courseId) return { kind: "channel", courseId };
  return { kind: "adhoc" };
}

export const classRoomId = (classId: string) => `class-${classId}`;
export const courseChannelId = (courseId: string) => `course-${courseId}`;

/** The role a course member takes in its class rooms and channel: instructors and TAs are staff. */
export const ROOM_ROLE: Record<CourseRole, Role> = { instructor: "Teacher", ta: "Teacher", student: "Student" };
