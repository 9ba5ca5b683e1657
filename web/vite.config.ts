import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));
const apiTarget = process.env.AMBITO_API_URL ?? 'http://localhost:3000';

export default defineConfig({
  root,
  base: '/',
  // No @vitejs/plugin-react: Vite's built-in Oxc transform compiles TSX with the automatic runtime.
  oxc: { jsx: { runtime: 'automatic', importSource: 'react' } },
  server: {
    proxy: {
      '/api': apiTarget,
      '/health': apiTarget,
      '/status': apiTarget,
    },
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // The CSS of Bootstrap Italia alone is ~600 kB; warn only when our own JS grows past it.
    chunkSizeWarningLimit: 700,
  },
});
