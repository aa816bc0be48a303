/**
 * The gateway Worker: the JSON API under /api (worker/app.ts), WebSocket
 * upgrades routed to each room's Durable Object, and the built front end
 * (Workers static assets) for every other path; plus the grading queue's
 * consumer and the hourly sweep.
 */
import { app } from "./app";
import { gradeBatch, type GradeJob } from "./homework/grader";
import { sweep } from "./auth/sweep";

export { ClassroomRoom } from "./room/ClassroomRoom";

export default {
  fetch: app.fetch,
  // The grading queue's consumer (wrangler.toml [[queues.consumers]]).
  queue: (batch, env) => gradeBatch(batch, env),
  // The Cron Trigger (wrangler.toml [triggers]).
  scheduled: (controller, env) => sweep(env, controller.scheduledTime),
} satisfies ExportedHandler<Env, GradeJob>;
