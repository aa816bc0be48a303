import { defineConfig } from "vite";
import solid from "vite-plugin-solid";

// The front end is built to dist/web, which the Worker serves as static assets.
export default defineConfig({
  root: "web",
  plugins: [solid()],
  build: {
    outDir: "../dist/web",
    emptyOutDir: true,
    target: "es2022",
    // The room page loads lazily, but the main chunk is ~200 KB gzip already:
    // the course page's chat brings the protocol's zod schemas and the
    // highlighter's JavaScript parser with it.
    chunkSizeWarningLimit: 700,
  },
});
