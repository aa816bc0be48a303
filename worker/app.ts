/**
 * The gateway's HTTP app: the JSON API under /api, with its headers, session
 * and same-origin rules, and the WebSocket upgrades each room's route passes
 * on to its Durable Object. worker/index.ts is the Worker around it.
 */
import { Hono, type Context } from "hono";
import { secureHeaders } from "hono/secure-headers";
import { auth, me } from "./http/auth";
import { calendar, classes, courseClasses } from "./http/classes";
import { loadSession, sameOriginWrites, type AppEnv } from "./http/context";
import { fail, onError } from "./http/errors";
import { courses, enrolment } from "./http/courses";
import { invites } from "./http/invites";
import { assignmentRoutes, courseAssignmentRoutes } from "./http/assignments";
import { courseFileRoutes, fileRoutes } from "./http/files";
import { feedbackRoutes, gradebookRoutes, releaseRoutes } from "./http/feedback";
import { gradingRoutes } from "./http/grading";
import { lectureMediaRoutes, streamWebhookRoutes } from "./http/lecture-media";
import { serveOpenApi } from "./http/openapi";
import { courseLectureRoutes, lectureRoutes } from "./http/lectures";
import { rooms } from "./http/rooms";
import { runRoutes } from "./http/run";
import { assignmentSubmissionRoutes, submissionRoutes } from "./http/submissions";
import { courseUploadRoutes, uploadRoutes } from "./http/uploads";

export const app = new Hono<AppEnv>();
// The same framing and referrer rules as the pages (web/public/_headers).
// overwrite: false keeps a route's stricter CSP (course files are sandboxed).
const hardenedHeaders = secureHeaders({
  contentSecurityPolicy: { frameAncestors: ["'none'"] },
  xFrameOptions: "DENY",
  referrerPolicy: "same-origin",
  overwrite: false,
});
// A 101 response's headers are immutable: room socket upgrades skip the header middleware.
const isSocketUpgrade = (c: Context) => c.req.path.endsWith("/ws") && c.req.header("Upgrade")?.toLowerCase() === "websocket";
app.use("/api/*", (c, next) => (isSocketUpgrade(c) ? next() : hardenedHeaders(c, next)));
app.get("/api/health", (c) => c.json({ ok: true }));
app.get("/api/openapi.json", serveOpenApi);
app.use("/api/*", sameOriginWrites, loadSession);
app.route("/api/auth", auth);
app.route("/api/me", me);
app.route("/api/courses", courses);
app.route("/api/courses", courseClasses);
app.route("/api/courses", courseFileRoutes);
app.route("/api/courses", courseUploadRoutes);
app.route("/api/courses", courseAssignmentRoutes);
app.route("/api/assignments", assignmentRoutes);
app.route("/api/assignments", assignmentSubmissionRoutes);
app.route("/api/assignments", gradingRoutes);
app.route("/api/submissions", submissionRoutes);
app.route("/api/submissions", feedbackRoutes);
app.route("/api/assignments", releaseRoutes);
app.route("/api/courses", gradebookRoutes);
app.route("/api/courses", courseLectureRoutes);
app.route("/api/lectures", lectureRoutes);
app.route("/api/lectures", lectureMediaRoutes);
app.route("/api/stream", streamWebhookRoutes);
app.route("/api/files", fileRoutes);
app.route("/api/uploads", uploadRoutes);
app.route("/api/enrol", enrolment);
app.route("/api/invites", invites);
app.route("/api/classes", classes);
app.route("/api/calendar", calendar);
app.route("/api/rooms", rooms);
app.route("/api/run", runRoutes);
app.all("/api/*", () => fail(404, "No such endpoint."));
app.onError(onError);
