/**
 * A stand-in for Cloudflare Stream's REST API, answering the endpoints the
 * lectures client calls with the documented JSON (test/fixtures/stream) in
 * the v4 envelope `{ success, errors, messages, result }`. It checks what the
 * real API checks that matters here: the bearer token (401), the account,
 * unknown uids (404), the direct-upload constraints and the tus headers.
 *
 * Docs followed:
 * https://developers.cloudflare.com/stream/uploading-videos/direct-creator-uploads/
 * https://developers.cloudflare.com/stream/uploading-videos/resumable-uploads/
 * https://developers.cloudflare.com/stream/stream-live/start-stream-live/
 * https://developers.cloudflare.com/stream/webrtc-beta/
 * https://developers.cloudflare.com/stream/viewing-videos/securing-your-stream/
 * https://developers.cloudflare.com/stream/manage-video-library/using-webhooks/
 */
import type { StreamConfig } from "../../worker/lectures/stream-api";
import directUploadFixture from "../fixtures/stream/direct-upload.json";
import authErrorFixture from "../fixtures/stream/error-auth.json";
import notFoundFixture from "../fixtures/stream/error-not-found.json";
import liveInputFixture from "../fixtures/stream/live-input.json";
import tokenFixture from "../fixtures/stream/token.json";
import pendingFixture from "../fixtures/stream/video-pendingupload.json";

export type Json = Record<string, unknown>;

export interface RecordedRequest {
  method: string;
  url: string;
  /** Lower-cased names, as Headers gives them. */
  headers: Record<string, string>;
  /** Parsed JSON when the body is JSON, the text otherwise, null when empty. */
  body: unknown;
}

/** How the next matching call fails. */
export type StreamFailure =
  /** An HTTP error in the envelope, e.g. 500 or 429. */
  | { kind: "http"; status: number; message?: string }
  /** HTTP 200 with `success: false`. */
  | { kind: "unsuccessful"; message?: string }
  /** Any answer at all, e.g. a body that is not the documented shape. */
  | { kind: "raw"; body: string; status?: number; headers?: Record<string, string> };

export interface StreamDoubleOptions {
  apiToken?: string;
  accountId?: string;
  customerCode?: string;
  apiBase?: string;
  /** Clock for the time-bound checks (upload expiry, token exp); ms. */
  now?: () => number;
}

export interface StreamDouble {
  fetch: typeof fetch;
  requests: RecordedRequest[];
  /** Video details by uid, as GET /stream/{uid} answers them (the `result`). */
  videos: Map<string, Json>;
  /** Live inputs by uid, as POST /live_inputs answered them (the `result`). */
  liveInputs: Map<string, Json>;
  /** Creates or updates a video: a shallow merge over the stored details; the uid stays. */
  setVideo(uid: string, patch: Json): void;
  /** The next request that `when` accepts (any, by default) gets this answer instead. */
  failNext(failure: StreamFailure, when?: (request: RecordedRequest) => boolean): void;
  /** A config that reaches this double through `fetch`. */
  config: StreamConfig;
}

const DEFAULTS = {
  apiToken: "stream-test-token",
  accountId: "023e105f4ecef8ad9ca31a8372d0c353",
  customerCode: "f33zs165nr7gyfy4",
  apiBase: "https://api.cloudflare.com/client/v4",
};

/** Stream's limits on a creator upload's duration and expiry. https://developers.cloudflare.com/api/resources/stream/subresources/direct_upload/methods/create/ */
const MAX_DURATION_SECONDS = 21600;
const MIN_EXPIRY_MS = 2 * 60_000;
const MAX_EXPIRY_MS = 6 * 3600_000;
/** A signed token lives at most 24 h. https://developers.cloudflare.com/stream/viewing-videos/securing-your-stream/#supported-restrictions */
const MAX_TOKEN_SECONDS = 24 * 3600;

const clone = <T>(value: T): T => structuredClone(value);

function newUid(): string {
  return [...crypto.getRandomValues(new Uint8Array(16))].map((b) => b.toString(16).padStart(2, "0")).join("");
}

