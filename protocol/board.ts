/**
 * The question board and the help queue ("raise hand"). Classmates see
 * anonymous questions without their author and see the queue without
 * names or code; staff see everything. Part of the wire protocol.
 */
import * as z from "zod";
import { ClientId } from "./chat";

export const BOARD_LIMITS = {
  maxQuestionChars: 2000,
  maxAnswerChars: 4000,
  maxNoteChars: 500,
  maxHandCodeChars: 64 * 1024,
  /** BOARD answers at most this many questions, the newest; `before` asks for older ones. */
  boardPage: 100,
} as const;

const Id = z.number().int().positive();
const Question = z
  .string()
  .max(BOARD_LIMITS.maxQuestionChars, `must be at most ${BOARD_LIMITS.maxQuestionChars} characters`)
  .refine((t) => t.trim().length > 0, "must not be empty");

export const boardPayloads = {
  ASK: z.strictObject({ clientId: ClientId, text: Question, anonymous: z.boolean().default(false) }),
  VOTE: z.strictObject({ id: Id, up: z.boolean() }),
  ANSWER: z.strictObject({
    id: Id,
    answer: z.string().max(BOARD_LIMITS.maxAnswerChars, `must be at most ${BOARD_LIMITS.maxAnswerChars} characters`).optional(),
  }),
  HAND_RAISE: z.strictObject({
    clientId: ClientId,
    note: z.string().max(BOARD_LIMITS.maxNoteChars, `must be at most ${BOARD_LIMITS.maxNoteChars} characters`).optional(),
    code: z.string().max(BOARD_LIMITS.maxHandCodeChars, `must be at most ${BOARD_LIMITS.maxHandCodeChars} characters`).optional(),
    line: z.number().int().min(1).max(1_000_000).optional(),
  }),
  /** Staff remove any question (moderation); an author removes their own. */
  QUESTION_DELETE: z.strictObject({ id: Id }),
  HAND_WITHDRAW: z.strictObject({ id: Id }),
  HAND_CLAIM: z.strictObject({ id: Id }),
  HAND_RESOLVE: z.strictObject({ id: Id }),
  /** Without `before`: the newest page of questions and every open hand. With it: the questions older than that id. */
  BOARD: z.strictObject({ before: Id.optional() }),
};

export const QuestionView = z.object({
  id: z.number(),
  clientId: z.string(),
  text: z.string(),
  /** Null for classmates when the question is anonymous; staff always see it. */
  author: z.string().nullable(),
  anonymous: z.boolean(),
  votes: z.number(),
  askedAt: z.number(),
  answeredAt: z.number().nullable(),
  answeredBy: z.string().nullable(),
  answer: z.string().nullable(),
});
export type QuestionView = z.infer<typeof QuestionView>;

export const HandView = z.object({
  id: z.number(),
  clientId: z.string(),
  status: z.enum(["waiting", "claimed", "resolved", "withdrawn"]),
  raisedAt: z.number(),
  claimedBy: z.string().nullable(),
  /** Staff only: who asked, their note, code and line. Null for classmates. */
  student: z.string().nullable(),
  note: z.string().nullable(),
  code: z.string().nullable(),
  line: z.number().nullable(),
});
export type HandView = z.infer<typeof HandView>;

export const boardResponses = [
  z.object({ responseType: z.literal("QUESTION"), payload: z.object({ question: QuestionView }), seq: z.number() }),
  /** A question was removed, by staff or by its author: gone from everyone's board. */
  z.object({ responseType: z.literal("QUESTION_DELETED"), payload: z.object({ id: z.number(), by: z.string() }), seq: z.number() }),
  z.object({ responseType: z.literal("HAND"), payload: z.object({ hand: HandView }), seq: z.number() }),
  /**
   * The answer to BOARD, as this recipient may see it: a page of questions
   * (oldest first within it; `hasMore` when older ones exist) and, on the
   * first page only, every open hand. `before` echoes the request's.
   */
  z.object({
    responseType: z.literal("BOARD"),
    payload: z.object({
      questions: z.array(QuestionView),
      hands: z.array(HandView),
      hasMore: z.boolean(),
      /** The clientIds of the recipient's own questions and hands among these. */
      mine: z.array(z.string()),
      before: z.number().optional(),
    }),
    seq: z.number(),
  }),
] as const;
