import fs from 'node:fs';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { type Client, clientWith, TEST_PASSWORD } from '../helpers/app.js';
import { CHROMIUM, expectAccessible, heading, POLL, TIMEOUT, useBrowserSuite } from './browser.js';

/**
 * The Piano di Zona in the web UI: drafts hidden from visitors, the plan page, adding an objective
 * through the form as the Ufficio di Piano, and the overview page (harness in browser.ts).
 */

async function loginThroughForm(page: Page, username: string): Promise<void> {
  await heading(page, 'Accedi');
  await page.getByLabel('Nome utente').fill(username);
  await page.getByLabel('Password', { exact: true }).fill(TEST_PASSWORD);
  await page.locator('form.login-form').getByRole('button', { name: 'Accedi' }).click();
}

describe.skipIf(!fs.existsSync(CHROMIUM))('web UI: Piano di Zona', () => {
  const s = useBrowserSuite();
  let sestoId: string;
  let udp: Client & { username: string };
  let planId: string;
  const title = 'Piano di prova per il browser 2025-2027';

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
    planId = await post('/api/v1/plans', {
      ambitoId: sestoId,
      title,
      period: '2025-2027',
      edition: 9,
      startDate: '2025-01-01',
      endDate: '2027-12-31',
      governance: 'Assemblea dei Sindaci e Ufficio di Piano.',
    });
    const general = await post(`/api/v1/plans/${planId}/objectives`, {
      code: 'OG1',
      title: 'Accesso ai servizi',
      kind: 'integrazione_sociosanitaria',
      macroAreaCode: 'A',
    });
    const specific = await post(`/api/v1/plans/${planId}/objectives`, {
      parentId: general,
      code: 'OS1.1',
      title: 'Sportello unico',
    });
    const action = await post(`/api/v1/plans/${planId}/actions`, {
      objectiveId: specific,
      code: 'A1.1.1',
      title: 'Apertura dello sportello',
      responsible: 'Ufficio di Piano',
      startDate: '2025-01-01',
      endDate: '2025-12-31',
      resources: [{ fund: 'FNPS', amountCents: 1_234_567 }],
    });
    await post(`/api/v1/plans/${planId}/indicators`, {
      actionId: action,
      code: 'I1',
      name: 'Persone accolte',
      kind: 'output',
      unit: 'numero',
      baseline: '0',
      targets: [{ year: 2025, target: '100' }],
    });
  });

  it(
    'hides the draft from visitors, then its Ufficio di Piano adds an objective and opens the overview',
    async () => {
      // Anonymous: the Ambito page lists only public plans.
      await s.page.goto(`${s.base}/ambiti/${sestoId}`);
      await heading(s.page, 'Sesto San Giovanni');
      await s.page.locator('#plans-title').waitFor();
      await s.page.locator('.ambito-plans .plans-table, .ambito-plans .plans-empty').first().waitFor();
      expect(await s.page.locator('.ambito-plans').textContent()).not.toContain(title);
      await expectAccessible(s.page, '/ambiti/:id (piani)');

      // Log in through the form, straight back to the plan.
      await s.page.goto(`${s.base}/accesso?da=${encodeURIComponent(`/piani/${planId}`)}`);
      await loginThroughForm(s.page, udp.username);
      await s.page.waitForURL(`${s.base}/piani/${planId}`);
      await heading(s.page, title);
      const actionRow = s.page.locator('table.plan-actions tbody tr', { hasText: 'A1.1.1' });
      await actionRow.waitFor();
      const cells = await actionRow.locator('th, td').allInnerTexts();
      expect(cells[3]).toContain('01/01/2025');
      expect(cells[4]).toBe('Programmata');
      expect(cells[5]).toContain('€ 12.345,67');
      expect(await s.page.locator('.plan-status').first().textContent()).toBe('Bozza');
      await expect.poll(() => s.page.locator('.plan-versions, #versions-title + p').count(), POLL).toBe(1);
      await expectAccessible(s.page, '/piani/:id');

      // A draft needs no change reason.
      expect(await s.page.getByLabel('Motivo della modifica').count()).toBe(0);

      // A field error from the server lands next to its field.
      s.allowedErrors.push(/status of 422/);
      const form = s.page.locator('form.objective-form');
      await form.getByLabel('Codice').fill('OG2');
      await form.getByLabel('Titolo').fill('Domiciliarità per gli anziani');
      await form.getByLabel('Tipo').selectOption('territorio_comunita');
      await form.getByRole('button', { name: 'Aggiungi obiettivo' }).click();
      await s.page.locator('#obj-area-error').waitFor();
      expect(await form.getByLabel('Macro-area').getAttribute('aria-invalid')).toBe('true');
      await expectAccessible(s.page, '/piani/:id (errori)');

      await form.getByLabel('Macro-area').selectOption('D');
      await form.getByRole('button', { name: 'Aggiungi obiettivo' }).click();
      await s.page.locator('h3', { hasText: 'Domiciliarità per gli anziani' }).waitFor();
      await expect.poll(() => s.page.locator('.plan-notice').textContent(), POLL).toContain('OG2');

      await s.page.getByRole('link', { name: 'Sintesi e avanzamento' }).click();
      await s.page.waitForURL(`${s.base}/piani/${planId}/sintesi`);
      await heading(s.page, 'Sintesi del Piano');
      const areas = s.page.locator('table.overview-areas tbody tr');
      await areas.first().waitFor();
      expect(await areas.count()).toBe(2);
      expect(await s.page.locator('table.overview-indicators tbody tr').first().textContent()).toContain(
        'Persone accolte',
      );
      await expectAccessible(s.page, '/piani/:id/sintesi');
    },
    TIMEOUT,
  );

  it(
    'shows an approved plan with its acts and versions to visitors',
    async () => {
      const ambiti = (await s.t.app.inject({ url: '/api/v1/ambiti' })).json() as {
        items: Array<{ id: string; code: string }>;
      };
      const azzate = ambiti.items.find((a) => a.code === 'azzate');
      if (!azzate) throw new Error('demo Ambito of Azzate not found');
      await s.page.goto(`${s.base}/ambiti/${azzate.id}`);
      await s.page.locator('table.plans-table').getByRole('link').first().click();
      await heading(s.page, 'Piano di Zona 2021-2023');
      expect(await s.page.locator('.plan-status').first().textContent()).toBe('Prorogato');
      await s.page.locator('table.plan-versions tbody tr').first().waitFor();
      await s.page.locator('table.plan-reward tbody tr').first().waitFor();
      expect(await s.page.locator('#manage-title').count()).toBe(0);
      await s.page.getByLabel('Dalla versione', { exact: true }).selectOption('1');
      await s.page.getByLabel('Alla versione', { exact: true }).selectOption('3');
      await s.page.getByRole('button', { name: 'Confronta' }).click();
      await s.page.locator('table.plan-changes, .compare-empty').first().waitFor();
      await expectAccessible(s.page, '/piani/:id (pubblico)');
    },
    TIMEOUT,
  );
  it(
    'reports a concurrent edit (412) and saves after reloading',
    async () => {
      await s.page.goto(`${s.base}/accesso?da=${encodeURIComponent(`/piani/${planId}`)}`);
      await loginThroughForm(s.page, udp.username);
      await heading(s.page, title);
      await s.page.getByRole('button', { name: 'Modifica governance e metodologia' }).click();
      // Someone else saves first.
      const current = await udp.request({ url: `/api/v1/plans/${planId}` });
      const other = await udp.request({
        method: 'PATCH',
        url: `/api/v1/plans/${planId}`,
        payload: { methodology: 'Metodologia scritta da un collega.' },
        headers: { 'if-match': current.headers.etag as string },
      });
      expect(other.statusCode).toBe(200);

      s.allowedErrors.push(/status of 412/);
      await s.page.getByRole('textbox', { name: 'Governance' }).fill('Governance aggiornata dal browser.');
      await s.page.getByRole('button', { name: 'Salva' }).click();
      await s.page.locator('.plan-conflict', { hasText: 'modificato da un altro utente' }).waitFor();
      await expectAccessible(s.page, '/piani/:id (conflitto)');
      await s.page.getByRole('button', { name: 'Ricarica il Piano' }).click();
      await s.page.getByText('Metodologia scritta da un collega.').waitFor();

      await s.page.getByRole('button', { name: 'Modifica governance e metodologia' }).click();
      await s.page.getByRole('textbox', { name: 'Governance' }).fill('Governance aggiornata dal browser.');
      await s.page.getByRole('button', { name: 'Salva' }).click();
      await s.page
        .locator('#governance-title + p', { hasText: 'Governance aggiornata dal browser.' })
        .waitFor();
    },
    TIMEOUT,
  );
  it(
    'edits an action through its prefilled form and deletes an indicator',
    async () => {
      await s.page.goto(`${s.base}/accesso?da=${encodeURIComponent(`/piani/${planId}`)}`);
      await loginThroughForm(s.page, udp.username);
      await heading(s.page, title);

      // Edit: the form opens prefilled (amount back in euro), focused, and saves with If-Match.
      const editAction = s.page.getByRole('button', { name: 'Modifica azione A1.1.1', exact: true });
      await editAction.click();
      const form = s.page.locator('form.action-form', { has: s.page.locator('#edit-act-title') });
      await expect.poll(() => form.getByLabel('Titolo').inputValue(), POLL).toBe('Apertura dello sportello');
      expect(await form.getByLabel('Importo in euro').inputValue()).toBe('12345,67');
      expect(await s.page.evaluate(() => document.activeElement?.id)).toBe('edit-act-form-title');
      await expectAccessible(s.page, '/piani/:id (modifica azione)');
      await form.getByLabel('Titolo').fill('Apertura dello sportello unico');
      await form.getByRole('button', { name: 'Salva modifiche' }).click();
      await s.page
        .locator('table.plan-actions tbody tr', { hasText: 'Apertura dello sportello unico' })
        .waitFor();
      await expect.poll(() => s.page.locator('.plan-notice').textContent(), POLL).toContain('A1.1.1');
      await expect
        .poll(() => s.page.evaluate(() => document.activeElement?.textContent), POLL)
        .toBe('Modifica azione A1.1.1');
      // The resources were sent back unchanged.
      expect(
        await s.page.locator('table.plan-actions tbody tr', { hasText: 'A1.1.1' }).textContent(),
      ).toContain('€ 12.345,67');

      // Delete: an inline confirmation, then the indicator is gone from the plan.
      const indicatorRow = s.page.locator('table.plan-indicators tbody tr', { hasText: 'Persone accolte' });
      await indicatorRow.waitFor();
      await s.page.getByRole('button', { name: 'Elimina indicatore I1', exact: true }).click();
      const confirm = s.page.locator('.plan-delete');
      await confirm.getByText('Confermare l’eliminazione dell’indicatore I1?').waitFor();
      await expectAccessible(s.page, '/piani/:id (elimina indicatore)');
      await confirm.getByRole('button', { name: 'Conferma eliminazione' }).click();
      await expect.poll(() => indicatorRow.count(), POLL).toBe(0);
      await expect.poll(() => s.page.locator('.plan-notice').textContent(), POLL).toContain('I1');
      expect(await s.page.getByRole('button', { name: 'Elimina indicatore I1' }).count()).toBe(0);
      await expectAccessible(s.page, '/piani/:id (dopo le modifiche)');
    },
    TIMEOUT,
  );
});
