import fs from 'node:fs';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, type BrowserContext, chromium, type Locator, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ensureWebBuild } from '../../scripts/ensure-web-build.mjs';
import { createTestApp, type TestApp } from '../helpers/app.js';

/**
 * The web UI against the real server and demo data, in the system Chromium (never downloaded).
 * Set UPDATE_SCREENSHOT=1 to also refresh docs/screenshot.png.
 */

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const require = createRequire(import.meta.url);
// Evaluated rather than injected with addScriptTag: the app's CSP (script-src 'self') rightly
// blocks inline scripts, and bypassing CSP would hide the app's own violations from this test.
const AXE_SOURCE = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
const TIMEOUT = 60_000;

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  helpUrl: string;
  nodes: Array<{ target: string[]; failureSummary?: string }>;
}

async function expectAccessible(page: Page, label: string): Promise<void> {
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

const number = (text: string) => Number(text.replace(/\D/g, ''));

/** The trimmed text of every cell, row by row. */
function cellTexts(rows: Locator): Promise<string[][]> {
  return rows.evaluateAll((trs) =>
    trs.map((tr) => Array.from(tr.querySelectorAll('th, td'), (c) => (c.textContent ?? '').trim())),
  );
}
const POLL = { timeout: 15_000 };

/** Waits for the page's single h1 to show `text`: client-side rendering lands after `goto`. */
async function heading(page: Page, text: string): Promise<void> {
  await page.locator('h1', { hasText: text }).waitFor();
  expect(await page.locator('h1').count(), 'exactly one h1').toBe(1);
}

describe.skipIf(!fs.existsSync(CHROMIUM))('web UI: territorio', () => {
  let t: TestApp;
  let base: string;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let consoleErrors: string[];
  /** Console messages a test expects, e.g. the 404 of an unknown Ambito. */
  let allowedErrors: RegExp[];

  beforeAll(async () => {
    // Before the app is built: it serves web/dist only if index.html exists at that moment.
    await ensureWebBuild();
    t = await createTestApp({ seed: true });
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  beforeEach(async () => {
    consoleErrors = [];
    // Anonymous visitors get a 401 from the header's session probe by design (it carries their
    // CSRF token); the message names the URL so nothing else is let through.
    allowedErrors = [/status of 401 .*\/api\/v1\/session$/];
    context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'it-IT' });
    page = await context.newPage();
    page.setDefaultTimeout(15_000);
    page.on('console', (msg) => {
      if (msg.type() === 'error') consoleErrors.push(`${msg.text()} ${msg.location().url}`);
    });
    page.on('pageerror', (err) => consoleErrors.push(`pageerror: ${err.message}`));
  });

  afterEach(async () => {
    await context?.close();
    const unexpected = consoleErrors.filter((e) => !allowedErrors.some((re) => re.test(e)));
    expect(unexpected, 'browser console errors').toEqual([]);
  });

  it(
    'lists the demo Ambiti, with the demo badge',
    async () => {
      await page.goto(`${base}/`);
      await page.waitForURL(`${base}/ambiti`);
      await heading(page, 'Ambiti territoriali');
      const names = page.locator('.ambito-card h2');
      await names.first().waitFor();
      const texts = await names.allInnerTexts();
      for (const part of ['Monza', 'Distretto 4', 'Sesto San Giovanni', 'Azzate']) {
        expect(
          texts.some((name) => name.includes(part)),
          `an Ambito named like "${part}"`,
        ).toBe(true);
      }
      expect(await page.locator('.ambito-card .demo-badge').count()).toBe(texts.length);
      expect(await page.title()).toContain('Ambiti territoriali');
      await expectAccessible(page, '/ambiti');
    },
    TIMEOUT,
  );

  it(
    'opens an Ambito with its Comuni, totals and age bands',
    async () => {
      await page.goto(`${base}/ambiti`);
      await page.getByRole('link', { name: /Sesto San Giovanni/ }).click();
      await page.waitForURL(/\/ambiti\/[0-9a-f-]{36}$/);
      await heading(page, 'Sesto San Giovanni');

      const table = page.locator('table.comuni-table');
      const rows = table.locator('tbody tr');
      await expect.poll(() => rows.count(), POLL).toBe(2);
      const cells = await cellTexts(rows);
      expect(cells.map((c) => [c[0], c[1], c[2]]).sort()).toEqual([
        ['015081', 'Cologno Monzese', 'MI'],
        ['015209', 'Sesto San Giovanni', 'MI'],
      ]);

      const id = page.url().split('/').pop() ?? '';
      const api = (await (await page.request.get(`${base}/api/v1/ambiti/${id}`)).json()) as {
        totals: { comuni: number; population: number };
      };
      const [totals = []] = await cellTexts(table.locator('tfoot tr'));
      expect(totals[0]).toBe('Totale');
      expect(totals[1]).toBe('2 Comuni');
      const shownTotal = number(totals[2] ?? '');
      expect(shownTotal).toBe(api.totals.population);
      expect(shownTotal).toBe(cells.reduce((sum, c) => sum + number(c[3] ?? ''), 0));
      // Italian thousands separator.
      expect(totals[2]).toMatch(/^\d{1,3}(\.\d{3})+$/);

      const bands = page.locator('.bands-table tbody tr');
      expect(await bands.count()).toBe(4);
      expect(await page.locator('section[aria-labelledby="bands-title"]').textContent()).toContain(
        'Dati dimostrativi',
      );

      await expectAccessible(page, '/ambiti/:id');
    },
    TIMEOUT,
  );

  it(
    'searches the national list of Comuni',
    async () => {
      await page.goto(`${base}/comuni`);
      await page.getByLabel('Cerca un Comune').fill('Monza');
      const row = page.locator('tbody tr', { has: page.locator('td', { hasText: '108033' }) });
      await row.waitFor();
      const text = await row.textContent();
      expect(text).toContain('Monza');
      expect(text).toContain('MB');
      expect(text).toContain('Lombardia');
      await expect.poll(() => page.locator('.search-status').textContent(), POLL).toMatch(/trovat/);
      expect(page.url()).toContain('q=Monza');
      await expectAccessible(page, '/comuni');
    },
    TIMEOUT,
  );

  it(
    'shows a not-found page for unknown addresses and Ambiti',
    async () => {
      await page.goto(`${base}/pagina-inesistente`);
      await heading(page, 'Pagina non trovata');
      await expectAccessible(page, '404');

      allowedErrors.push(/status of 40[04]/);
      await page.goto(`${base}/ambiti/00000000-0000-4000-8000-000000000000`);
      await heading(page, 'Ambito non trovato');
      await page.goto(`${base}/ambiti/non-un-identificativo`);
      await heading(page, 'Ambito non trovato');
      await expectAccessible(page, 'Ambito non trovato');
    },
    TIMEOUT,
  );

  it(
    'works on a phone-sized screen, mobile menu included',
    async () => {
      await page.setViewportSize({ width: 390, height: 844 });
      await page.goto(`${base}/ambiti`);
      await heading(page, 'Ambiti territoriali');
      await page.getByRole('button', { name: 'Apri il menu di navigazione' }).click();
      await page.getByRole('dialog').getByRole('link', { name: 'Comuni' }).click();
      await heading(page, 'Comuni');
      await expect.poll(() => page.getByRole('dialog').count(), POLL).toBe(0);

      await page.goto(`${base}/ambiti`);
      await page.getByRole('link', { name: /Azzate/ }).click();
      await page.locator('table.comuni-table tbody tr').first().waitFor();
      await expectAccessible(page, '/ambiti/:id (mobile)');
    },
    TIMEOUT,
  );

  it.runIf(process.env.UPDATE_SCREENSHOT === '1')(
    'refreshes docs/screenshot.png',
    async () => {
      await page.goto(`${base}/ambiti`);
      await page.getByRole('link', { name: /Azzate/ }).click();
      await page.locator('table.comuni-table tbody tr').first().waitFor();
      await page.evaluate(() => document.fonts.ready);
      await page.screenshot({ path: path.join(ROOT, 'docs/screenshot.png') });
    },
    TIMEOUT,
  );
});
