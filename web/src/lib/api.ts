/** The HTTP API, typed. Errors come back as `{ error, fields? }` (docs/api.md). */
import type { RoomSummary } from "../../../protocol";

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly fields: Record<string, string> = {},
  ) {
    super(message);
  }
}

async function call<T>(path: string, init?: RequestInit): Promise<T> {
  const res = await fetch(path, { ...init, headers: { "content-type": "application/json", ...init?.headers } });
  const body = (await res.json().catch(() => ({}))) as { error?: string; fields?: Record<string, string> };
  if (!res.ok) throw new ApiError(res.status, body.error ?? `Request failed (${res.status})`, body.fields);
  return body as T;
}

export const createRoom = (title?: string) =>
  call<{ roomId: string; teacherToken: string }>("/api/rooms", {
    method: "POST",
    body: JSON.stringify(title ? { title } : {}),
  });

export const getRoom = (roomId: string) => call<RoomSummary>(`/api/rooms/${encodeURIComponent(roomId)}`);
