import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

/**
 * The local console's pages (Preact + uPlot, plain CSS). `npm start` builds them through
 * local/console/build-console.ts when web/ changed; `npx vite build web` does the same by hand.
 */
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  publicDir: false,
  // JSX through Vite's own esbuild transform: no Babel preset needed for Preact.
  esbuild: { jsx: 'automatic', jsxImportSource: 'preact' },
  build: { outDir: 'dist', emptyOutDir: true, target: 'es2022', chunkSizeWarningLimit: 200 },
});
