import { defineConfig } from "vite";

export default defineConfig({
  // JSX with React's automatic runtime; no plugin needed for a build.
  esbuild: { jsx: "automatic" },
  // @aiw3/client is linked from ../client, which has its own React for its tests: one React only.
  resolve: { dedupe: ["react", "react-dom"] },
  server: { port: 5173, strictPort: true },
});
