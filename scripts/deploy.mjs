// `npm run deploy`: build the front end, deploy the code runner, then the app
// (the app's service binding needs the runner to exist first).
// Needs a Cloudflare login (`npx wrangler login`) or CLOUDFLARE_API_TOKEN.
import { buildWeb, ensureDependencies, runTool } from "./lib/setup.mjs";

ensureDependencies();
buildWeb();
runTool("wrangler", ["deploy", "-c", "worker/runner/wrangler.toml"]);
runTool("wrangler", ["deploy"]);
