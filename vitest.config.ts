import { cloudflareTest } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";

export default defineConfig({
  plugins: [
    cloudflareTest(({ inject }) => ({
      wrangler: { configPath: "./wrangler.toml" },
      miniflare: {
        // The runner runs in another workerd process (test/setup/runner.ts).
        serviceBindings: {
          RUNNER: { external: { address: `127.0.0.1:${inject("runnerPort")}`, http: {} } },
        },
      },
    })),
  ],
  test: {
    globalSetup: ["./test/setup/runner.ts"],
    include: ["test/unit/**/*.test.ts", "test/integration/**/*.test.ts"],
    testTimeout: 20_000,
  },
});
