/**
 * The web app (back office under /app, debtor portal under /p/:token) is one Vite build into web/dist, which the API
 * server serves (src/http/static.ts). `npm run dev:web` serves it with hot reload and forwards API calls to a running
 * `cobranza serve` on COBRANZA_API (default http://127.0.0.1:3000).
 */
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

const root = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root,
  base: '/',
  // Nothing is copied verbatim: every asset goes through the build and gets a content hash.
  publicDir: false,
  plugins: [react()],
  build: {
    outDir: 'dist',
    assetsDir: 'assets',
    emptyOutDir: true,
    sourcemap: true,
    target: 'es2022',
  },
  server: {
    proxy: {
      // Everything that is not the app itself (or Vite's own files) goes to the API server.
      '^/(?!app(/|$)|p/|@|src/|node_modules/|index\\.html$|$).*': { target: process.env.COBRANZA_API ?? 'http://127.0.0.1:3000', changeOrigin: false },
    },
  },
});
