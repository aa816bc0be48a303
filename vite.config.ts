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
    // The room chunk (CodeMirror, the protocol's zod schemas) is ~200 KB gzip and
    // loads only when a room opens; the pages around it stay small.
    chunkSizeWarningLimit: 700,
  },
});
