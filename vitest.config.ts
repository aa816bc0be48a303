import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";

const migrations = await readD1Migrations("./migrations");

export default defineConfig({
  plugins: [
    cloudflareTest(({ inject }) => ({
      wrangler: { configPath: "./wrangler.toml" },
      miniflare: {
        bindings: { TEST_MIGRATIONS: migrations },
        // The runner runs in another workerd process (test/setup/runner.ts).
        serviceBindings: {
          RUNNER: { external: { address: `127.0.0.1:${inject("runnerPort")}`, http: {} } },
        },
      },
    })),
  ],
  test: {
    globalSetup: ["./test/setup/runner.ts"],
    setupFiles: ["./test/setup/d1.ts"],
    include: ["test/unit/**/*.test.ts", "test/integration/**/*.test.ts"],
    testTimeout: 20_000,
  },
});
