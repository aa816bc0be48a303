/**
 * The Cloudflare Stream client and webhook checks, against the Stream double
 * (test/helpers/stream-double.ts): the exact requests each method sends, how
 * answers map onto lecture states, self-signed and API-signed playback tokens,
 * every kind of failure as a StreamError, and the webhook signature.
 */
import { afterEach, describe, expect, it, vi } from "vitest";
import { StreamApi, StreamError, streamConfig, type StreamConfig } from "../../worker/lectures/stream-api";
import { parseWebhook, verifyWebhook } from "../../worker/lectures/stream-webhook";
import videoError from "../fixtures/stream/video-error.json";
import videoInProgress from "../fixtures/stream/video-inprogress.json";
import videoReady from "../fixtures/stream/video-ready.json";
import webhookError from "../fixtures/stream/webhook-error.json";
import webhookReady from "../fixtures/stream/webhook-ready.json";
import { signWebhook, streamDouble, type StreamDoubleOptions } from "../helpers/stream-double";

const NOW = Date.parse("2026-03-02T10:00:00Z");
const NOW_S = NOW / 1000;
const IN_30_MIN = new Date(NOW + 30 * 60_000);
const UID = "6b9e68b07dfee8cc2d116e4c51d6a957";

function world(config: Partial<StreamConfig> = {}, options: StreamDoubleOptions = {}) {
  const double = streamDouble({ now: () => NOW, ...options });
  const api = new StreamApi({ ...double.config, ...config }, double.fetch);
  const account = `https://api.cloudflare.com/client/v4/accounts/${double.config.accountId}`;
  return { double, api, account };
}

/** The error a promise rejects with, so its class, status and message are asserted together. */
async function rejection(promise: Promise<unknown>): Promise<{ name: string; status?: number; message: string }> {
  try {
    await promise;
  } catch (e) {
    const error = e as Error & { status?: number };
    return { name: error.constructor.name, status: error.status, message: error.message };
  }
  throw new Error("expected a rejection");
}

function fromBase64url(part: string): Uint8Array {
  const b64 = part.replace(/-/g, "+").replace(/_/g, "/") + "=".repeat((4 - (part.length % 4)) % 4);
  return Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
}
const jsonPart = (part: string) => JSON.parse(new TextDecoder().decode(fromBase64url(part)));

afterEach(() => {
  vi.unstubAllGlobals();
});

describe("streamConfig", () => {
  it("is null unless the account, the token and the customer code are all set", () => {
    const full = { STREAM_ACCOUNT_ID: "acc", STREAM_API_TOKEN: "tok", STREAM_CUSTOMER_CODE: "code" };
    for (const missing of Object.keys(full)) {
      expect(streamConfig({ ...full, [missing]: undefined })).toBeNull();
      expect(streamConfig({ ...full, [missing]: "  " })).toBeNull();
    }
    expect(streamConfig({ ...full, STREAM_API_TOKEN: 42 })).toBeNull();
    expect(streamConfig(full)).toEqual({ accountId: "acc", apiToken: "tok", customerCode: "code" });
  });

  it("adds the signing key and the webhook secret when they are set", () => {
    const env = { STREAM_ACCOUNT_ID: "acc", STREAM_API_TOKEN: "tok", STREAM_CUSTOMER_CODE: "code", STREAM_SIGNING_KEY_ID: "kid", STREAM_SIGNING_KEY_JWK: "eyJ9", STREAM_WEBHOOK_SECRET: "whsec" };
    expect(streamConfig(env)).toEqual({ accountId: "acc", apiToken: "tok", customerCode: "code", signingKeyId: "kid", signingKeyJwk: "eyJ9", webhookSecret: "whsec" });
  });
});

