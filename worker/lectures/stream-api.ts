/**
 * Cloudflare Stream's REST API, the part lectures use: creator uploads (basic
 * POST and tus), a video's state, live inputs for WebRTC, and signed playback
 * tokens. Every answer is checked against the documented shape, so a change on
 * Stream's side surfaces as a StreamError that names the call, not as an
 * undefined deep in a handler.
 * https://developers.cloudflare.com/api/resources/stream/
 */
import * as z from "zod";
import { fromBase64, toBase64 } from "../lib/secrets";

export interface StreamConfig {
  accountId: string;
  apiToken: string;
  /** The <code> of the customer-<code>.cloudflarestream.com playback subdomain. */
  customerCode: string;
  signingKeyId?: string;
  /** Base64 of the JWK JSON that POST /stream/keys answers with. */
  signingKeyJwk?: string;
  webhookSecret?: string;
  /** Default https://api.cloudflare.com/client/v4. */
  apiBase?: string;
}

const DEFAULT_API_BASE = "https://api.cloudflare.com/client/v4";

/**
 * Stream caps a signed token at 24 hours from signing, and rejects a longer one.
 * https://developers.cloudflare.com/stream/viewing-videos/securing-your-stream/#supported-restrictions
 */
const MAX_TOKEN_TTL_SECONDS = 24 * 3600;

/** The edge's clock and ours differ a little; a token valid from "now" could be refused for a few seconds. */
const NOT_BEFORE_SKEW_SECONDS = 60;

function setting(env: Partial<Record<string, unknown>>, name: string): string | undefined {
  const value = env[name];
  return typeof value === "string" && value.trim() !== "" ? value.trim() : undefined;
}

/** Null unless STREAM_ACCOUNT_ID, STREAM_API_TOKEN and STREAM_CUSTOMER_CODE are all set (secrets); the optional ones are STREAM_SIGNING_KEY_ID, STREAM_SIGNING_KEY_JWK, STREAM_WEBHOOK_SECRET. */
export function streamConfig(env: Partial<Record<string, unknown>>): StreamConfig | null {
  const accountId = setting(env, "STREAM_ACCOUNT_ID");
  const apiToken = setting(env, "STREAM_API_TOKEN");
  const customerCode = setting(env, "STREAM_CUSTOMER_CODE");
  if (!accountId || !apiToken || !customerCode) return null;
  const config: StreamConfig = { accountId, apiToken, customerCode };
  const signingKeyId = setting(env, "STREAM_SIGNING_KEY_ID");
  const signingKeyJwk = setting(env, "STREAM_SIGNING_KEY_JWK");
  const webhookSecret = setting(env, "STREAM_WEBHOOK_SECRET");
  if (signingKeyId) config.signingKeyId = signingKeyId;
  if (signingKeyJwk) config.signingKeyJwk = signingKeyJwk;
  if (webhookSecret) config.webhookSecret = webhookSecret;
  return config;
}

/**
 * A failed Stream call. `status` is Stream's HTTP status when it answered with
 * an error, 502 when it answered 2xx with `success: false` or a shape that is
 * not the documented one, or could not be reached at all.
 */
export class StreamError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
    this.name = "StreamError";
  }
}

/** The v4 API's envelope. https://developers.cloudflare.com/fundamentals/api/how-to/make-api-calls/ */
const Problem = z.object({ code: z.number().optional(), message: z.string() });
const Envelope = z.object({ success: z.boolean(), errors: z.array(z.unknown()).optional() });
const enveloped = <T extends z.ZodType>(result: T) => z.object({ success: z.literal(true), result });

const DirectUploadResult = z.object({ uid: z.string().min(1), uploadURL: z.url() });

/** Documented states: https://developers.cloudflare.com/api/resources/stream/methods/get/ */
export const VideoState = z.enum(["pendingupload", "downloading", "queued", "inprogress", "ready", "error", "live-inprogress"]);
const VideoResult = z.object({
  uid: z.string().min(1),
  readyToStream: z.boolean().optional(),
  duration: z.number().optional(),
  status: z.object({
    state: VideoState,
    errorReasonCode: z.string().optional(),
    errorReasonText: z.string().optional(),
  }),
});

