/**
 * GET /api/openapi.json: the API as an OpenAPI 3.1 document, rendered from
 * the route table (api-routes.ts) and its zod schemas. Built on the first
 * request and kept: most isolates never serve it, and converting every
 * schema is work the gateway should not do at startup.
 */
import type { Context } from "hono";
import * as z from "zod";
import { SESSION_COOKIE } from "../auth/sessions";
import { API_ROUTES, type RouteDoc } from "./api-routes";

type Json = Record<string, unknown>;

/** Hono's `:param` is OpenAPI's `{param}`. */
const PARAM = /:(\w+)/g;

/** The schema as a client must send it (defaults make fields optional), inline in the document. */
function jsonSchema(schema: z.ZodType, io: "input" | "output"): Json {
  // Refinements and transforms have no JSON Schema form: they are left out, the shape stays.
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { target: "draft-2020-12", io, unrepresentable: "any" });
  return rest;
}

function parameters(route: RouteDoc): Json[] {
  const inPath = [...route.path.matchAll(PARAM)].map(([, name]) => ({
    name,
    in: "path",
    required: true,
    schema: route.params?.[name!] ? jsonSchema(route.params[name!]!, "input") : { type: "string" },
  }));
  const inQuery = Object.entries(route.query ?? {}).map(([name, description]) => ({
    name,
    in: "query",
    required: route.required?.includes(name) ?? false,
    description,
    schema: { type: "string" },
  }));
  return [...inPath, ...inQuery];
}

function requestBody(route: RouteDoc): Json | undefined {
  if (route.body) {
    // readJson reads an empty body as {}: the body may be left out exactly when {} is valid.
    return { required: !route.body.safeParse({}).success, content: { "application/json": { schema: jsonSchema(route.body, "input") } } };
  }
  if (route.raw) return { required: true, description: route.raw.description, content: { [route.raw.type]: { schema: {} } } };
  return undefined;
}

function success({ ok }: RouteDoc): Json {
  if (ok.status === 204 || ok.status === 101) return { description: ok.description };
  const schema = ok.schema ? jsonSchema(ok.schema, "output") : ok.type ? {} : { type: "object" };
  return { description: ok.description, content: { [ok.type ?? "application/json"]: { schema } } };
}

function operation(route: RouteDoc): Json {
  const body = requestBody(route);
  const params = parameters(route);
  return {
    summary: route.summary,
    description: `Who may call: ${route.who}.`,
    tags: [route.path.split("/")[2]],
    ...(route.open ? { security: [] } : {}),
    ...(params.length ? { parameters: params } : {}),
    ...(body ? { requestBody: body } : {}),
    responses: { [String(route.ok.status)]: success(route), default: { $ref: "#/components/responses/Error" } },
  };
}

function build(): Json {
  const paths: Record<string, Json> = {};
  for (const route of API_ROUTES) {
    const path = route.path.replace(PARAM, "{$1}");
    paths[path] = { ...paths[path], [route.method.toLowerCase()]: operation(route) };
  }
  return {
    openapi: "3.1.0",
    info: {
      title: "ThirdSpace HTTP API",
      version: "1",
      description: "The JSON API under /api (docs/api.md). Request bodies are generated from the schemas the routes validate with.",
    },
    jsonSchemaDialect: "https://json-schema.org/draft/2020-12/schema",
    // Signed-in routes take the session cookie; over https it is named __Host-ts_session.
    security: [{ session: [] }],
    paths,
    components: {
      securitySchemes: {
        session: { type: "apiKey", in: "cookie", name: SESSION_COOKIE, description: `Set by sign-up and sign-in. Over https its name is __Host-${SESSION_COOKIE}.` },
      },
      schemas: {
        Error: {
          type: "object",
          required: ["error"],
          properties: {
            error: { type: "string", description: "What went wrong, for people." },
            fields: { type: "object", additionalProperties: { type: "string" }, description: "Per-field messages for a body that failed its schema." },
          },
        },
      },
      responses: {
        Error: {
          description: "A failure: { error, fields? } (docs/api.md § Errors). 429 answers, and POST /api/run's 503, carry Retry-After.",
          content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } },
        },
      },
    },
  };
}

let document: Json | undefined;

export function openApiDocument(): Json {
  document ??= build();
  return document;
}

// The same document until the next deploy: a client may keep it for an hour.
export const serveOpenApi = (c: Context) => c.json(openApiDocument(), 200, { "cache-control": "public, max-age=3600" });