describe("createDirectUpload", () => {
  it("POSTs /stream/direct_upload with signed URLs required, the duration cap, the name and the expiry", async () => {
    const { double, api, account } = world();
    await api.createDirectUpload({ name: "Week 3: Recursion", maxDurationSeconds: 21600, expiresAt: IN_30_MIN });
    expect(double.requests).toEqual([
      {
        method: "POST",
        url: `${account}/stream/direct_upload`,
        headers: { authorization: "Bearer stream-test-token", "content-type": "application/json" },
        body: { maxDurationSeconds: 21600, expiry: "2026-03-02T10:30:00Z", requireSignedURLs: true, meta: { name: "Week 3: Recursion" } },
      },
    ]);
  });

  it("answers the video's uid and the one-time upload URL", async () => {
    const { double, api } = world();
    const upload = await api.createDirectUpload({ name: "Week 3", maxDurationSeconds: 3600, expiresAt: IN_30_MIN });
    expect(upload).toEqual({ uid: expect.stringMatching(/^[0-9a-f]{32}$/), url: `https://upload.videodelivery.net/${upload.uid}` });
    expect(double.videos.get(upload.uid)).toMatchObject({ requireSignedURLs: true, maxDurationSeconds: 3600, meta: { name: "Week 3" } });
  });
});

describe("createTusUpload", () => {
  it("POSTs /stream?direct_user=true with the tus headers and the constraints in Upload-Metadata", async () => {
    const { double, api, account } = world();
    await api.createTusUpload({ name: "Semana 3 — Recursão", size: 734_003_200, maxDurationSeconds: 14400, expiresAt: IN_30_MIN });
    const [request] = double.requests;
    expect(request).toMatchObject({ method: "POST", url: `${account}/stream?direct_user=true`, body: null });
    expect(request!.headers).toEqual({ authorization: "Bearer stream-test-token", "tus-resumable": "1.0.0", "upload-length": "734003200", "upload-metadata": expect.any(String) });
    const pairs = request!.headers["upload-metadata"]!.split(",").map((pair) => pair.split(" "));
    const decoded = pairs.map(([key, value]) => [key, value === undefined ? null : new TextDecoder().decode(fromBase64url(value))]);
    expect(decoded).toEqual([
      ["name", "Semana 3 — Recursão"],
      ["maxDurationSeconds", "14400"],
      ["requiresignedurls", null],
      ["expiry", "2026-03-02T10:30:00Z"],
    ]);
  });

  it("answers the stream-media-id as the uid and the Location as the URL the browser uploads to", async () => {
    const { double, api } = world();
    const upload = await api.createTusUpload({ name: "Week 3", size: 300_000_000, maxDurationSeconds: 3600, expiresAt: IN_30_MIN });
    expect(upload).toEqual({ uid: expect.stringMatching(/^[0-9a-f]{32}$/), url: `https://upload.videodelivery.net/tus/${upload.uid}` });
    expect(double.videos.get(upload.uid)).toMatchObject({ requireSignedURLs: true, maxDurationSeconds: 3600, meta: { name: "Week 3" } });
  });

  it("fails clearly when Stream's 201 lacks the stream-media-id or the Location", async () => {
    const { double, api } = world();
    double.failNext({ kind: "raw", status: 201, body: "" });
    const error = await rejection(api.createTusUpload({ name: "Week 3", size: 10, maxDurationSeconds: 60, expiresAt: IN_30_MIN }));
    expect(error).toEqual({ name: "StreamError", status: 502, message: "Stream answered the tus upload without a stream-media-id and an absolute Location." });
  });
});

