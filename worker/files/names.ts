/**
 * What a stored file is called and how it is served: pure functions.
 *
 * Uploaded bytes are never trusted to be what their type says. Only types a
 * browser renders without running anything are shown inline; everything
 * else (HTML and SVG above all: both can carry script) is a download, and
 * every answer is sandboxed by CSP and nosniff (see http/files.ts).
 */

/** At most this many UTF-16 units in a file name (ext4 and most tools cap names at 255 bytes). */
export const MAX_NAME_CHARS = 200;

/**
 * A file name as stored and shown: the last path segment of what the client
 * sent, without control or format characters, trimmed. Null when nothing
 * usable is left ("", ".", ".."), or when it is too long.
 */
export function sanitizeName(raw: string): string | null {
  const lastSegment = raw.split(/[/\\]/).pop() ?? "";
  const cleaned = lastSegment.replace(/[\p{Cc}\p{Cf}]/gu, "").trim();
  if (cleaned === "" || cleaned === "." || cleaned === "..") return null;
  if (cleaned.length > MAX_NAME_CHARS) return null;
  return cleaned;
}

/** `type/subtype` from a Content-Type header, lower-cased, without parameters; octet-stream when absent or malformed. */
export function normalizeContentType(raw: string | undefined | null): string {
  const essence = (raw ?? "").split(";")[0]!.trim().toLowerCase();
  return /^[a-z0-9][a-z0-9!#$&^_.+-]{0,63}\/[a-z0-9][a-z0-9!#$&^_.+-]{0,126}$/.test(essence) ? essence : "application/octet-stream";
}

/** Types safe to show in the browser: raster images, PDF, plain text, video. Never HTML or SVG. */
const INLINE_SAFE = new Set([
  "image/png",
  "image/jpeg",
  "image/gif",
  "image/webp",
  "image/avif",
  "application/pdf",
  "text/plain",
  "video/mp4",
  "video/webm",
]);

export function isInlineSafe(contentType: string): boolean {
  return INLINE_SAFE.has(normalizeContentType(contentType));
}

/**
 * The Content-Disposition for a stored file: `inline` only for safe types.
 * A plain-ASCII `filename` for old clients, and RFC 6266 / RFC 8187
 * `filename*` with the real name when it is not plain ASCII.
 */
export function contentDisposition(name: string, contentType: string): string {
  const kind = isInlineSafe(contentType) ? "inline" : "attachment";
  // Browsers percent-decode a plain filename (so "%2e%2e%2f" would turn into "../"): a "%" goes to filename* too.
  const ascii = name.replace(/[^\x20-\x7e]/g, "_").replace(/["\\%]/g, "_");
  const plain = ascii === name;
  return plain ? `${kind}; filename="${ascii}"` : `${kind}; filename="${ascii}"; filename*=UTF-8''${encodeRfc8187(name)}`;
}

/** RFC 8187 value-chars: attr-char stays, everything else is percent-encoded UTF-8. */
function encodeRfc8187(value: string): string {
  return encodeURIComponent(value).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}
