#!/usr/bin/env node
/**
 * Builds the web UI when web/dist is missing or older than its sources, so `npm start` and the
 * browser test work from a fresh clone without a separate build step. Silent when up to date.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const WEB = path.join(ROOT, 'web');
const DIST = path.join(WEB, 'dist');
const INDEX = path.join(DIST, 'index.html');
const SKIP = new Set(['dist', 'node_modules', '.vite']);

/** Newest modification time under `dir`, ignoring build output and caches. */
function newestMtime(dir) {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (SKIP.has(entry.name)) continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestMtime(full));
    else if (entry.isFile()) newest = Math.max(newest, fs.statSync(full).mtimeMs);
  }
  return newest;
}

export function isWebBuildFresh() {
  if (!fs.existsSync(INDEX)) return false;
  return fs.statSync(INDEX).mtimeMs >= newestMtime(WEB);
}

// Concurrent callers (parallel test files) share one build instead of racing on web/dist.
let pending;

/** Resolves once web/dist is up to date; returns true when a build was needed. */
export function ensureWebBuild() {
  if (isWebBuildFresh()) return Promise.resolve(false);
  pending ??= runBuild().finally(() => {
    pending = undefined;
  });
  return pending;
}

async function runBuild() {
  // Imported lazily: the common up-to-date path stays fast and does not load Vite.
  const { build } = await import('vite');
  console.error('ambito: compilazione dell’interfaccia web (web/dist)…');
  await build({ configFile: path.join(WEB, 'vite.config.ts'), logLevel: 'warn' });
  // The bundler may keep source mtimes in the future (checkout, clock skew); touching index.html
  // guarantees the next check sees the build as fresh.
  const now = new Date();
  fs.utimesSync(INDEX, now, now);
  return true;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  ensureWebBuild().catch((error) => {
    console.error('Compilazione dell’interfaccia web non riuscita:', error);
    process.exit(1);
  });
}
