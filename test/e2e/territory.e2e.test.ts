import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Locator } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { CHROMIUM, expectAccessible, heading, POLL, TIMEOUT, useBrowserSuite } from './browser.js';

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
  const s = useBrowserSuite();

  it(
    'lists the demo Ambiti, with the demo badge',
    async () => {
      await s.page.goto(`${s.base}/`);
      await s.page.waitForURL(`${s.base}/ambiti`);
      await heading(s.page, 'Ambiti territoriali');
      const names = s.page.locator('.ambito-card h2');
      await names.first().waitFor();
      const texts = await names.allInnerTexts();
      for (const part of ['Monza', 'Distretto 4', 'Sesto San Giovanni', 'Azzate']) {
        expect(
          texts.some((name) => name.includes(part)),
          `an Ambito named like "${part}"`,
        ).toBe(true);
      }
      expect(await s.page.locator('.ambito-card .demo-badge').count()).toBe(texts.length);
      expect(await s.page.title()).toContain('Ambiti territoriali');
      await expectAccessible(s.page, '/ambiti');
    },
    TIMEOUT,
  );

  it(
    'opens an Ambito with its Comuni, totals and age bands',
    async () => {
      await s.page.goto(`${s.base}/ambiti`);
      await s.page.getByRole('link', { name: /Sesto San Giovanni/ }).click();
      await s.page.waitForURL(/\/ambiti\/[0-9a-f-]{36}$/);
      await heading(s.page, 'Sesto San Giovanni');

      const table = s.page.locator('table.comuni-table');
      const rows = table.locator('tbody tr');
      await expect.poll(() => rows.count(), POLL).toBe(2);
      const cells = await cellTexts(rows);
      expect(cells.map((c) => [c[0], c[1], c[2]]).sort()).toEqual([
        ['015081', 'Cologno Monzese', 'MI'],
        ['015209', 'Sesto San Giovanni', 'MI'],
      ]);

      const id = s.page.url().split('/').pop() ?? '';
      const api = (await (await s.page.request.get(`${s.base}/api/v1/ambiti/${id}`)).json()) as {
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

      const bands = s.page.locator('.bands-table tbody tr');
      expect(await bands.count()).toBe(4);
      expect(await s.page.locator('section[aria-labelledby="bands-title"]').textContent()).toContain(
        'Dati dimostrativi',
      );

      await expectAccessible(s.page, '/ambiti/:id');
    },
    TIMEOUT,
  );

  it(
    'searches the national list of Comuni',
    async () => {
      await s.page.goto(`${s.base}/comuni`);
      await s.page.getByLabel('Cerca un Comune').fill('Monza');
      const row = s.page.locator('tbody tr', { has: s.page.locator('td', { hasText: '108033' }) });
      await row.waitFor();
      const text = await row.textContent();
      expect(text).toContain('Monza');
      expect(text).toContain('MB');
      expect(text).toContain('Lombardia');
      await expect.poll(() => s.page.locator('.search-status').textContent(), POLL).toMatch(/trovat/);
      expect(s.page.url()).toContain('q=Monza');
      await expectAccessible(s.page, '/comuni');
    },
    TIMEOUT,
  );

  it(
    'shows a not-found s.page for unknown addresses and Ambiti',
    async () => {
      await s.page.goto(`${s.base}/pagina-inesistente`);
      await heading(s.page, 'Pagina non trovata');
      await expectAccessible(s.page, '404');

      s.allowedErrors.push(/status of 40[04]/);
      await s.page.goto(`${s.base}/ambiti/00000000-0000-4000-8000-000000000000`);
      await heading(s.page, 'Ambito non trovato');
      await s.page.goto(`${s.base}/ambiti/non-un-identificativo`);
      await heading(s.page, 'Ambito non trovato');
      await expectAccessible(s.page, 'Ambito non trovato');
    },
    TIMEOUT,
  );

  it(
    'works on a phone-sized screen, mobile menu included',
    async () => {
      await s.page.setViewportSize({ width: 390, height: 844 });
      await s.page.goto(`${s.base}/ambiti`);
      await heading(s.page, 'Ambiti territoriali');
      await s.page.getByRole('button', { name: 'Apri il menu di navigazione' }).click();
      await s.page.getByRole('dialog').getByRole('link', { name: 'Comuni' }).click();
      await heading(s.page, 'Comuni');
      await expect.poll(() => s.page.getByRole('dialog').count(), POLL).toBe(0);

      await s.page.goto(`${s.base}/ambiti`);
      await s.page.getByRole('link', { name: /Azzate/ }).click();
      await s.page.locator('table.comuni-table tbody tr').first().waitFor();
      await expectAccessible(s.page, '/ambiti/:id (mobile)');
    },
    TIMEOUT,
  );

  it.runIf(process.env.UPDATE_SCREENSHOT === '1')(
    'refreshes docs/screenshot.png',
    async () => {
      await s.page.goto(`${s.base}/ambiti`);
      await s.page.getByRole('link', { name: /Azzate/ }).click();
      await s.page.locator('table.comuni-table tbody tr').first().waitFor();
      await s.page.evaluate(() => document.fonts.ready);
      await s.page.screenshot({ path: path.join(ROOT, 'docs/screenshot.png') });
    },
    TIMEOUT,
  );
});
