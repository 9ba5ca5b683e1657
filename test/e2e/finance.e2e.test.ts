import fs from 'node:fs';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { type Client, clientWith, TEST_PASSWORD } from '../helpers/app.js';
import { CHROMIUM, expectAccessible, heading, POLL, TIMEOUT, useBrowserSuite } from './browser.js';

/**
 * The Ambito's money in the web UI, as its Ufficio di Piano: the Bilancio of a year, the drill-down
 * from a fund to its budget lines and to one line's commitments, payments and acts, a field error
 * from the server, and a split simulated by population (harness in browser.ts). The data is made
 * here through the API, on a year the demo budgets do not use, so the figures are exactly these.
 */

const YEAR = 2029;

async function loginThroughForm(page: Page, username: string): Promise<void> {
  await heading(page, 'Accedi');
  await page.getByLabel('Nome utente').fill(username);
  await page.getByLabel('Password', { exact: true }).fill(TEST_PASSWORD);
  await page.locator('form.login-form').getByRole('button', { name: 'Accedi' }).click();
}

/** "€ 1.234,56" → 123456, reading the digits (the same rule as the UI's parser). */
function cents(text: string): number {
  const m = /€\s*([\d.]+),(\d{2})/.exec(text);
  if (!m) throw new Error(`not an amount: ${text}`);
  return Number(`${(m[1] ?? '').replace(/\./g, '')}${m[2]}`);
}

