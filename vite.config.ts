import { defineConfig } from "vite";
import solid from "vite-plugin-solid";

// The front end is built to dist/web, which the Worker serves as static assets.
export default defineConfig({
  root: "web",
  plugins: [solid()],
  build: { outDir: "../dist/web", emptyOutDir: true, target: "es2022" },
});
