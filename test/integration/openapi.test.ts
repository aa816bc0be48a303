import { SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { LIMITS } from "../../protocol";
import { app } from "../../worker/app";
import { BASE, signUp } from "../helpers/users";

interface Operation {
  security?: unknown[];
  parameters?: { name: string; in: string; required: boolean }[];
  requestBody?: { required: boolean; content: Record<string, { schema: Schema }> };
  responses: Record<string, unknown>;
}
interface Schema {
  type?: string;
  required?: string[];
  properties?: Record<string, Schema>;
  additionalProperties?: boolean;
  maxLength?: number;
  minLength?: number;
  minimum?: number;
  maximum?: number;
  pattern?: string;
  default?: unknown;
  oneOf?: Schema[];
  anyOf?: Schema[];
  items?: Schema;
}
interface OpenApi {
  openapi: string;
  paths: Record<string, Record<string, Operation>>;
  components: { securitySchemes: Record<string, { type: string; in: string; name: string }>; schemas: Record<string, Schema> };
  security: unknown[];
}

const fetchDocument = async () => {
  const res = await SELF.fetch(`${BASE}/api/openapi.json`);
  expect(res.status).toBe(200);
  expect(res.headers.get("content-type")).toMatch(/^application\/json/);
  expect(res.headers.get("cache-control")).toBe("public, max-age=3600");
  return (await res.json()) as OpenApi;
};

const jsonBody = (doc: OpenApi, method: string, path: string) => {
  const body = doc.paths[path]?.[method]?.requestBody;
  expect(body, `${method.toUpperCase()} ${path} has a JSON body`).toBeDefined();
  return { required: body!.required, schema: body!.content["application/json"]!.schema };
};

/** Every method and path the app answers, as OpenAPI spells them; `ALL` entries are middleware and the 404 fallback. */
const appRoutes = () =>
  [...new Set(app.routes.filter((r) => r.method !== "ALL").map((r) => `${r.method} ${r.path.replace(/:(\w+)/g, "{$1}")}`))].sort();

describe("GET /api/openapi.json", () => {
  it("is an OpenAPI 3.1 document, open to anyone, with the session cookie as its security", async () => {
    const doc = await fetchDocument();
    expect(doc.openapi).toMatch(/^3\.1\./);
    expect(doc.security).toEqual([{ session: [] }]);
    expect(doc.components.securitySchemes.session).toEqual({ type: "apiKey", in: "cookie", name: "ts_session", description: expect.stringContaining("__Host-ts_session") });
    expect(doc.paths["/api/auth/login"]!.post!.security).toEqual([]);
    expect(doc.paths["/api/courses"]!.post!.security).toBeUndefined();
  });

  it("describes every route the app has, with its method, and no route it lacks", async () => {
    const doc = await fetchDocument();
    const described = Object.entries(doc.paths)
      .flatMap(([path, item]) => Object.keys(item).map((method) => `${method.toUpperCase()} ${path}`))
      .sort();
    const routes = appRoutes();
    expect(routes.length).toBeGreaterThan(60);
    expect(described).toEqual(routes);
  });

  it("names every path parameter, and answers failures with the { error, fields? } shape", async () => {
    const doc = await fetchDocument();
    expect(doc.components.schemas.Error!.required).toEqual(["error"]);
    for (const [path, item] of Object.entries(doc.paths)) {
      const names = [...path.matchAll(/\{(\w+)\}/g)].map(([, name]) => name);
      for (const [method, op] of Object.entries(item)) {
        const inPath = (op.parameters ?? []).filter((p) => p.in === "path");
        expect(inPath.map((p) => p.name), `${method} ${path}`).toEqual(names);
        expect(inPath.every((p) => p.required)).toBe(true);
        expect(op.responses.default).toEqual({ $ref: "#/components/responses/Error" });
      }
    }
  });

  it("gives a course's create body as the schema validates it: required fields, lengths, the default", async () => {
    const doc = await fetchDocument();
    const { required, schema } = jsonBody(doc, "post", "/api/courses");
    expect(required).toBe(true);
    expect(schema.type).toBe("object");
    expect(schema.additionalProperties).toBe(false);
    expect(schema.required?.sort()).toEqual(["code", "timezone", "title"]);
    expect(schema.properties!.title).toMatchObject({ type: "string", minLength: 1, maxLength: LIMITS.maxTitleChars });
    expect(schema.properties!.code).toMatchObject({ maxLength: 20 });
    expect(schema.properties!.description).toMatchObject({ type: "string", maxLength: 2000 });
    expect(schema.properties!.timezone).toMatchObject({ maxLength: 64 });
    // The route refuses what the document rules out, and takes what it allows.
    const account = await signUp("Describer");
    const tooLong = await account.json("POST", "/api/courses", { title: "x".repeat(LIMITS.maxTitleChars + 1), code: "C1", timezone: "UTC" });
    expect(tooLong).toMatchObject({ status: 400, body: { fields: { title: `must be at most ${LIMITS.maxTitleChars} characters` } } });
    const created = await account.json("POST", "/api/courses", { title: "x".repeat(LIMITS.maxTitleChars), code: "C1", timezone: "UTC" });
    expect(created.status).toBe(201);
  });

  it("gives other bodies from their schemas: sign-up, class scheduling, a submission, a lecture's chapters", async () => {
    const doc = await fetchDocument();
    const signUp = jsonBody(doc, "post", "/api/auth/signup").schema;
    expect(signUp.required?.sort()).toEqual(["email", "name", "password"]);
    expect(signUp.properties!.password).toMatchObject({ minLength: 8, maxLength: 200 });

    const classes = jsonBody(doc, "post", "/api/courses/{courseId}/classes").schema;
    expect(classes.required?.sort()).toEqual(["end", "start", "title"]);
    expect(classes.properties!.repeatWeeks).toMatchObject({ type: "integer", minimum: 1, maximum: 52, default: 1 });

    const submit = jsonBody(doc, "post", "/api/assignments/{id}/submissions").schema;
    expect(submit.properties!.files).toMatchObject({ type: "array", minItems: 1, maxItems: 20 });

    const patch = jsonBody(doc, "patch", "/api/lectures/{lectureId}").schema;
    expect(patch.required ?? []).toEqual([]);
    expect(patch.properties!.chapters!.items!.required?.sort()).toEqual(["at", "title"]);

    // A body that may be empty (readJson reads it as {}) is optional.
    expect(jsonBody(doc, "post", "/api/rooms").required).toBe(false);
    expect(jsonBody(doc, "put", "/api/assignments/{id}/tests").required).toBe(true);
  });

  it("describes raw bodies and query parameters where a route takes them", async () => {
    const doc = await fetchDocument();
    const upload = doc.paths["/api/courses/{courseId}/files"]!.post!;
    expect(Object.keys(upload.requestBody!.content)).toEqual(["application/octet-stream"]);
    expect(upload.parameters!.filter((p) => p.in === "query").map((p) => [p.name, p.required])).toEqual([
      ["name", true],
      ["visibility", false],
    ]);
    const captions = doc.paths["/api/lectures/{lectureId}/captions/{lang}"]!.put!;
    expect(Object.keys(captions.requestBody!.content)).toEqual(["text/vtt"]);
  });
});