describe("video", () => {
  it("GETs /stream/{uid} with the bearer token and no body", async () => {
    const { double, api, account } = world();
    double.setVideo(UID, videoReady.result);
    await api.video(UID);
    expect(double.requests).toEqual([{ method: "GET", url: `${account}/stream/${UID}`, headers: { authorization: "Bearer stream-test-token" }, body: null }]);
  });

  it("reads a ready video as ready, with its duration", async () => {
    const { double, api } = world();
    double.setVideo(UID, videoReady.result);
    expect(await api.video(UID)).toEqual({ uid: UID, state: "ready", duration: 5.5, errorReason: null });
  });

  it("reads an encoding video as processing, with the unknown duration (-1) as null", async () => {
    const { double, api } = world();
    double.setVideo(UID, videoInProgress.result);
    expect(await api.video(UID)).toEqual({ uid: UID, state: "processing", duration: null, errorReason: null });
  });

  it("reads a state of ready without readyToStream as still processing", async () => {
    const { double, api } = world();
    double.setVideo(UID, { ...videoReady.result, readyToStream: false });
    expect((await api.video(UID)).state).toBe("processing");
  });

  it("reads a creator upload still waiting for its bytes as uploading", async () => {
    const { api } = world();
    const { uid } = await api.createDirectUpload({ name: "Week 3", maxDurationSeconds: 3600, expiresAt: IN_30_MIN });
    expect(await api.video(uid)).toEqual({ uid, state: "uploading", duration: null, errorReason: null });
  });

  it("reads a video Stream could not encode as failed, with Stream's reason", async () => {
    const { double, api } = world();
    double.setVideo(UID, videoError.result);
    expect(await api.video(UID)).toEqual({ uid: UID, state: "failed", duration: null, errorReason: "The video was deemed to be corrupted or malformed." });
  });
});

describe("deleteVideo", () => {
  it("DELETEs /stream/{uid}", async () => {
    const { double, api, account } = world();
    double.setVideo(UID, videoReady.result);
    await api.deleteVideo(UID);
    expect(double.requests).toEqual([{ method: "DELETE", url: `${account}/stream/${UID}`, headers: { authorization: "Bearer stream-test-token" }, body: null }]);
    expect(double.videos.has(UID)).toBe(false);
  });

  it("counts a video that is already gone (404) as deleted", async () => {
    const { double, api } = world();
    await expect(api.deleteVideo(UID)).resolves.toBeUndefined();
    expect(double.requests).toHaveLength(1);
  });

  it("throws when Stream fails the delete", async () => {
    const { double, api } = world();
    double.setVideo(UID, videoReady.result);
    double.failNext({ kind: "http", status: 500, message: "Internal server error" });
    expect(await rejection(api.deleteVideo(UID))).toEqual({ name: "StreamError", status: 500, message: "Stream refused to delete the video (HTTP 500): Internal server error (code 10001)" });
    expect(double.videos.has(UID)).toBe(true);
  });
});

describe("live inputs", () => {
  it("POSTs /stream/live_inputs with recording off and the name", async () => {
    const { double, api, account } = world();
    await api.createLiveInput({ name: "Monday class" });
    expect(double.requests).toEqual([
      {
        method: "POST",
        url: `${account}/stream/live_inputs`,
        headers: { authorization: "Bearer stream-test-token", "content-type": "application/json" },
        body: { meta: { name: "Monday class" }, recording: { mode: "off" } },
      },
    ]);
  });

  it("answers the input's WebRTC publish (WHIP) and play (WHEP) URLs", async () => {
    const { double, api } = world();
    const input = await api.createLiveInput({ name: "Monday class" });
    const stored = double.liveInputs.get(input.uid) as { webRTC: { url: string }; webRTCPlayback: { url: string } };
    expect(input).toEqual({ uid: expect.stringMatching(/^[0-9a-f]{32}$/), whipUrl: stored.webRTC.url, whepUrl: stored.webRTCPlayback.url });
    expect(input.whipUrl).toMatch(/^https:\/\/customer-f33zs165nr7gyfy4\.cloudflarestream\.com\/[0-9a-fk]+\/webRTC\/publish$/);
    expect(input.whepUrl).toBe(`https://customer-f33zs165nr7gyfy4.cloudflarestream.com/${input.uid}/webRTC/play`);
  });

  it("DELETEs /stream/live_inputs/{uid}", async () => {
    const { double, api, account } = world();
    const { uid } = await api.createLiveInput({ name: "Monday class" });
    await api.deleteLiveInput(uid);
    expect(double.requests[1]).toEqual({ method: "DELETE", url: `${account}/stream/live_inputs/${uid}`, headers: { authorization: "Bearer stream-test-token" }, body: null });
    expect(double.liveInputs.has(uid)).toBe(false);
  });

  it("counts a live input that is already gone (404) as deleted", async () => {
    const { api } = world();
    await expect(api.deleteLiveInput("1a553f11a88915d093d45eda660d2f8c")).resolves.toBeUndefined();
  });
});

