/**
 * Live documents in a room: every student's editor and the teacher's own,
 * kept by the room as the one authority (the @codemirror/collab model).
 * A client sends its changes on top of the version it has; the room applies
 * them only on top of its current version, numbers them, stores them, and
 * sends them to everyone subscribed to that document, the sender included,
 * who confirm their own by `clientID`. Part of the wire protocol (index.ts).
 */
import * as z from "zod";

export const DOC_LIMITS = {
  /** A document as long as the code RUN accepts. */
  maxDocChars: 512 * 1024,
  /** Changes one DOC_PUSH may carry (an editor batches them). */
  maxUpdatesPerPush: 50,
  /** Documents one client may watch at once (the teacher's visible tiles). */
  maxSubscriptions: 60,
  /** A DOC_PULL further behind than this gets a snapshot instead of the changes. */
  maxPull: 500,
  /** The room keeps a snapshot every this many versions, so loading a document replays at most this many changes. */
  snapshotEvery: 100,
  /**
   * Characters one account may put into the editors (typed or pasted, over
   * all documents): two whole documents at once, then far more than anyone
   * types. Bounds how fast one student can grow the room's stored log.
   */
  typedChars: { burst: 1024 * 1024, perSecond: 16 * 1024 },
  /** A DOC_PULL or DOC_HISTORY answer carries at most about this many characters of changes (then a snapshot, or `hasMore`). */
  maxAnswerChars: 1024 * 1024,
} as const;

/**
 * `teacher` is the staff's shared editor; `student:<name>` is the editor of
 * the student who goes by that name in the room (JOIN's `payload.you`).
 */
export const DocId = z.string().regex(/^(teacher|student:[^\n]{1,60})$/, 'must be "teacher" or "student:<name>"');
export const docOfStudent = (name: string) => `student:${name}`;

const Version = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
const Position = z.number().int().min(0).max(DOC_LIMITS.maxDocChars);

/** A cursor (`anchor` = `head`) or a selection, in a document at a version. */
export const DocSelection = z.strictObject({ anchor: Position, head: Position });

/**
 * Moments on a document's timeline besides its changes: its owner ran the
 * code (and how it ended), shared it, or pasted into it.
 */
export const MARK_KINDS = ["run-ok", "run-error", "share", "paste"] as const;
export const DocMark = z.object({ version: z.number(), kind: z.enum(MARK_KINDS), at: z.number() });
export type DocMark = z.infer<typeof DocMark>;

/** One change set as CodeMirror's `ChangeSet.toJSON()` writes it; the room checks it applies. */
export const DocUpdate = z.strictObject({
  clientID: z.string().min(1).max(64),
  changes: z.array(z.union([z.number().int().min(0), z.array(z.union([z.number().int().min(0), z.string()]))])).max(10_000),
  /** The editor says this change is a paste (CodeMirror's "input.paste"); the room marks it on the timeline. */
  paste: z.literal(true).optional(),
});
export type DocUpdate = z.infer<typeof DocUpdate>;

export const docPayloads = {
  /** Replaces the set of documents this connection receives: a snapshot of each one new to the set now, then their changes live. */
  DOC_SUBSCRIBE: z.strictObject({
    docs: z.array(DocId).max(DOC_LIMITS.maxSubscriptions),
    /** Staff: first a DOC_ACTIVITY of every editor (what the grid sorts by). */
    activity: z.literal(true).optional(),
  }),
  /** Changes made on top of `version` of `doc`. */
  DOC_PUSH: z.strictObject({ doc: DocId, version: Version, updates: z.array(DocUpdate).min(1).max(DOC_LIMITS.maxUpdatesPerPush) }),
  /** The changes of `doc` after `version` (after a reconnect, or a refused push). */
  DOC_PULL: z.strictObject({ doc: DocId, version: Version }),
  /** A page of the document's log with each change's time, for playback (staff any document, a student their own). */
  DOC_HISTORY: z.strictObject({ doc: DocId, after: Version.default(0), limit: z.number().int().min(1).max(500).default(500) }),
  /** Where this client's cursor is in `doc` (at `version`, with nothing unconfirmed); null when it closes the editor. */
  DOC_CURSOR: z.strictObject({ doc: DocId, version: Version, selection: DocSelection.nullable() }),
  /** Staff: lock the students' editors (read-only) and/or have them follow the teacher's. */
  DOC_MODE: z
    .strictObject({ locked: z.boolean().optional(), follow: z.boolean().optional() })
    .refine((m) => m.locked !== undefined || m.follow !== undefined, "must set locked or follow"),
};

/** The staff's modes over the students' editors. */
export const DocMode = z.object({ locked: z.boolean(), follow: z.boolean() });
export type DocMode = z.infer<typeof DocMode>;

export const docResponses = [
  /** Changes `version`, `version + 1`, … of `doc` with their times (Unix ms); `hasMore` if later ones remain. */
  z.object({
    responseType: z.literal("DOC_HISTORY"),
    payload: z.object({
      doc: z.string(),
      version: z.number(),
      updates: z.array(z.object({ clientID: z.string(), changes: z.unknown(), at: z.number() })),
      /** The marks among these versions. */
      marks: z.array(DocMark),
      hasMore: z.boolean(),
    }),
  }),
  /** Someone else's cursor in a document this client receives; `selection` null when they closed it. */
  z.object({
    responseType: z.literal("DOC_CURSOR"),
    payload: z.object({ doc: z.string(), version: z.number(), selection: DocSelection.nullable(), by: z.string(), role: z.enum(["Student", "Teacher"]) }),
  }),
  /** To staff: a new mark on a document's timeline (a run, a share, a paste). */
  z.object({ responseType: z.literal("DOC_MARK"), payload: DocMark.extend({ doc: z.string() }) }),
  /**
   * To staff who ask (DOC_SUBSCRIBE `activity`): each document's version, when it last changed
   * and how its owner's last run ended, so the grid can sort before any
   * tile is subscribed.
   */
  z.object({
    responseType: z.literal("DOC_ACTIVITY"),
    payload: z.object({
      docs: z.array(z.object({ doc: z.string(), version: z.number(), changedAt: z.number().nullable(), lastRun: DocMark.nullable(), pastes: z.number() })),
    }),
  }),
  /** The modes now, to everyone when staff change them, and to a joiner while either is on. */
  z.object({ responseType: z.literal("DOC_MODE"), payload: DocMode.extend({ by: z.string().nullable() }) }),
  /** A document whole, at `version`: the answer to DOC_SUBSCRIBE, and to a DOC_PULL too far behind. */
  z.object({ responseType: z.literal("DOC_SNAPSHOT"), payload: z.object({ doc: z.string(), version: z.number(), text: z.string() }) }),
  /** Changes `version`, `version + 1`, … of `doc`, in order. */
  z.object({
    responseType: z.literal("DOC_UPDATES"),
    payload: z.object({
      doc: z.string(),
      version: z.number(),
      updates: z.array(z.object({ clientID: z.string(), changes: z.unknown(), paste: z.literal(true).optional() })),
    }),
  }),
] as const;
