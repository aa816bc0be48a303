import { describe, expect, it } from "vitest";
import * as z from "zod";
import { plainIssue } from "../../protocol/issues";

const said = (schema: z.ZodType, value: unknown) => schema.safeParse(value).error!.issues.map(plainIssue);

describe("zod's refusals in plain words", () => {
  it("says what is missing or of the wrong kind", () => {
    expect(said(z.object({ name: z.string() }), {})).toEqual(["is required"]);
    expect(said(z.string(), 4)).toEqual(["must be text"]);
    expect(said(z.number().int(), 1.5)).toEqual(["must be a whole number"]);
    expect(said(z.boolean(), "yes")).toEqual(["must be true or false"]);
    expect(said(z.array(z.string()), {})).toEqual(["must be a list"]);
  });

  it("names sizes with their unit", () => {
    expect(said(z.string().max(3), "abcd")).toEqual(["must be at most 3 characters"]);
    expect(said(z.string().min(1), "")).toEqual(["must not be empty"]);
    expect(said(z.array(z.number()).max(2), [1, 2, 3])).toEqual(["must be at most 2 items"]);
    expect(said(z.number().int(), 2 ** 60)).toEqual([`must be at most ${Number.MAX_SAFE_INTEGER}`]);
    expect(said(z.number().positive(), 0)).toEqual(["must be more than 0"]);
  });

  it("lists the allowed values, unknown fields (only plain names) and formats", () => {
    expect(said(z.enum(["ta", "student"]), "x")).toEqual(['must be one of "ta", "student"']);
    expect(said(z.strictObject({}), { extra: 1, "<b>": 2 })).toEqual(['has fields it does not take: "extra", (not shown)']);
    expect(said(z.email(), "nope")).toEqual(["must be an email address"]);
    expect(said(z.union([z.string(), z.number()]), null)).toEqual(["is not any of the forms this field takes"]);
  });

  it("keeps a schema's own words", () => {
    expect(said(z.string().max(3, "must be a short code"), "abcd")).toEqual(["must be a short code"]);
  });
});
