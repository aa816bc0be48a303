// `npm run deploy`: migrate the remote D1 database, build the front end,
// deploy the code runner, then the app (the app's service binding names the
// runner's `Runner` entrypoint, which must exist first).
// Needs a Cloudflare login (`npx wrangler login`) or CLOUDFLARE_API_TOKEN.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT } from "./lib/processes.mjs";
import { buildWeb, ensureDependencies, runTool } from "./lib/setup.mjs";

if (readFileSync(join(ROOT, "wrangler.toml"), "utf8").includes('database_id = "00000000-0000-0000-0000-000000000000"')) {
  console.error("Create the D1 database first: npx wrangler d1 create thirdspace, then put its id in wrangler.toml.");
  process.exit(1);
}
ensureDependencies();
runTool("wrangler", ["d1", "migrations", "apply", "DB", "--remote"]);
buildWeb();
runTool("wrangler", ["deploy", "-c", "worker/runner/wrangler.toml"]);
runTool("wrangler", ["deploy"]);