function base64url(text: string): string {
  return btoa(String.fromCharCode(...new TextEncoder().encode(text)))
    .replace(/\+/g, "-")
    .replace(/\//g, "_")
    .replace(/=+$/, "");
}

function envelope(result: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return Response.json({ result, success: true, errors: [], messages: [] }, { status, headers });
}

function problem(status: number, code: number, message: string): Response {
  return Response.json({ result: null, success: false, errors: [{ code, message }], messages: [] }, { status });
}

const notFound = () => Response.json(clone(notFoundFixture), { status: 404 });

/** `key base64,key,...` (tus Upload-Metadata) into a map; values decoded as UTF-8. https://tus.io/protocols/resumable-upload#upload-metadata */
function tusMetadata(header: string): Map<string, string> | null {
  const out = new Map<string, string>();
  for (const pair of header.split(",")) {
    const [key, value, extra] = pair.split(" ");
    if (!key || extra !== undefined) return null;
    try {
      out.set(key, value === undefined ? "" : new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(Uint8Array.from(atob(value), (c) => c.charCodeAt(0))));
    } catch {
      return null;
    }
  }
  return out;
}

export function streamDouble(options: StreamDoubleOptions = {}): StreamDouble {
  const { apiToken, accountId, customerCode, apiBase } = { ...DEFAULTS, ...options };
  const now = options.now ?? (() => Date.now());
  const requests: RecordedRequest[] = [];
  const videos = new Map<string, Json>();
  const liveInputs = new Map<string, Json>();
  const failures: { failure: StreamFailure; when: (r: RecordedRequest) => boolean }[] = [];
  const playbackBase = `https://customer-${customerCode}.cloudflarestream.com`;

  function setVideo(uid: string, patch: Json): void {
    const current = videos.get(uid) ?? { ...clone(pendingFixture.result) };
    const next: Json = { ...current, ...clone(patch), uid };
    next.playback = { hls: `${playbackBase}/${uid}/manifest/video.m3u8`, dash: `${playbackBase}/${uid}/manifest/video.mpd` };
    videos.set(uid, next);
  }

  function newVideo(meta: { name: string }, maxDurationSeconds: number, requireSignedURLs: boolean, expiry: string | null): string {
    const uid = newUid();
    const created = new Date(now()).toISOString();
    setVideo(uid, { meta, maxDurationSeconds, requireSignedURLs, created, modified: created, uploadExpiry: expiry ?? new Date(now() + 30 * 60_000).toISOString() });
    return uid;
  }

  /** null when the expiry is absent; a message when it breaks the documented window. */
  function checkExpiry(expiry: unknown): string | null {
    if (expiry === undefined) return null;
    const at = typeof expiry === "string" ? Date.parse(expiry) : NaN;
    if (!Number.isFinite(at)) return "expiry must be an RFC 3339 timestamp";
    if (at < now() + MIN_EXPIRY_MS || at > now() + MAX_EXPIRY_MS) return "expiry must be between 2 minutes and 6 hours in the future";
    return null;
  }

  function checkDuration(value: unknown): string | null {
    return Number.isInteger(value) && (value as number) >= 1 && (value as number) <= MAX_DURATION_SECONDS ? null : `maxDurationSeconds must be an integer from 1 to ${MAX_DURATION_SECONDS}`;
  }

  function route(method: string, path: string, search: URLSearchParams, req: RecordedRequest): Response {
    const body = (req.body && typeof req.body === "object" ? req.body : {}) as Json;

    if (method === "POST" && path === "/stream/direct_upload") {
      const invalid = checkDuration(body.maxDurationSeconds) ?? checkExpiry(body.expiry);
      if (invalid) return problem(400, 10005, invalid);
      const meta = (body.meta ?? {}) as { name: string };
      const uid = newVideo(meta, body.maxDurationSeconds as number, body.requireSignedURLs === true, (body.expiry as string | undefined) ?? null);
      const answer = clone(directUploadFixture);
      return envelope({ ...answer.result, uid, uploadURL: `https://upload.videodelivery.net/${uid}` });
    }

    if (method === "POST" && path === "/stream") {
      if (req.headers["tus-resumable"] !== "1.0.0") return problem(412, 10005, "Tus-Resumable must be 1.0.0");
      if (!/^\d+$/.test(req.headers["upload-length"] ?? "")) return problem(400, 10005, "Upload-Length must be a non-negative integer");
      const metadata = tusMetadata(req.headers["upload-metadata"] ?? "");
      if (!metadata) return problem(400, 10005, "Upload-Metadata is malformed");
      const duration = metadata.has("maxDurationSeconds") ? Number(metadata.get("maxDurationSeconds")) : MAX_DURATION_SECONDS;
      const invalid = checkDuration(duration) ?? checkExpiry(metadata.get("expiry"));
      if (invalid) return problem(400, 10005, invalid);
      const uid = newVideo({ name: metadata.get("name") ?? "" }, duration, metadata.has("requiresignedurls"), metadata.get("expiry") ?? null);
      const location = search.get("direct_user") === "true" ? `https://upload.videodelivery.net/tus/${uid}` : `${apiBase}/accounts/${accountId}/stream/${uid}`;
      return new Response(null, { status: 201, headers: { Location: location, "stream-media-id": uid, "Tus-Resumable": "1.0.0" } });
    }

    if (method === "POST" && path === "/stream/live_inputs") {
      const uid = newUid();
      const secret = `${newUid()}k${uid}`;
      const answer = clone(liveInputFixture.result) as Json;
      const recording = { ...(answer.recording as Json), ...((body.recording ?? {}) as Json) };
      const created = new Date(now()).toISOString();
      const input: Json = {
        ...answer,
        uid,
        meta: body.meta ?? {},
        recording: { ...recording, mode: recording.mode ?? "off" },
        webRTC: { url: `${playbackBase}/${secret}/webRTC/publish` },
        webRTCPlayback: { url: `${playbackBase}/${uid}/webRTC/play` },
        created,
        modified: created,
      };
      liveInputs.set(uid, input);
      return envelope(input);
    }

    const liveInput = /^\/stream\/live_inputs\/([^/]+)$/.exec(path);
    if (liveInput && method === "DELETE") {
      const uid = decodeURIComponent(liveInput[1]!);
      if (!liveInputs.delete(uid)) return notFound();
      return new Response(null, { status: 200 });
    }

    const token = /^\/stream\/([^/]+)\/token$/.exec(path);
    if (token && method === "POST") {
      const uid = decodeURIComponent(token[1]!);
      if (!videos.has(uid)) return notFound();
      const issued = Math.floor(now() / 1000);
      const exp = body.exp ?? issued + 3600;
      if (typeof exp !== "number" || exp > issued + MAX_TOKEN_SECONDS) return problem(400, 10005, "exp must be at most 24 hours from now");
      const kid = "cdc935982f8075f2ef96106d85fcd838";
      const signed = `${base64url(JSON.stringify({ alg: "RS256", kid }))}.${base64url(JSON.stringify({ sub: uid, kid, exp, nbf: body.nbf ?? issued - 3600 }))}.${base64url("signed-by-the-double")}`;
      const answer = clone(tokenFixture);
      return envelope({ ...answer.result, token: signed });
    }

    const video = /^\/stream\/([^/]+)$/.exec(path);
    if (video && (method === "GET" || method === "DELETE")) {
      const uid = decodeURIComponent(video[1]!);
      const found = videos.get(uid);
      if (!found) return notFound();
      if (method === "GET") return envelope(clone(found));
      videos.delete(uid);
      // The API answers a delete with 200 and no body (the SDK reads it with Accept: */*).
      return new Response(null, { status: 200 });
    }

    // Cloudflare's answer for a path it has no route for.
    return problem(404, 7003, "No route for that URI");
  }

  function failureAnswer(failure: StreamFailure): Response {
    switch (failure.kind) {
      case "http":
        return problem(failure.status, 10001, failure.message ?? `Internal error ${failure.status}`);
      case "unsuccessful":
        return Response.json({ result: null, success: false, errors: [{ code: 10002, message: failure.message ?? "The request could not be completed" }], messages: [] });
      case "raw":
        return new Response(failure.body, { status: failure.status ?? 200, headers: { "content-type": "application/json", ...failure.headers } });
    }
  }

  const fetchDouble: typeof fetch = async (input, init) => {
    const request = new Request(input, init);
    const text = await request.text();
    let body: unknown = null;
    if (text) {
      try {
        body = JSON.parse(text);
      } catch {
        body = text;
      }
    }
    const recorded: RecordedRequest = { method: request.method, url: request.url, headers: Object.fromEntries(request.headers), body };
    requests.push(recorded);

    const url = new URL(request.url);
    const prefix = new URL(apiBase);
    if (url.origin !== prefix.origin || !url.pathname.startsWith(`${prefix.pathname}/`)) {
      throw new TypeError(`stream double: nothing answers at ${url.origin}`);
    }
    if (recorded.headers.authorization !== `Bearer ${apiToken}`) return Response.json(clone(authErrorFixture), { status: 401 });

    const failureAt = failures.findIndex((f) => f.when(recorded));
    if (failureAt >= 0) return failureAnswer(failures.splice(failureAt, 1)[0]!.failure);

    const rest = url.pathname.slice(prefix.pathname.length);
    const account = /^\/accounts\/([^/]+)(\/.*)$/.exec(rest);
    if (!account) return problem(404, 7003, "No route for that URI");
    if (decodeURIComponent(account[1]!) !== accountId) return Response.json(clone(authErrorFixture), { status: 403 });
    return route(request.method, account[2]!, url.searchParams, recorded);
  };

  return {
    fetch: fetchDouble,
    requests,
    videos,
    liveInputs,
    setVideo,
    failNext(failure, when = () => true) {
      failures.push({ failure, when });
    },
    config: { accountId, apiToken, customerCode, apiBase },
  };
}

/**
 * The Webhook-Signature header Stream would send with `rawBody` at `timeSeconds`:
 * hex HMAC-SHA256 of "<time>.<body>" with the webhook secret.
 * https://developers.cloudflare.com/stream/manage-video-library/using-webhooks/#verify-webhook-authenticity
 */
export async function signWebhook(secret: string, rawBody: string, timeSeconds = Math.floor(Date.now() / 1000)): Promise<string> {
  const encoder = new TextEncoder();
  const key = await crypto.subtle.importKey("raw", encoder.encode(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  const mac = new Uint8Array(await crypto.subtle.sign("HMAC", key, encoder.encode(`${timeSeconds}.${rawBody}`)));
  const sig1 = [...mac].map((b) => b.toString(16).padStart(2, "0")).join("");
  return `time=${timeSeconds},sig1=${sig1}`;
}
