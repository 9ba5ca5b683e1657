import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ensureWebBuild } from '../../scripts/ensure-web-build.mjs';
import { createTestApp, type TestApp } from '../helpers/app.js';
import {
  CHROMIUM,
  expectAccessible,
  expectNoConsoleErrors,
  heading,
  launchChromium,
  openPage,
  POLL,
  SESSION_PROBE,
  TIMEOUT,
} from './browser.js';

/**
 * The web UI against the real server and demo data, in the system Chromium (never downloaded).
 * Set UPDATE_SCREENSHOT=1 to also refresh docs/screenshot.png.
 */

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

const number = (text: string) => Number(text.replace(/\D/g, ''));

/** The trimmed text of every cell, row by row. */
function cellTexts(rows: Locator): Promise<string[][]> {
  return rows.evaluateAll((trs) =>
    trs.map((tr) => Array.from(tr.querySelectorAll('th, td'), (c) => (c.textContent ?? '').trim())),
  );
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
    browser = await launchChromium();
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  beforeEach(async () => {
    consoleErrors = [];
    allowedErrors = [SESSION_PROBE];
    ({ context, page } = await openPage(browser, consoleErrors));
  });

  afterEach(async () => {
    await context?.close();
    expectNoConsoleErrors(consoleErrors, allowedErrors);
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
