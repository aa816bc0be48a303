// The floor for course file uploads: the least a Worker can do to put a
// request's bytes into R2. The body is streamed into the bucket as it
// arrives, one request per object or per multipart part, exactly as the
// gateway does, but with no session, no course check, no D1 row per part:
// the client keeps the parts' etags itself. So ThirdSpace ÷ floor is the
// cost of the app, not of the bytes or of local R2.
//
// bench/workerd.mjs serves it in the same workerd process as ThirdSpace,
// bound to the same bucket.
//
//   POST   /files?key=k                          body → { size }
//   DELETE /files?key=k                          → 204
//   POST   /uploads?key=k                        → { uploadId }
//   PUT    /uploads/:uploadId/parts/:n?key=k      body → { partNumber, etag }
//   POST   /uploads/:uploadId/complete?key=k      { parts: [{ partNumber, etag }] } → { size }
const PART = /^\/uploads\/([^/]+)\/parts\/(\d+)$/;
const COMPLETE = /^\/uploads\/([^/]+)\/complete$/;

export default {
  async fetch(request, env) {
    const url = new URL(request.url);
    const key = url.searchParams.get("key");
    if (!key) return Response.json({ error: "key is required" }, { status: 400 });
    const { pathname } = url;
    const method = request.method;
    if (pathname === "/files" && method === "POST") {
      const object = await env.FILES.put(key, request.body);
      return Response.json({ size: object.size });
    }
    if (pathname === "/files" && method === "DELETE") {
      await env.FILES.delete(key);
      return new Response(null, { status: 204 });
    }
    if (pathname === "/uploads" && method === "POST") {
      const upload = await env.FILES.createMultipartUpload(key);
      return Response.json({ uploadId: upload.uploadId });
    }
    let m = PART.exec(pathname);
    if (m && method === "PUT") {
      const part = await env.FILES.resumeMultipartUpload(key, m[1]).uploadPart(Number(m[2]), request.body);
      return Response.json({ partNumber: part.partNumber, etag: part.etag });
    }
    m = COMPLETE.exec(pathname);
    if (m && method === "POST") {
      const { parts } = await request.json();
      const object = await env.FILES.resumeMultipartUpload(key, m[1]).complete(parts);
      return Response.json({ size: object.size });
    }
    return Response.json({ error: "not found" }, { status: 404 });
  },
};