describe.skipIf(!fs.existsSync(CHROMIUM))('web UI: bilancio e riparti', () => {
  const s = useBrowserSuite();
  let sestoId: string;
  let udp: Client & { username: string };
  let lineId: string;

  beforeAll(async () => {
    const ambiti = (await s.t.app.inject({ url: '/api/v1/ambiti' })).json() as {
      items: Array<{ id: string; code: string }>;
    };
    const sesto = ambiti.items.find((a) => a.code === 'sesto-san-giovanni');
    if (!sesto) throw new Error('demo Ambito of Sesto San Giovanni not found');
    sestoId = sesto.id;
    udp = await clientWith(s.t, [{ role: 'ufficio_di_piano', ambitoId: sestoId }]);
    const post = async (url: string, payload: unknown) => {
      const res = await udp.request({ method: 'POST', url, payload });
      if (res.statusCode !== 201) throw new Error(`${url}: ${res.statusCode} ${res.body}`);
      return res.json().id as string;
    };
    const base = `/api/v1/ambiti/${sestoId}`;
    const actId = await post(`${base}/acts`, {
      kind: 'determina_udp',
      body: 'Ufficio di Piano',
      number: 'E2E-7',
      date: `${YEAR}-01-20`,
      subject: 'Assegnazione e impegno di prova',
    });
    // An action of Sesto's demo Piano di Zona, to program the money on.
    const plans = (await udp.request({ url: `/api/v1/plans?ambito=${sestoId}` })).json() as {
      items: Array<{ id: string }>;
    };
    const planId = plans.items[0]?.id;
    if (!planId) throw new Error('demo plan of Sesto San Giovanni not found');
    const plan = (await udp.request({ url: `/api/v1/plans/${planId}` })).json() as {
      objectives: Array<{ specific: Array<{ actions: Array<{ id: string }> }> }>;
    };
    const actionId = plan.objectives.flatMap((o) => o.specific.flatMap((sp) => sp.actions))[0]?.id;
    if (!actionId) throw new Error('no action in the demo plan of Sesto San Giovanni');

    const assignmentId = await post(`${base}/fund-assignments`, {
      fundCode: 'FNPS',
      year: YEAR,
      amountCents: 12_345_678,
      actId,
    });
    lineId = await post(`${base}/budget-lines`, {
      assignmentId,
      code: 'E2E-01',
      actionId,
      area: 'famiglia_minori',
      intervention: 'presa_in_carico',
      amountCents: 8_000_000,
    });
    const commitmentId = await post(`${base}/commitments`, {
      budgetLineId: lineId,
      number: 'E2E-IMP-1',
      actId,
      date: `${YEAR}-02-01`,
      amountCents: 3_000_000,
      payeeKind: 'ente',
      payeeName: 'Cooperativa sociale di prova',
    });
    await post(`${base}/payments`, {
      commitmentId,
      number: 'E2E-LIQ-1',
      actId,
      date: `${YEAR}-03-10`,
      amountCents: 1_234_560,
    });
  });

  it(
    'shows the Bilancio of the year and drills down from a fund to a line with its acts',
    async () => {
      // Anonymous visitors are sent to log in, then straight back to the Bilancio.
      const budgetPath = `/ambiti/${sestoId}/bilancio?anno=${YEAR}`;
      await s.page.goto(`${s.base}${budgetPath}`);
      await s.page.waitForURL(/\/accesso\?da=/);
      await loginThroughForm(s.page, udp.username);
      await s.page.waitForURL(`${s.base}${budgetPath}`);
      await heading(s.page, `Bilancio ${YEAR}`);

      const totals = s.page.locator('.finance-totals');
      await totals.waitFor();
      expect(await totals.textContent()).toContain('€ 123.456,78');
      const fundRow = s.page.locator('table.finance-funds tbody tr', { hasText: 'FNPS' });
      const cells = await fundRow.locator('th, td').allInnerTexts();
      expect(cells.slice(2)).toEqual([
        '€ 123.456,78',
        '€ 80.000,00',
        '€ 30.000,00',
        '€ 12.345,60',
        '€ 93.456,78',
      ]);
      expect(await s.page.locator('.finance-year-badge').textContent()).toBe('Esercizio aperto');
      // The chart is an image named for assistive technology; its figures are in the table.
      const chart = s.page.locator('.finance-chart').first();
      expect(await chart.getAttribute('role')).toBe('img');
      expect(await chart.getAttribute('aria-label')).toContain('assegnato, impegnato e liquidato per fondo');
      await chart.locator('svg').first().waitFor();
      // FNPS: at least half to families and minors; the whole line is there.
      expect(
        await s.page.locator('table.finance-constraints tbody tr', { hasText: 'FNPS' }).textContent(),
      ).toContain('Rispettato');
      await expectAccessible(s.page, '/ambiti/:id/bilancio');

      await fundRow.getByRole('link', { name: /FNPS/ }).click();
      await s.page.waitForURL(/\/bilancio\/linee\?anno=2029&fondo=FNPS/);
      await heading(s.page, `Linee di bilancio FNPS ${YEAR}`);
      const lineRow = s.page.locator('table.finance-lines tbody tr', { hasText: 'E2E-01' });
      await lineRow.waitFor();
      expect(await lineRow.textContent()).toContain('€ 80.000,00');
      await expectAccessible(s.page, '/ambiti/:id/bilancio/linee');

      await lineRow.getByRole('link', { name: 'Apri la linea E2E-01' }).click();
      await s.page.waitForURL(`${s.base}/ambiti/${sestoId}/bilancio/linee/${lineId}`);
      await heading(s.page, 'Linea di bilancio E2E-01');
      const commitment = s.page.locator('table.finance-commitments tbody tr', { hasText: 'E2E-IMP-1' });
      await commitment.waitFor();
      const commitmentText = await commitment.textContent();
      expect(commitmentText).toContain('01/02/2029');
      expect(commitmentText).toContain('Determina dell’Ufficio di Piano n. E2E-7 del 20/01/2029');
      expect(commitmentText).toContain('€ 30.000,00');
      expect(await s.page.locator('table.finance-payments tbody tr').textContent()).toContain('€ 12.345,60');
      await expectAccessible(s.page, '/ambiti/:id/bilancio/linee/:lineId');

      // Committing more than the line has left: the server's refusal lands next to the amount.
      s.allowedErrors.push(/status of 409/);
      const form = s.page.locator('form.commitment-form');
      await form.getByLabel('Numero').fill('E2E-IMP-2');
      await form.getByLabel('Data').fill(`${YEAR}-04-01`);
      await form.getByLabel('Importo in euro').fill('60.000,00');
      await form.getByLabel('Atto').selectOption({
        label: 'Determina dell’Ufficio di Piano n. E2E-7 del 20/01/2029 — Assegnazione e impegno di prova',
      });
      await form.getByLabel('Beneficiario', { exact: true }).fill('Cooperativa sociale di prova');
      await form.getByRole('button', { name: 'Registra impegno' }).click();
      await s.page.locator('#cmt-amount-error').waitFor();
      await expect.poll(() => s.page.evaluate(() => document.activeElement?.id), POLL).toBe('cmt-amount');
      await expectAccessible(s.page, '/ambiti/:id/bilancio/linee/:lineId (errori)');

      // Within what is left, it is registered and announced.
      await form.getByLabel('Importo in euro').fill('1.000,50');
      await form.getByRole('button', { name: 'Registra impegno' }).click();
      await s.page.locator('table.finance-commitments tbody tr', { hasText: 'E2E-IMP-2' }).waitFor();
      await expect.poll(() => s.page.locator('.finance-notice').textContent(), POLL).toContain('€ 1.000,50');
    },
    TIMEOUT,
  );

  it(
    'simulates a split by population whose total row equals the total',
    async () => {
      await s.page.goto(`${s.base}/accesso?da=${encodeURIComponent(`/ambiti/${sestoId}`)}`);
      await loginThroughForm(s.page, udp.username);
      await heading(s.page, 'Sesto San Giovanni');
      // Those who may read the Ambito's money find it from the Ambito's page.
      await s.page.locator('.ambito-finance').getByRole('link', { name: 'Riparti tra i Comuni' }).click();
      await heading(s.page, 'Riparti tra i Comuni');
      await s.page.getByLabel('Anno', { exact: true }).selectOption('2025');
      await s.page.getByRole('button', { name: 'Mostra' }).click();
      await s.page.waitForURL(/riparti\?anno=2025/);
      const form = s.page.locator('form.split-form');
      await form.getByLabel('Importo da ripartire in euro').fill('10.000,00');
      // The kit draws its own radios: the label is what a pointer clicks.
      await form.locator('label[for=split-kind-population]').click();
      expect(await form.getByLabel('Popolazione', { exact: true }).isChecked()).toBe(true);
      await form.getByLabel('Data di riferimento della popolazione').fill('2024-01-01');
      await expectAccessible(s.page, '/ambiti/:id/riparti');
      await form.getByRole('button', { name: 'Simula' }).click();

      const table = s.page.locator('.split-result table.split-table');
      await table.waitFor();
      const rows = table.locator('tbody tr');
      expect(await rows.count()).toBeGreaterThan(1);
      const amounts = await rows.locator('td:nth-child(3)').allInnerTexts();
      const total = await table.locator('tfoot tr th + td + td').textContent();
      expect(total).toBe('€ 10.000,00');
      expect(amounts.map(cents).reduce((a, b) => a + b, 0)).toBe(1_000_000);
      expect(await s.page.locator('.split-check').textContent()).toContain('pari all’importo da ripartire');
      await expect
        .poll(() => s.page.evaluate(() => document.activeElement?.id), POLL)
        .toBe('split-result-title');
      await expectAccessible(s.page, '/ambiti/:id/riparti (simulazione)');
    },
    TIMEOUT,
  );

  it(
    'records the social workers of each Comune typed the Italian way',
    async () => {
      const path = `/ambiti/${sestoId}/assistenti-sociali?anno=${YEAR}`;
      await s.page.goto(`${s.base}/accesso?da=${encodeURIComponent(path)}`);
      await loginThroughForm(s.page, udp.username);
      await heading(s.page, 'LEPS assistenti sociali');
      await s.page.getByLabel('Assistenti sociali di Sesto San Giovanni').fill('20,5');
      await s.page.getByLabel('Assistenti sociali di Cologno Monzese').fill('9');
      await expectAccessible(s.page, '/ambiti/:id/assistenti-sociali');
      await s.page.getByRole('button', { name: 'Salva assistenti sociali' }).click();
      await expect.poll(() => s.page.locator('.finance-notice').textContent(), POLL).toContain('salvati');
      await expect
        .poll(() => s.page.locator('table.workers-comuni tfoot').textContent(), POLL)
        .toContain('29,5');
      expect(await s.page.locator('.workers-status').textContent()).toMatch(/LEPS|Obiettivo|Verso|Sotto/);
      expect(await s.page.locator('.workers-figures').textContent()).toMatch(/€ [\d.]+,\d{2}/);
    },
    TIMEOUT,
  );

  it(
    'shows the rendiconto with its downloads and imports payments from the accounting CSV',
    async () => {
      const path = `/ambiti/${sestoId}/bilancio/rendiconto?anno=${YEAR}&fondo=FNPS`;
      await s.page.goto(`${s.base}/accesso?da=${encodeURIComponent(path)}`);
      await loginThroughForm(s.page, udp.username);
      await heading(s.page, 'Rendiconto');
      const row = s.page.locator('table.report-matrix tbody tr', { hasText: 'Famiglia e minori' });
      await row.waitFor();
      // Accesso (programmato, liquidato), then Presa in carico.
      const cells = await row.locator('td').allInnerTexts();
      expect(cells.slice(2, 4)).toEqual(['€ 80.000,00', '€ 12.345,60']);
      const csv = await s.page.getByRole('link', { name: 'Rendiconto CSV' }).getAttribute('href');
      expect(csv).toBe(`/api/v1/ambiti/${sestoId}/finance/report.csv?year=${YEAR}&fund=FNPS`);
      const download = await s.page.request.get(`${s.base}${csv}`);
      expect(download.status()).toBe(200);
      expect(download.headers()['content-type']).toContain('text/csv');
      await expectAccessible(s.page, '/ambiti/:id/bilancio/rendiconto');

      await s.page.getByRole('link', { name: 'Importa dalla contabilità' }).click();
      await heading(s.page, 'Importa dalla contabilità');
      const file = [
        'tipo;anno;numero;data;importo;linea;impegno;atto_tipo;atto_numero;atto_data;beneficiario_tipo;beneficiario;comune_istat;descrizione',
        `impegno;${YEAR};E2E-IMP-9;15/05/${YEAR};1.500,00;E2E-01;;determina_udp;E2E-7;20/01/${YEAR};ente;Cooperativa sociale di prova;;Importato`,
        `liquidazione;${YEAR};E2E-LIQ-9;20/05/${YEAR};500,00;;E2E-IMP-9;determina_udp;E2E-7;20/01/${YEAR};;;;`,
      ].join('\r\n');
      await s.page
        .getByLabel('File CSV dell’esportazione contabile')
        .setInputFiles({ name: 'contabilita.csv', mimeType: 'text/csv', buffer: Buffer.from(file) });
      await s.page.getByRole('button', { name: 'Verifica il file (anteprima)' }).click();
      const preview = s.page.locator('table.import-preview tbody tr');
      await preview.first().waitFor();
      expect(await preview.count()).toBe(2);
      expect(await preview.nth(1).textContent()).toContain('€ 500,00');
      expect(await s.page.locator('.import-counts').textContent()).toContain('1 impegno e 1 liquidazione');
      await expectAccessible(s.page, '/ambiti/:id/bilancio/importa (anteprima)');
      await s.page.getByRole('button', { name: 'Conferma importazione' }).click();
      await expect
        .poll(() => s.page.locator('.finance-notice').textContent(), POLL)
        .toContain('Importazione completata');

      await s.page.goto(`${s.base}${path}`);
      await row.waitFor();
      expect((await row.locator('td').allInnerTexts()).slice(2, 4)).toEqual(['€ 80.000,00', '€ 12.845,60']);
    },
    TIMEOUT,
  );
});