const LiveInputResult = z.object({
  uid: z.string().min(1),
  webRTC: z.object({ url: z.url() }),
  webRTCPlayback: z.object({ url: z.url() }),
});

const TokenResult = z.object({ token: z.string().min(1) });

export type StreamVideoState = "processing" | "ready" | "failed" | "uploading";

export interface StreamVideo {
  uid: string;
  state: StreamVideoState;
  /** Seconds; null while Stream reports it as unknown (-1). */
  duration: number | null;
  errorReason: string | null;
}

/**
 * Stream's states onto ours. A video plays only when `readyToStream` is true
 * as well as the state being ready.
 * https://developers.cloudflare.com/stream/manage-video-library/using-webhooks/#error-codes
 */
export function mapVideoState(state: z.infer<typeof VideoState>, readyToStream: boolean | undefined): StreamVideoState {
  switch (state) {
    case "pendingupload":
    case "downloading":
      return "uploading";
    case "ready":
      return readyToStream === true ? "ready" : "processing";
    case "error":
      return "failed";
    default:
      return "processing";
  }
}

/** RFC 3339 in UTC without fractions, the form the docs show for `expiry`. */
function rfc3339(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, "Z");
}

function base64Utf8(text: string): string {
  return toBase64(new TextEncoder().encode(text));
}

