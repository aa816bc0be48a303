/**
 * Stream's "video finished processing" webhook: checking that Stream sent it,
 * and reading the video's outcome from it.
 * https://developers.cloudflare.com/stream/manage-video-library/using-webhooks/
 */
import * as z from "zod";
import { sha256Hex, tokenMatches } from "../lib/secrets";
import { mapVideoState, VideoState } from "./stream-api";

const DEFAULT_TOLERANCE_SECONDS = 300;

function hex(bytes: ArrayBuffer): string {
  return [...new Uint8Array(bytes)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** `time=<unix s>,sig1=<hex>` into its two fields; null for anything else (missing, repeated or extra-formed parts). */
function parseSignatureHeader(header: string): { time: number; sig1: string } | null {
  const fields = new Map<string, string>();
  for (const part of header.split(",")) {
    const eq = part.indexOf("=");
    if (eq <= 0) return null;
    const key = part.slice(0, eq).trim();
    if (fields.has(key)) return null;
    fields.set(key, part.slice(eq + 1).trim());
  }
  const time = fields.get("time");
  const sig1 = fields.get("sig1");
  if (!time || !/^\d{1,12}$/.test(time) || !sig1 || !/^[0-9a-f]{64}$/i.test(sig1)) return null;
  return { time: Number(time), sig1: sig1.toLowerCase() };
}

/**
 * Verifies Stream's `Webhook-Signature: time=<unix s>,sig1=<hex HMAC-SHA256 of
 * "<time>.<raw body>" with the webhook secret>`. False when the header is
 * malformed, the signature wrong, or `time` more than toleranceSeconds from
 * `nowMs` either way (the docs leave the replay window to the receiver).
 */
export async function verifyWebhook(secret: string, header: string | null, rawBody: string, nowMs: number, toleranceSeconds = DEFAULT_TOLERANCE_SECONDS): Promise<boolean> {
  if (!secret || !header) return false;
  const parsed = parseSignatureHeader(header);
  if (!parsed || Math.abs(nowMs / 1000 - parsed.time) > toleranceSeconds) return false;
  const encoder = new TextEncoder();
  const key = await crypto.subtle.importKey("raw", encoder.encode(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  const expected = hex(await crypto.subtle.sign("HMAC", key, encoder.encode(`${parsed.time}.${rawBody}`)));
  // tokenMatches hashes the presented side and compares in constant time; hashing the expected side too puts both in its form.
  return tokenMatches(parsed.sig1, await sha256Hex(expected));
}

/**
 * The notification body. The docs' error example spells the reason
 * `errReasonText`/`errReasonCode` while the video object (and the docs' ready
 * example) spell it `errorReasonText`/`errorReasonCode`; both are read.
 */
const Notification = z.object({
  uid: z.string().min(1),
  readyToStream: z.boolean().optional(),
  duration: z.number().optional(),
  status: z.object({
    state: VideoState,
    errReasonText: z.string().optional(),
    errReasonCode: z.string().optional(),
    errorReasonText: z.string().optional(),
    errorReasonCode: z.string().optional(),
  }),
});

/** The video notification's outcome: null when the body is not one (a live-input event, or junk). */
export function parseWebhook(body: unknown): { uid: string; state: "processing" | "ready" | "failed"; duration: number | null; errorReason: string | null } | null {
  const parsed = Notification.safeParse(body);
  if (!parsed.success) return null;
  const { uid, readyToStream, duration, status } = parsed.data;
  const mapped = mapVideoState(status.state, readyToStream);
  // Webhooks come after processing; an "uploading" state here would still mean "not playable yet".
  const state = mapped === "uploading" ? "processing" : mapped;
  const errorReason =
    state === "failed" ? status.errReasonText || status.errorReasonText || status.errReasonCode || status.errorReasonCode || "Stream could not encode the video." : null;
  return { uid, state, duration: duration !== undefined && duration >= 0 ? duration : null, errorReason };
}
