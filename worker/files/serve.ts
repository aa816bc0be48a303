/**
 * Answers a GET for a stored object: conditional requests, one byte range,
 * and headers that tell a browser what it is and never to run it. Course
 * files, lecture videos and caption tracks are all served this way.
 */
import type { Context } from "hono";
import { fail } from "../http/errors";
import { contentDisposition } from "./names";
import { etagMatches, parseRange } from "./range";

export interface Servable {
  /** For logs only. */
  id: string;
  name: string;
  r2Key: string;
  size: number;
  etag: string;
  contentType: string;
}

const SANDBOX = "default-src 'none'; sandbox";

/** Headers every answer about a stored object carries. */
function objectHeaders(o: Servable, csp: string): Headers {
  return new Headers({
    "content-type": o.contentType,
    "content-disposition": contentDisposition(o.name, o.contentType),
    etag: o.etag,
    "accept-ranges": "bytes",
    "cache-control": "private, no-cache",
    "x-content-type-options": "nosniff",
    "content-security-policy": csp,
  });
}

export async function serveObject(c: Context, bucket: R2Bucket, o: Servable, missing: string, csp = SANDBOX): Promise<Response> {
  const headers = objectHeaders(o, csp);
  if (etagMatches(c.req.header("if-none-match"), o.etag)) return new Response(null, { status: 304, headers });
  // If-Range with another version's ETag: the client's partial copy is stale, so it gets the whole object (RFC 9110 § 13.1.5).
  const ifRange = c.req.header("if-range");
  const range = parseRange(ifRange === undefined || ifRange === o.etag ? c.req.header("range") : undefined, o.size);
  if (range.kind === "unsatisfiable") {
    headers.set("content-range", `bytes */${o.size}`);
    headers.set("content-type", "application/json");
    headers.delete("content-disposition");
    return new Response(JSON.stringify({ error: `The range is outside the ${o.size} bytes stored.` }), { status: 416, headers });
  }
  const object = await bucket.get(o.r2Key, range.kind === "part" ? { range: { offset: range.offset, length: range.length } } : {});
  if (!object) {
    console.error("serve: indexed but missing in R2", o.id);
    fail(404, missing);
  }
  if (range.kind === "part") {
    headers.set("content-range", `bytes ${range.offset}-${range.offset + range.length - 1}/${o.size}`);
    headers.set("content-length", String(range.length));
    return new Response(object.body, { status: 206, headers });
  }
  headers.set("content-length", String(o.size));
  return new Response(object.body, { status: 200, headers });
}