describe("playbackToken", () => {
  async function signingKey() {
    const pair = (await crypto.subtle.generateKey(
      { name: "RSASSA-PKCS1-v1_5", modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: "SHA-256" },
      true,
      ["sign", "verify"],
    )) as CryptoKeyPair;
    const jwk = { ...((await crypto.subtle.exportKey("jwk", pair.privateKey)) as JsonWebKey), kid: "8f926b2b01f383510025a78a4dcbf6a", use: "sig" };
    return { publicKey: pair.publicKey, keyId: "8f926b2b01f383510025a78a4dcbf6a", jwkBase64: btoa(JSON.stringify(jwk)) };
  }

  it("signs an RS256 JWT itself when the signing key is configured, which verifies with the key's public half", async () => {
    const key = await signingKey();
    const { double, api } = world({ signingKeyId: key.keyId, signingKeyJwk: key.jwkBase64 });
    const token = await api.playbackToken(UID, 3600, NOW);
    const [header, payload, signature] = token.split(".") as [string, string, string];
    expect(jsonPart(header)).toEqual({ alg: "RS256", kid: key.keyId });
    expect(jsonPart(payload)).toEqual({ sub: UID, kid: key.keyId, exp: NOW_S + 3600, nbf: NOW_S - 60 });
    const verify = (data: string) => crypto.subtle.verify("RSASSA-PKCS1-v1_5", key.publicKey, fromBase64url(signature), new TextEncoder().encode(data));
    expect(await verify(`${header}.${payload}`)).toBe(true);
    expect(await verify(`${header}.${payload.slice(0, -2)}`)).toBe(false);
    expect(double.requests).toEqual([]);
  });

  it("asks POST /stream/{uid}/token with the expiry when no signing key is configured", async () => {
    const { double, api, account } = world();
    double.setVideo(UID, videoReady.result);
    const token = await api.playbackToken(UID, 7200, NOW);
    expect(double.requests).toEqual([
      { method: "POST", url: `${account}/stream/${UID}/token`, headers: { authorization: "Bearer stream-test-token", "content-type": "application/json" }, body: { exp: NOW_S + 7200 } },
    ]);
    expect(jsonPart(token.split(".")[1]!)).toMatchObject({ sub: UID, exp: NOW_S + 7200 });
  });

  it("refuses a lifetime beyond Stream's 24 hours without calling Stream", async () => {
    const { double, api } = world();
    expect(await rejection(api.playbackToken(UID, 24 * 3600 + 1, NOW))).toEqual({ name: "RangeError", status: undefined, message: "A playback token lives 1 to 86400 seconds; 86401 asked." });
    expect(double.requests).toEqual([]);
  });

  it("says so when the configured JWK is not a usable key", async () => {
    const { api } = world({ signingKeyId: "kid", signingKeyJwk: btoa('{"kty":"RSA"}') });
    expect(await rejection(api.playbackToken(UID, 60, NOW))).toEqual({ name: "StreamError", status: 500, message: "STREAM_SIGNING_KEY_JWK is not the base64 of an RSA private key in JWK form." });
  });

  it("builds the HLS manifest URL on the customer subdomain with the token in the uid's place", () => {
    const { api } = world();
    expect(api.manifestUrl("eyJ.a.b")).toBe("https://customer-f33zs165nr7gyfy4.cloudflarestream.com/eyJ.a.b/manifest/video.m3u8");
  });
});

