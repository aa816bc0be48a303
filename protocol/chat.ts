/**
 * Chat in a room (and in a course's channel): messages with markdown text and
 * optional attached code or run output, edits, deletes, moderation, history,
 * and resume after a reconnect. Part of the wire protocol (see index.ts).
 */
import * as z from "zod";
import { Role } from "./roles";

export const CHAT_LIMITS = {
  maxTextChars: 4000,
  maxAttachedCodeChars: 64 * 1024,
  maxAttachedOutputChars: 16 * 1024,
  historyPage: 50,
  maxHistoryPage: 100,
  /**
   * A reconnecting client is replayed at most this many missed events, and at
   * most this many bytes of them; beyond either, it gets fresh snapshots (a
   * page of history, a page of the board). The room keeps one event more
   * than this in its log and no older ones.
   */
  maxReplay: 200,
  maxReplayBytes: 256 * 1024,
  /** Per account in a room, over all its connections: a burst of this many chat actions… */
  burst: 10,
  /** …then this many per second. */
  perSecond: 1,
} as const;

/** Chosen by the client for each message it sends, so a retry is recognised and never stored twice. */
export const ClientId = z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, "must be 8-64 letters, digits, '-' or '_'");
const Text = z
  .string()
  .max(CHAT_LIMITS.maxTextChars, `must be at most ${CHAT_LIMITS.maxTextChars} characters`)
  .refine((t) => t.trim().length > 0, "must not be empty");
const MessageId = z.number().int().positive();

export const Attachment = z.strictObject({
  code: z.string().max(CHAT_LIMITS.maxAttachedCodeChars, `must be at most ${CHAT_LIMITS.maxAttachedCodeChars} characters`).optional(),
  output: z.string().max(CHAT_LIMITS.maxAttachedOutputChars, `must be at most ${CHAT_LIMITS.maxAttachedOutputChars} characters`).optional(),
});

export const chatPayloads = {
  CHAT: z.strictObject({ clientId: ClientId, text: Text, attach: Attachment.optional() }),
  CHAT_EDIT: z.strictObject({ id: MessageId, text: Text }),
  CHAT_DELETE: z.strictObject({ id: MessageId }),
  /** `username`: the name the student goes by in this room (a display name, or "Name (2)" for a namesake). */
  MUTE: z.strictObject({ username: z.string().min(1).max(60), muted: z.boolean() }),
  HISTORY: z.strictObject({
    before: MessageId.optional(),
    limit: z.number().int().min(1).max(CHAT_LIMITS.maxHistoryPage).default(CHAT_LIMITS.historyPage),
  }),
};

export const ChatMessage = z.object({
  id: z.number(),
  clientId: z.string(),
  author: z.string(),
  authorRole: Role,
  text: z.string(),
  attach: z.object({ code: z.string().optional(), output: z.string().optional() }).nullable(),
  createdAt: z.number(),
  editedAt: z.number().nullable(),
  deleted: z.boolean(),
});
export type ChatMessage = z.infer<typeof ChatMessage>;

export const chatResponses = [
  /** A new message, to everyone; the sender's copy confirms it is stored. */
  z.object({ responseType: z.literal("CHAT"), payload: z.object({ message: ChatMessage }), seq: z.number() }),
  /**
   * To the sender only: a CHAT it sent again (same clientId) is already
   * stored as message `id`, created at `seq`. Nothing new was stored.
   */
  z.object({ responseType: z.literal("ACK"), payload: z.object({ clientId: z.string(), id: z.number() }), seq: z.number() }),
  /** A message edited or deleted (then text is empty and `deleted` true). */
  z.object({ responseType: z.literal("CHAT_UPDATE"), payload: z.object({ message: ChatMessage }), seq: z.number() }),
  z.object({
    responseType: z.literal("MUTED"),
    payload: z.object({ username: z.string(), muted: z.boolean(), by: z.string() }),
    seq: z.number(),
  }),
  /**
   * A page of messages, oldest first: the answer to HISTORY, or, marked
   * `reset` ("replace what you have"), sent after a JOIN whose `lastSeq` is
   * too far behind to replay.
   */
  z.object({
    responseType: z.literal("HISTORY"),
    payload: z.object({
      messages: z.array(ChatMessage),
      hasMore: z.boolean(),
      reset: z.boolean(),
      /** Display names muted in this chat now, so a client that starts fresh knows too. */
      muted: z.array(z.string()),
    }),
    seq: z.number().optional(),
  }),
] as const;
