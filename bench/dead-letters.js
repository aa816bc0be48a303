// The grading queue's dead-letter queue needs a consumer in the bench: with
// none, Miniflare drops what is moved there, and a job that kept failing
// would vanish without a trace. This one only remembers the jobs (in memory:
// one isolate for the whole run) so the bench can count them.
//
// bench/workerd.mjs serves it in the same workerd process as ThirdSpace.
const jobs = [];

export default {
  queue(batch) {
    for (const message of batch.messages) {
      jobs.push({ queue: batch.queue, body: message.body });
      message.ack();
    }
  },
  fetch() {
    return Response.json({ jobs });
  },
};