describe("failures", () => {
  it("maps a wrong token (401) to a StreamError that does not repeat the token", async () => {
    const { api } = world({ apiToken: "not-the-right-token-9f8e" });
    const error = await rejection(api.video(UID));
    expect(error).toEqual({ name: "StreamError", status: 401, message: "Stream refused to read the video (HTTP 401): Authentication error (code 10000)" });
  });

  it("maps an unknown uid (404) to a StreamError with Stream's message", async () => {
    const { api } = world();
    expect(await rejection(api.video("ffffffffffffffffffffffffffffffff"))).toEqual({ name: "StreamError", status: 404, message: "Stream refused to read the video (HTTP 404): Not Found (code 10003)" });
  });

  it("maps a 500 to a StreamError with status 500", async () => {
    const { double, api } = world();
    double.failNext({ kind: "http", status: 500, message: "Internal server error" });
    expect(await rejection(api.createLiveInput({ name: "x" }))).toMatchObject({ name: "StreamError", status: 500 });
  });

  it("maps success: false on a 200 to a StreamError with the first error's message", async () => {
    const { double, api } = world();
    double.failNext({ kind: "unsuccessful", message: "Storage capacity exceeded" });
    expect(await rejection(api.createDirectUpload({ name: "x", maxDurationSeconds: 60, expiresAt: IN_30_MIN }))).toEqual({ name: "StreamError", status: 502, message: "Stream refused to create a direct upload: Storage capacity exceeded (code 10002)" });
  });

  it("maps an answer without a documented field to a StreamError that names the field", async () => {
    const { double, api } = world();
    double.failNext({ kind: "raw", body: JSON.stringify({ success: true, errors: [], messages: [], result: { uid: "abc" } }) });
    expect(await rejection(api.createDirectUpload({ name: "x", maxDurationSeconds: 60, expiresAt: IN_30_MIN }))).toEqual({ name: "StreamError", status: 502, message: 'Stream\'s answer to "create a direct upload" is not the documented shape at result.uploadURL.' });
  });

  it("maps a video state outside the documented ones to a StreamError", async () => {
    const { double, api } = world();
    double.setVideo(UID, { ...videoReady.result, status: { state: "teleporting" } });
    expect(await rejection(api.video(UID))).toMatchObject({ name: "StreamError", status: 502, message: expect.stringContaining("result.status.state") });
  });

  it("maps a body that is not JSON to a StreamError", async () => {
    const { double, api } = world();
    double.failNext({ kind: "raw", body: "<html>Bad gateway</html>", headers: { "content-type": "text/html" } });
    expect(await rejection(api.createLiveInput({ name: "x" }))).toMatchObject({ name: "StreamError", status: 502 });
  });

  it("maps a network failure to a StreamError that carries nothing of the request", async () => {
    const api = new StreamApi({ accountId: "acc", apiToken: "secret-token-4b1d", customerCode: "code" }, async () => {
      throw new TypeError("connect ECONNREFUSED; Authorization: Bearer secret-token-4b1d");
    });
    expect(await rejection(api.video(UID))).toEqual({ name: "StreamError", status: 502, message: `Stream could not be reached (GET /stream/${UID}).` });
  });

  it("redacts the token should Stream ever echo it in an error", async () => {
    const { double, api } = world();
    double.failNext({ kind: "http", status: 400, message: "Bad header: Bearer stream-test-token" });
    const error = await rejection(api.createLiveInput({ name: "x" }));
    expect(error.message).toBe("Stream refused to create a live input (HTTP 400): Bad header: Bearer [redacted] (code 10001)");
  });

  it("uses the global fetch as it is at call time when no fetcher is given", async () => {
    const { double } = world();
    const api = new StreamApi(double.config);
    vi.stubGlobal("fetch", double.fetch);
    double.setVideo(UID, videoReady.result);
    expect((await api.video(UID)).state).toBe("ready");
    expect(double.requests).toHaveLength(1);
  });
});

