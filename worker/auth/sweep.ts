/**
 * The Cron Trigger's work (wrangler.toml [triggers]): deletes rows nothing
 * reads any more, so D1 does not grow with every sign-in and every upload
 * left unfinished. Every cut-off is the same one the readers apply, so a row
 * is deleted only once it already counts as absent.
 */
import { expiredUploads, finishUpload } from "../files/store";
import { CODE_RUNS_KEPT_MS } from "../lib/run-code";
import { LONGEST_WINDOW_MS, TRUSTED_MS } from "./rate-limit";

// Bounds one run's R2 calls; an hourly run catches up on the rest.
const UPLOADS_PER_RUN = 200;

export async function sweep(env: Env, now: number): Promise<void> {
  await env.DB.batch([
    // loadSession accepts only expires_at > now.
    env.DB.prepare("DELETE FROM sessions WHERE expires_at <= ?").bind(now),
    // A trusted: row's window_start is the last sign-in from that address,
    // and isTrusted honours it for TRUSTED_MS, far longer than any window.
    env.DB.prepare("DELETE FROM login_failures WHERE key GLOB 'trusted:*' AND window_start <= ?").bind(now - TRUSTED_MS),
    env.DB.prepare("DELETE FROM login_failures WHERE key NOT GLOB 'trusted:*' AND window_start <= ?").bind(now - LONGEST_WINDOW_MS),
    // The run quota counts only runs started within its window, finished or not.
    env.DB.prepare("DELETE FROM code_runs WHERE started_at <= ?").bind(now - CODE_RUNS_KEPT_MS),
  ]);
  // Deleting the rows alone would leave the parts in R2, which keeps them
  // (and bills for them) until the multipart upload is aborted, as
  // abandonUploads does for a user's own uploads.
  for (const upload of await expiredUploads(env.DB, now, UPLOADS_PER_RUN)) {
    await env.FILES.resumeMultipartUpload(upload.r2Key, upload.r2UploadId)
      .abort()
      .catch((error: unknown) => console.error("sweep: abort failed", upload.id, error));
    await finishUpload(env.DB, upload.id);
  }
}
