import fs from 'node:fs';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, expect } from 'vitest';
import { ensureWebBuild } from '../../scripts/ensure-web-build.mjs';
import { createTestApp, type TestApp } from '../helpers/app.js';

/**
 * The harness shared by the browser tests: the system Chromium (never downloaded), axe checks,
 * and the collection of browser console errors that every test must account for.
 */

/** The system Chromium; the suites skip themselves when it is missing. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Headless and quiet: no sandbox (containers), no GPU, no background traffic to the outside. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Per-test timeout: a test drives several page loads, each with its own waits. */
export const TIMEOUT = 60_000;
/** For `expect.poll` on what client-side rendering updates after an action. */
export const POLL = { timeout: 15_000 };
/** Anonymous visitors get a 401 from the session probe by design (it carries their CSRF token);
 * the message names the URL so nothing else is let through. */
export const SESSION_PROBE = /status of 401 .*\/api\/v1\/session$/;

const require = createRequire(import.meta.url);
// Evaluated rather than injected with addScriptTag: the app's CSP (script-src 'self') rightly
// blocks inline scripts, and bypassing CSP would hide the app's own violations from these tests.
const AXE_SOURCE = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
/** The WCAG 2.1 A and AA rules: the level the UI is held to. */
const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

/** The part of an axe result the report below reads. */
interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  helpUrl: string;
  nodes: Array<{ target: string[]; failureSummary?: string }>;
}

/** Launches the system Chromium with the arguments above. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}

/**
 * Opens a desktop-sized Italian page in a fresh context, pushing every console error and uncaught
 * page error into `consoleErrors` for `expectNoConsoleErrors`.
 */
async function openPage(
  browser: Browser,
  consoleErrors: string[],
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'it-IT' });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  page.on('console', (msg) => {
    if (msg.type() === 'error') consoleErrors.push(`${msg.text()} ${msg.location().url}`);
  });
  page.on('pageerror', (err) => consoleErrors.push(`pageerror: ${err.message}`));
  return { context, page };
}

/** Fails on any collected console error that no pattern in `allowedErrors` accounts for. */
function expectNoConsoleErrors(consoleErrors: string[], allowedErrors: RegExp[]): void {
  const unexpected = consoleErrors.filter((e) => !allowedErrors.some((re) => re.test(e)));
  expect(unexpected, 'browser console errors').toEqual([]);
}

/** Runs axe on the page as it is now and fails on serious or critical WCAG violations. */
export async function expectAccessible(page: Page, label: string): Promise<void> {
  await page.evaluate(AXE_SOURCE);
  const violations = await page.evaluate(async (tags) => {
    const axe = (
      window as unknown as {
        axe: { run: (ctx: Document, opts: object) => Promise<{ violations: AxeViolation[] }> };
      }
    ).axe;
    const result = await axe.run(document, { runOnly: { type: 'tag', values: tags } });
    return result.violations;
  }, WCAG_TAGS);
  const serious = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  for (const v of serious) {
    console.error(
      `[axe] ${label}: ${v.impact} ${v.id} — ${v.help} (${v.helpUrl})\n` +
        v.nodes.map((n) => `    ${n.target.join(' ')}: ${n.failureSummary ?? ''}`).join('\n'),
    );
  }
  expect(
    serious.map((v) => `${v.id}: ${v.help}`),
    `${label}: serious or critical axe violations`,
  ).toEqual([]);
}

/** Waits for the page's single h1 to show `text`: client-side rendering lands after `goto`. */
export async function heading(page: Page, text: string): Promise<void> {
  await page.locator('h1', { hasText: text }).waitFor();
  expect(await page.locator('h1').count(), 'exactly one h1').toBe(1);
}

export interface BrowserSuite {
  /** The server, on its own database with the demo data. */
  t: TestApp;
  base: string;
  /** A fresh page per test. */
  page: Page;
  /** Console errors the current test expects, e.g. the 404 of an unknown Ambito; reset per test. */
  allowedErrors: RegExp[];
}

/**
 * Registers the hooks every browser suite needs: build the web UI, start the server on an
 * ephemeral port, launch Chromium once, open a fresh page per test and fail the test on any
 * console error it did not expect. Hooks registered after this call run after these.
 */
export function useBrowserSuite(): BrowserSuite {
  const s = { allowedErrors: [] as RegExp[] } as BrowserSuite;
  let browser: Browser | undefined;
  let context: BrowserContext | undefined;
  let consoleErrors: string[] = [];

  beforeAll(async () => {
    // Before the app is built: it serves web/dist only if index.html exists at that moment.
    await ensureWebBuild();
    s.t = await createTestApp({ seed: true });
    await s.t.app.listen({ port: 0, host: '127.0.0.1' });
    s.base = `http://127.0.0.1:${(s.t.app.server.address() as AddressInfo).port}`;
    browser = await launchChromium();
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await s.t?.close();
  });

  beforeEach(async () => {
    consoleErrors = [];
    s.allowedErrors = [SESSION_PROBE];
    ({ context, page: s.page } = await openPage(browser as Browser, consoleErrors));
  });

  afterEach(async () => {
    await context?.close();
    expectNoConsoleErrors(consoleErrors, s.allowedErrors);
  });

  return s;
}
