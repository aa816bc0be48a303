/**
 * GET /api/invites/:code — what anyone holding an invite link may see before
 * they have an account: the course's title and code and its instructor's
 * display name, nothing else (no roster, no emails, no ids). Unknown,
 * turned-off, expired and archived codes all get the same answer, so the
 * route says no more about a code than whether it works today. Counted per
 * address, like sign-up: it could be used to guess codes.
 */
import { Hono } from "hono";
import * as z from "zod";
import type { InvitePreview } from "../../protocol";
import { clientAddress } from "../auth/rate-limit";
import { courseByInvite, inviteStatus } from "../courses/store";
import type { AppEnv } from "./context";
import { fail } from "./errors";
import { ACTION_LIMITS, withinLimits } from "./limits";

/** The shape invite codes are made in (courses/store.ts); anything else cannot be one. */
const InviteCode = z.string().regex(/^[A-Za-z0-9_-]{1,32}$/);

export const NOT_VALID = "This invite link is not valid.";

export const invites = new Hono<AppEnv>().get("/:code", async (c) => {
  await withinLimits(c, ACTION_LIMITS.inviteLookup(clientAddress(c.req.raw.headers)));
  const code = InviteCode.safeParse(c.req.param("code"));
  const course = code.success ? await courseByInvite(c.env.DB, code.data) : null;
  // Expired says no more than unknown here: the same 404.
  if (inviteStatus(course, Date.now()) !== "open") fail(404, NOT_VALID);
  const preview: InvitePreview = { course: { title: course!.title, code: course!.code }, instructor: course!.instructor };
  // The answer changes when the instructor renames the course or turns the link off.
  return c.json(preview, 200, { "cache-control": "no-store" });
});
