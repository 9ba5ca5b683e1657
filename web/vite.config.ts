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
    rolldownOptions: {
      onwarn(warning, warn) {
        // react-bootstrap's "use client" markers only matter to server-component bundlers.
        if (warning.code === 'MODULE_LEVEL_DIRECTIVE' && warning.id?.includes('node_modules')) return;
        warn(warning);
      },
      output: {
        codeSplitting: {
          // The kit lazy-loads each of its ~180 icons as its own module; one lazy chunk instead
          // of 180 files. It is fetched only if a kit component shows an icon (the mobile menu).
          groups: [
            {
              name: 'kit-icons',
              test: /design-react-kit[\\/]dist[\\/]Icon[\\/]assets[\\/]It/,
              // Otherwise React, which the icons import, would be pulled into this lazy chunk.
              includeDependenciesRecursively: false,
            },
          ],
        },
      },
    },
  },
});
