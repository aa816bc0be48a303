import { defineConfig } from "@playwright/test";
import { CHROMIUM_LAUNCH } from "./scripts/lib/chromium.mjs";

const port = Number(process.env.E2E_PORT ?? 8791);

export default defineConfig({
  testDir: "test/browser",
  timeout: 60_000,
  expect: { timeout: 10_000 },
  workers: 1,
  retries: 0,
  reporter: [["list"], ["json", { outputFile: "test-results/playwright.json" }]],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    trace: "retain-on-failure",
    launchOptions: CHROMIUM_LAUNCH,
  },
  webServer: {
    command: `node scripts/start.mjs --no-watch --persist-to=${process.env.E2E_STATE ?? ".wrangler/e2e-state"}`,
    env: { PORT: String(port) },
    url: `http://127.0.0.1:${port}/api/health`,
    timeout: 180_000,
    reuseExistingServer: false,
    // start.mjs runs wrangler in its own process groups; SIGTERM lets it stop them.
    gracefulShutdown: { signal: "SIGTERM", timeout: 10_000 },
    stdout: "ignore",
    stderr: "pipe",
  },
});
