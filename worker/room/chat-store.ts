/** Chat messages and muted users in the room's SQLite database (tables from storage.ts, schema v4). */
import type { ChatMessage, Role } from "../../protocol";

type ChatRow = {
  id: number;
  client_id: string;
  author_id: string;
  author: string;
  author_role: Role;
  text: string;
  attach: string | null;
  created_at: number;
  edited_at: number | null;
  deleted_at: number | null;
  seq: number;
};

export interface StoredMessage {
  message: ChatMessage;
  authorId: string;
  /** The sequence number of the message's creation. */
  seq: number;
}

function toMessage(r: ChatRow): StoredMessage {
  const deleted = r.deleted_at !== null;
  return {
    authorId: r.author_id,
    seq: r.seq,
    message: {
      id: r.id,
      clientId: r.client_id,
      author: r.author,
      authorRole: r.author_role,
      text: deleted ? "" : r.text,
      attach: deleted || r.attach === null ? null : (JSON.parse(r.attach) as ChatMessage["attach"]),
      createdAt: r.created_at,
      editedAt: r.edited_at,
      deleted,
    },
  };
}

export class ChatStore {
  constructor(private readonly sql: SqlStorage) {}

  byClientId(authorId: string, clientId: string): StoredMessage | null {
    const row = this.sql.exec<ChatRow>("SELECT * FROM chat WHERE author_id = ? AND client_id = ?", authorId, clientId).toArray()[0];
    return row ? toMessage(row) : null;
  }

  get(id: number): StoredMessage | null {
    const row = this.sql.exec<ChatRow>("SELECT * FROM chat WHERE id = ?", id).toArray()[0];
    return row ? toMessage(row) : null;
  }

  insert(m: {
    clientId: string;
    authorId: string;
    author: string;
    role: Role;
    text: string;
    attach: ChatMessage["attach"];
    now: number;
    seq: number;
  }): StoredMessage {
    const row = this.sql
      .exec<ChatRow>(
        `INSERT INTO chat (client_id, author_id, author, author_role, text, attach, created_at, seq)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING *`,
        m.clientId,
        m.authorId,
        m.author,
        m.role,
        m.text,
        m.attach ? JSON.stringify(m.attach) : null,
        m.now,
        m.seq,
      )
      .one();
    return toMessage(row);
  }

  edit(id: number, text: string, now: number): StoredMessage {
    return toMessage(this.sql.exec<ChatRow>("UPDATE chat SET text = ?, edited_at = ? WHERE id = ? RETURNING *", text, now, id).one());
  }

  /** Keeps the row (ids and replies stay stable) but drops its content. */
  delete(id: number, now: number): StoredMessage {
    return toMessage(
      this.sql.exec<ChatRow>("UPDATE chat SET text = '', attach = NULL, deleted_at = ? WHERE id = ? RETURNING *", now, id).one(),
    );
  }

  /** Up to `limit` messages before message `before` (or the latest), oldest first. */
  page(before: number | undefined, limit: number): { messages: ChatMessage[]; hasMore: boolean } {
    const rows = this.sql
      .exec<ChatRow>("SELECT * FROM chat WHERE id < ? ORDER BY id DESC LIMIT ?", before ?? Number.MAX_SAFE_INTEGER, limit + 1)
      .toArray();
    return { messages: rows.slice(0, limit).reverse().map((r) => toMessage(r).message), hasMore: rows.length > limit };
  }

  /** The student account behind a display name that has written in this chat (the latest, if several). */
  studentIdByName(username: string): string | null {
    return (
      this.sql
        .exec<{ author_id: string }>("SELECT author_id FROM chat WHERE author = ? AND author_role = 'Student' ORDER BY id DESC LIMIT 1", username)
        .toArray()[0]?.author_id ?? null
    );
  }

  setMuted(userId: string, username: string, muted: boolean, by: string, now: number): void {
    if (muted) {
      this.sql.exec(
        `INSERT INTO muted (user_id, username, muted_by, muted_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (user_id) DO UPDATE SET muted_by = excluded.muted_by, muted_at = excluded.muted_at`,
        userId,
        username,
        by,
        now,
      );
    } else {
      this.sql.exec("DELETE FROM muted WHERE user_id = ?", userId);
    }
  }

  mutedNames(): string[] {
    return this.sql.exec<{ username: string }>("SELECT username FROM muted ORDER BY muted_at").toArray().map((r) => r.username);
  }

  isMuted(userId: string): boolean {
    return this.sql.exec("SELECT 1 FROM muted WHERE user_id = ?", userId).toArray().length > 0;
  }
}
