import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";

const migrations = await readD1Migrations("./migrations");
const MiB = 1024 * 1024;

export default defineConfig({
  plugins: [
    cloudflareTest(({ inject }) => ({
      wrangler: { configPath: "./wrangler.toml" },
      miniflare: {
        // Small file limits, so the tests reach them with a few MiB.
        bindings: { TEST_MIGRATIONS: migrations, MAX_FILE_BYTES: String(24 * MiB), COURSE_QUOTA_BYTES: String(30 * MiB), UPLOAD_PART_BYTES: String(5 * MiB), MAX_LECTURE_BYTES: String(24 * MiB) },
        // The runner runs in another workerd process (test/setup/runner.ts); this
        // socket leads into its `Runner` entrypoint, and RPC calls cross over it.
        serviceBindings: {
          RUNNER: { external: { address: `127.0.0.1:${inject("runnerRpcPort")}`, http: {} } },
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
