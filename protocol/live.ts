/**
 * Live video in a room: a staff member goes live (camera, screen,
 * microphone) and everyone in the room watches beside their editor. On the
 * local provider the video goes from the teacher's browser to each viewer's
 * over WebRTC, and the room only relays the offers, answers and ICE
 * candidates (LIVE_SIGNAL); on Stream the teacher publishes by WHIP and
 * viewers play by WHEP. In a class room the teacher's browser also records
 * the class into a lecture. Part of the wire protocol (index.ts).
 */
import * as z from "zod";

export const LIVE_LIMITS = {
  /** An offer or answer with audio, video and its candidates is 3–10 KB; far more is not a session description. */
  maxSdpChars: 64 * 1024,
  /** One ICE candidate line is about 100 characters. */
  maxCandidateChars: 2048,
  /**
   * Viewers one broadcast serves on the local provider. Each viewer is a
   * separate encode and upload on the teacher's machine (bench/live.mjs
   * measures the upload per viewer); past this many, go live on Stream,
   * which serves any number from Cloudflare's network.
   */
  localViewers: 25,
} as const;

/** One connection to the room, as signalling names it: the room gives every socket its own. */
export const PeerId = z.string().regex(/^[A-Za-z0-9]{6,32}$/, "must be a peer id");

export const SIGNAL_KINDS = ["hello", "offer", "answer", "candidate", "bye"] as const;

const Candidate = z.strictObject({
  candidate: z.string().max(LIVE_LIMITS.maxCandidateChars),
  sdpMid: z.string().max(64).nullable().optional(),
  sdpMLineIndex: z.number().int().min(0).max(64).nullable().optional(),
  usernameFragment: z.string().max(256).nullable().optional(),
});

export const livePayloads = {
  /**
   * Goes live from this connection. `resume` takes back a broadcast this
   * account started, after its connection dropped: same recording, new peer.
   * `record: false` goes live without recording (a class room records by default).
   */
  LIVE_START: z.strictObject({ resume: z.boolean().optional(), record: z.boolean().optional() }),
  /** Ends the broadcast (any staff member). */
  LIVE_STOP: z.strictObject({}),
  /**
   * To one peer: `hello` (a viewer asks for the video), `offer` / `answer`
   * (with `sdp`), `candidate` (with `candidate`), `bye` (a side hangs up).
   * A viewer may signal only the broadcaster.
   */
  LIVE_SIGNAL: z
    .strictObject({
      to: PeerId,
      kind: z.enum(SIGNAL_KINDS),
      sdp: z.string().max(LIVE_LIMITS.maxSdpChars).optional(),
      candidate: Candidate.optional(),
    })
    .refine((s) => (s.kind === "offer" || s.kind === "answer") === (s.sdp !== undefined), "sdp comes with offer and answer, and only with them")
    .refine((s) => (s.kind === "candidate") === (s.candidate !== undefined), "candidate comes with kind candidate, and only with it"),
};

/** The broadcast, as everyone in the room sees it. */
export const LiveState = z.object({
  /** Who is live, by their name in the room. */
  by: z.string(),
  /** The broadcasting connection; null while it reconnects (the video may go on, signalling waits). */
  peer: PeerId.nullable(),
  startedAt: z.number(),
  provider: z.enum(["local", "stream"]),
  /** Stream: where viewers play it (WHEP). */
  whepUrl: z.string().nullable(),
  /** Whether the class is being recorded into a lecture. */
  recording: z.boolean(),
});
export type LiveState = z.infer<typeof LiveState>;

export const liveResponses = [
  /** Sent to everyone when a broadcast starts, pauses, resumes or ends (`live: null`), and to each joiner while one is on. */
  z.object({ responseType: z.literal("LIVE_STATE"), payload: z.object({ live: LiveState.nullable() }) }),
  /**
   * To the one who went live: where the recording goes (an open-ended
   * upload, docs/api.md § Recordings) and, on Stream, where to publish.
   */
  z.object({
    responseType: z.literal("LIVE_STARTED"),
    payload: z.object({
      recording: z.object({ lectureId: z.string(), uploadId: z.string(), partSize: z.number(), recordedAt: z.number() }).nullable(),
      /** Why there is no recording, when a class room could not start one. */
      problem: z.string().nullable(),
      whipUrl: z.string().nullable(),
    }),
  }),
  /** A signal from one peer, with who sent it (filled in by the room). */
  z.object({
    responseType: z.literal("LIVE_SIGNAL"),
    payload: z.object({
      from: PeerId,
      by: z.string(),
      kind: z.enum(SIGNAL_KINDS),
      sdp: z.string().optional(),
      candidate: Candidate.optional(),
    }),
  }),
] as const;