function base64url(bytes: Uint8Array): string {
  return toBase64(bytes).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

interface Call {
  method: "GET" | "POST" | "DELETE";
  /** After /accounts/{id}. */
  path: string;
  json?: unknown;
  headers?: Record<string, string>;
  /** Whether a 404 means "already gone" rather than a failure. */
  missingIsDone?: boolean;
}

export class StreamApi {
  private signingKey: Promise<CryptoKey> | null = null;

  constructor(
    private readonly config: StreamConfig,
    private readonly fetcher?: typeof fetch,
  ) {}

  /** POST /accounts/{id}/stream/direct_upload. https://developers.cloudflare.com/stream/uploading-videos/direct-creator-uploads/#basic-post-request */
  async createDirectUpload(o: { name: string; maxDurationSeconds: number; expiresAt: Date }): Promise<{ uid: string; url: string }> {
    const res = await this.send({
      method: "POST",
      path: "/stream/direct_upload",
      json: { maxDurationSeconds: o.maxDurationSeconds, expiry: rfc3339(o.expiresAt), requireSignedURLs: true, meta: { name: o.name } },
    });
    const result = await this.result(res, "create a direct upload", DirectUploadResult);
    return { uid: result.uid, url: result.uploadURL };
  }

  /**
   * tus creation on the browser's behalf: the browser then PATCHes the bytes
   * to the Location without our token. The constraints ride in Upload-Metadata
   * (keys as the docs spell them, values base64, `requiresignedurls` bare).
   * https://developers.cloudflare.com/stream/uploading-videos/direct-creator-uploads/#upload-metadata-header-syntax
   */
  async createTusUpload(o: { name: string; size: number; maxDurationSeconds: number; expiresAt: Date }): Promise<{ uid: string; url: string }> {
    const metadata = [
      `name ${base64Utf8(o.name)}`,
      `maxDurationSeconds ${base64Utf8(String(o.maxDurationSeconds))}`,
      "requiresignedurls",
      `expiry ${base64Utf8(rfc3339(o.expiresAt))}`,
    ].join(",");
    const res = await this.send({
      method: "POST",
      path: "/stream?direct_user=true",
      headers: { "Tus-Resumable": "1.0.0", "Upload-Length": String(o.size), "Upload-Metadata": metadata },
    });
    await this.failure(res, "create a tus upload");
    // The uid comes from stream-media-id, not from parsing the Location: the docs advise against the latter.
    // https://developers.cloudflare.com/stream/uploading-videos/resumable-uploads/#get-the-video-id-when-using-tus
    const uid = res.headers.get("stream-media-id");
    const location = res.headers.get("Location");
    if (!uid || !location || !URL.canParse(location)) {
      throw new StreamError("Stream answered the tus upload without a stream-media-id and an absolute Location.", 502);
    }
    return { uid, url: location };
  }

  /** GET /accounts/{id}/stream/{uid}. https://developers.cloudflare.com/api/resources/stream/methods/get/ */
  async video(uid: string): Promise<StreamVideo> {
    const res = await this.send({ method: "GET", path: `/stream/${encodeURIComponent(uid)}` });
    const v = await this.result(res, "read the video", VideoResult);
    const state = mapVideoState(v.status.state, v.readyToStream);
    const duration = v.duration !== undefined && v.duration >= 0 ? v.duration : null;
    const errorReason = state === "failed" ? v.status.errorReasonText || v.status.errorReasonCode || "Stream could not encode the video." : null;
    return { uid: v.uid, state, duration, errorReason };
  }

  /** DELETE /accounts/{id}/stream/{uid}; a video already gone counts as deleted. */
  async deleteVideo(uid: string): Promise<void> {
    const res = await this.send({ method: "DELETE", path: `/stream/${encodeURIComponent(uid)}`, missingIsDone: true });
    await this.emptyResult(res, "delete the video");
  }

  /**
   * POST /accounts/{id}/stream/live_inputs with recording off: WebRTC inputs
   * cannot be recorded by Stream, so the teacher's browser keeps the recording.
   * https://developers.cloudflare.com/stream/webrtc-beta/#limitations
   * https://developers.cloudflare.com/stream/stream-live/start-stream-live/#use-the-api
   */
  async createLiveInput(o: { name: string }): Promise<{ uid: string; whipUrl: string; whepUrl: string }> {
    const res = await this.send({ method: "POST", path: "/stream/live_inputs", json: { meta: { name: o.name }, recording: { mode: "off" } } });
    const input = await this.result(res, "create a live input", LiveInputResult);
    return { uid: input.uid, whipUrl: input.webRTC.url, whepUrl: input.webRTCPlayback.url };
  }

  /** DELETE /accounts/{id}/stream/live_inputs/{uid}; an input already gone counts as deleted. */
  async deleteLiveInput(uid: string): Promise<void> {
    const res = await this.send({ method: "DELETE", path: `/stream/live_inputs/${encodeURIComponent(uid)}`, missingIsDone: true });
    await this.emptyResult(res, "delete the live input");
  }

  /**
   * A playback token valid for ttlSeconds from `now` (ms). With a signing key
   * it is signed here, which costs no API call; the docs recommend that past
   * 10,000 tokens a day. Without one, Stream's /token endpoint signs it.
   * https://developers.cloudflare.com/stream/viewing-videos/securing-your-stream/
   */
  async playbackToken(uid: string, ttlSeconds: number, now = Date.now()): Promise<string> {
    if (!Number.isInteger(ttlSeconds) || ttlSeconds <= 0 || ttlSeconds > MAX_TOKEN_TTL_SECONDS) {
      throw new RangeError(`A playback token lives 1 to ${MAX_TOKEN_TTL_SECONDS} seconds; ${ttlSeconds} asked.`);
    }
    const nowSeconds = Math.floor(now / 1000);
    const exp = nowSeconds + ttlSeconds;
    const { signingKeyId, signingKeyJwk } = this.config;
    if (signingKeyId && signingKeyJwk) {
      const encode = (part: object) => base64url(new TextEncoder().encode(JSON.stringify(part)));
      const unsigned = `${encode({ alg: "RS256", kid: signingKeyId })}.${encode({ sub: uid, kid: signingKeyId, exp, nbf: nowSeconds - NOT_BEFORE_SKEW_SECONDS })}`;
      const signature = await crypto.subtle.sign("RSASSA-PKCS1-v1_5", await this.importSigningKey(signingKeyJwk), new TextEncoder().encode(unsigned));
      return `${unsigned}.${base64url(new Uint8Array(signature))}`;
    }
    const res = await this.send({ method: "POST", path: `/stream/${encodeURIComponent(uid)}/token`, json: { exp } });
    return (await this.result(res, "sign a playback token", TokenResult)).token;
  }

  /** Where hls.js (or native HLS) loads a signed video: the token stands in for the uid. */
  manifestUrl(token: string): string {
    return `https://customer-${this.config.customerCode}.cloudflarestream.com/${token}/manifest/video.m3u8`;
  }

  private importSigningKey(jwkBase64: string): Promise<CryptoKey> {
    // Imported once per instance: a new secret means a new deployment, so a new instance.
    this.signingKey ??= (async () => {
      try {
        const jwk = JSON.parse(new TextDecoder().decode(fromBase64(jwkBase64))) as JsonWebKey;
        return await crypto.subtle.importKey("jwk", jwk, { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" }, false, ["sign"]);
      } catch {
        throw new StreamError("STREAM_SIGNING_KEY_JWK is not the base64 of an RSA private key in JWK form.", 500);
      }
    })();
    return this.signingKey;
  }

  private async send(call: Call): Promise<Response> {
    const { accountId, apiToken, apiBase = DEFAULT_API_BASE } = this.config;
    const headers: Record<string, string> = { Authorization: `Bearer ${apiToken}`, ...call.headers };
    if (call.json !== undefined) headers["Content-Type"] = "application/json";
    const url = `${apiBase.replace(/\/+$/, "")}/accounts/${encodeURIComponent(accountId)}${call.path}`;
    const fetcher = this.fetcher ?? globalThis.fetch;
    let res: Response;
    try {
      res = await fetcher(url, { method: call.method, headers, body: call.json === undefined ? undefined : JSON.stringify(call.json) });
    } catch {
      // The underlying error is dropped on purpose: nothing of the request, headers included, goes into a message.
      throw new StreamError(`Stream could not be reached (${call.method} ${call.path.split("?")[0]}).`, 502);
    }
    if (call.missingIsDone && res.status === 404) return new Response(null, { status: 204 });
    return res;
  }

  /** Throws for a non-2xx answer, with Stream's own first error message when it gave one. */
  private async failure(res: Response, what: string): Promise<void> {
    if (res.ok) return;
    const body = await this.readJson(res);
    throw new StreamError(this.describe(`Stream refused to ${what} (HTTP ${res.status})`, body), res.status);
  }

  private async result<T extends z.ZodType>(res: Response, what: string, schema: T): Promise<z.output<T>> {
    await this.failure(res, what);
    const body = await this.readJson(res);
    const envelope = Envelope.safeParse(body);
    if (envelope.success && !envelope.data.success) throw new StreamError(this.describe(`Stream refused to ${what}`, body), 502);
    const parsed = enveloped(schema).safeParse(body);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const where = issue && issue.path.length ? ` at ${issue.path.join(".")}` : "";
      throw new StreamError(`Stream's answer to "${what}" is not the documented shape${where}.`, 502);
    }
    return (parsed.data as { result: z.output<T> }).result;
  }

  /** Deletes answer 200 with an empty body; a JSON body, if any, must not say it failed. */
  private async emptyResult(res: Response, what: string): Promise<void> {
    await this.failure(res, what);
    const text = await res.text();
    if (!text.trim()) return;
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      return;
    }
    const envelope = Envelope.safeParse(body);
    if (envelope.success && !envelope.data.success) throw new StreamError(this.describe(`Stream refused to ${what}`, body), 502);
  }

  private async readJson(res: Response): Promise<unknown> {
    const text = await res.text().catch(() => "");
    try {
      return text ? JSON.parse(text) : null;
    } catch {
      return null;
    }
  }

  private describe(prefix: string, body: unknown): string {
    const errors = Envelope.safeParse(body).data?.errors ?? [];
    const first = Problem.safeParse(errors[0]);
    const message = first.success ? `${prefix}: ${first.data.message}${first.data.code !== undefined ? ` (code ${first.data.code})` : ""}` : `${prefix}.`;
    // Stream has no reason to echo the token, but a message is shown and logged, so make sure.
    return message.split(this.config.apiToken).join("[redacted]");
  }
}