describe("verifyWebhook", () => {
  const SECRET = "85011ed3a913c6ad5f9cf6c5573cc0a7";
  const BODY = JSON.stringify(webhookReady, null, 2);

  it("accepts a body signed with the secret at the current time", async () => {
    expect(await verifyWebhook(SECRET, await signWebhook(SECRET, BODY, NOW_S), BODY, NOW)).toBe(true);
  });

  it("rejects a signature made with another secret", async () => {
    expect(await verifyWebhook(SECRET, await signWebhook("someone-else", BODY, NOW_S), BODY, NOW)).toBe(false);
  });

  it("rejects a body changed after signing, even by one byte", async () => {
    const header = await signWebhook(SECRET, BODY, NOW_S);
    expect(await verifyWebhook(SECRET, header, BODY.replace('"readyToStream": true', '"readyToStream": false'), NOW)).toBe(false);
    expect(await verifyWebhook(SECRET, header, `${BODY}\n`, NOW)).toBe(false);
  });

  it("rejects a time outside the tolerance either way, and takes one inside it", async () => {
    expect(await verifyWebhook(SECRET, await signWebhook(SECRET, BODY, NOW_S - 301), BODY, NOW)).toBe(false);
    expect(await verifyWebhook(SECRET, await signWebhook(SECRET, BODY, NOW_S + 301), BODY, NOW)).toBe(false);
    expect(await verifyWebhook(SECRET, await signWebhook(SECRET, BODY, NOW_S - 300), BODY, NOW)).toBe(true);
    expect(await verifyWebhook(SECRET, await signWebhook(SECRET, BODY, NOW_S - 30), BODY, NOW, 10)).toBe(false);
  });

  it("rejects a missing or malformed header", async () => {
    const good = await signWebhook(SECRET, BODY, NOW_S);
    const sig = good.split("sig1=")[1]!;
    const malformed = [
      null,
      "",
      `sig1=${sig}`,
      `time=${NOW_S}`,
      `time=abc,sig1=${sig}`,
      `time=${NOW_S},sig1=${sig.slice(1)}`,
      `time=${NOW_S},sig1=${"z".repeat(64)}`,
      `time=${NOW_S},time=${NOW_S},sig1=${sig}`,
      `t=${NOW_S},v1=${sig}`,
      `time=${NOW_S};sig1=${sig}`,
    ];
    for (const header of malformed) expect(await verifyWebhook(SECRET, header, BODY, NOW), String(header)).toBe(false);
  });
});

describe("parseWebhook", () => {
  it("reads a ready notification", () => {
    expect(parseWebhook(webhookReady)).toEqual({ uid: UID, state: "ready", duration: 5.5, errorReason: null });
  });

  it("reads an error notification with the reason as the docs' example spells it (errReasonText)", () => {
    expect(parseWebhook(webhookError)).toEqual({ uid: UID, state: "failed", duration: null, errorReason: "The video was deemed to be corrupted or malformed." });
  });

  it("reads the reason under the video object's spelling (errorReasonText) too", () => {
    const body = { uid: UID, readyToStream: false, status: { state: "error", errorReasonCode: "ERR_NON_VIDEO", errorReasonText: "The upload is not a video." } };
    expect(parseWebhook(body)).toMatchObject({ state: "failed", errorReason: "The upload is not a video." });
  });

  it("reads a video still encoding as processing", () => {
    expect(parseWebhook({ ...webhookReady, readyToStream: false, status: { state: "inprogress", pctComplete: "40" }, duration: -1 })).toEqual({ uid: UID, state: "processing", duration: null, errorReason: null });
  });

  it("is null for anything that is not a video notification", () => {
    const liveEvent = { name: "Live Webhook Test", text: "Notification type: Stream Live Input", data: { notification_name: "Stream Live Input", input_id: "eb222fcca08eeb1ae84c981ebe8aeeb6", event_type: "live_input.disconnected" } };
    for (const junk of [null, "ready", 42, [], {}, { uid: 7, status: { state: "ready" } }, { uid: UID }, { uid: UID, status: { state: "teleporting" } }, liveEvent]) {
      expect(parseWebhook(junk), JSON.stringify(junk)).toBeNull();
    }
  });
});
