import fs from 'node:fs';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ApplicantData } from '../../src/features/calls/rules.schemas.js';
import { type Client, clientWith, createTestUser, TEST_PASSWORD } from '../helpers/app.js';
import { b2Attachments, buildB2Applicant, createCall, TINY_PDF } from '../helpers/calls.js';
import { CHROMIUM, expectAccessible, heading, POLL, TIMEOUT, useBrowserSuite } from './browser.js';

/**
 * A call for benefits in the web UI: found from the Ambito's page, its requirements read in plain
 * language, the application typed by a citizen (a wrong codice fiscale caught as it is typed, an
 * attempt with errors summarised at the top), sent with a PDF, the receipt shown at once with its
 * protocol and an instant to the millisecond, a second application for the same person refused
 * next to the codice fiscale. The Ufficio di Piano finds it in its list (when that route exists),
 * writes a call from a template, reviews an application of a closed call and approves the
 * provisional ranking, published by protocol number only. Harness in browser.ts.
 */

const CALL_CODE = 'E2E-B2';

async function loginThroughForm(page: Page, username: string): Promise<void> {
  await heading(page, 'Accedi');
  await page.getByLabel('Nome utente').fill(username);
  await page.getByLabel('Password', { exact: true }).fill(TEST_PASSWORD);
  await page.locator('form.login-form').getByRole('button', { name: 'Accedi' }).click();
}

/** 1234567 → "12.345,67": an amount typed the Italian way. */
function euro(cents: number): string {
  const whole = String(Math.trunc(cents / 100)).replace(/\B(?=(\d{3})+(?!\d))/g, '.');
  return `${whole},${String(cents % 100).padStart(2, '0')}`;
}

/** The kit draws its own checkboxes: the label is what a pointer clicks. */
async function check(page: Page, id: string): Promise<void> {
  await page.locator(`label[for="${id}"]`).click();
  expect(await page.locator(`#${id}`).isChecked()).toBe(true);
}

/** Fills the application form with `a` (the codice fiscale is typed by the test itself). */
async function fillApplication(page: Page, a: ApplicantData): Promise<void> {
  await page.locator('#app-firstName').fill(a.firstName);
  await page.locator('#app-lastName').fill(a.lastName);
  await page.locator('#app-birthDate').fill(a.birthDate);
  await page.locator('#app-gender').selectOption(a.gender);
  // The cadastral code from the name of the Comune, with the form's lookup.
  await page.getByRole('button', { name: /Cercarlo dal nome del Comune/ }).click();
  await page.getByLabel('Comune o Stato di nascita').fill('Monza');
  await page.getByRole('button', { name: 'Cerca il codice' }).click();
  await expect.poll(() => page.locator('#app-birthPlace').inputValue(), POLL).toBe(a.birthPlace);
  await page.locator('#app-residenceIstat').selectOption(a.residenceIstat);
  await page.locator('#app-address').fill(a.address);
  await page.locator('#app-isee-type').selectOption(a.isee.type);
  await page.locator('#app-isee-valueCents').fill(euro(a.isee.valueCents));
  await page.locator('#app-isee-dsuProtocol').fill(a.isee.dsuProtocol);
  await page.locator('#app-isee-dsuDate').fill(a.isee.dsuDate);
  await page.locator('#app-householdMembers').fill(String(a.householdMembers));
  for (const d of a.disability) await check(page, `app-disability-${d}`);
  for (const [code, on] of Object.entries(a.conditions)) if (on) await check(page, `app-conditions-${code}`);
  await page.locator('#app-fields-sostegno').selectOption(String(a.fields.sostegno));
  await page.locator('#app-iban').fill(a.iban);
  await page.locator('#app-attachments-verbale_disabilita').setInputFiles({
    name: 'verbale.pdf',
    mimeType: 'application/pdf',
    buffer: Buffer.from(TINY_PDF, 'base64'),
  });
  await page.locator('.attachment-chosen', { hasText: 'verbale.pdf' }).waitFor();
}

describe.skipIf(!fs.existsSync(CHROMIUM))('web UI: bandi e domande', () => {
  const s = useBrowserSuite();
  let sestoId: string;
  let udp: Client & { username: string };
  let citizen: { username: string };
  let callId: string;
  // The budget line and the deliberation of the first call, for the call written in the UI.
  let money: { budgetLineId: string; actId: string };
  const applicant = buildB2Applicant(3);
  let protocol = '';
  // A second call that closes a few seconds after its one application, to be reviewed and ranked.
  let ranked: { id: string; closesAt: number; protocol: string };

  beforeAll(async () => {
    const ambiti = (await s.t.app.inject({ url: '/api/v1/ambiti' })).json() as {
      items: Array<{ id: string; code: string }>;
    };
    const sesto = ambiti.items.find((a) => a.code === 'sesto-san-giovanni');
    if (!sesto) throw new Error('demo Ambito of Sesto San Giovanni not found');
    sestoId = sesto.id;
    udp = await clientWith(s.t, [{ role: 'ufficio_di_piano', ambitoId: sestoId }]);
    citizen = await createTestUser(s.t, [{ role: 'cittadino' }]);
    ({ id: callId, ...money } = await createCall(udp, sestoId, { code: CALL_CODE }));

    const post = async (client: Client, url: string, payload: object, headers?: Record<string, string>) => {
      const res = await client.request({ method: 'POST', url, payload, headers });
      if (res.statusCode !== 201) throw new Error(`${url}: ${res.statusCode} ${res.body}`);
      return res.json() as { protocol: string };
    };
    const closesAt = Date.now() + 15_000;
    const { id } = await createCall(udp, sestoId, { code: 'E2E-RANK', closesAt: new Date(closesAt) });
    const applying = await clientWith(s.t, [{ role: 'cittadino' }]);
    const body = { applicant: buildB2Applicant(5), attachments: b2Attachments() };
    const sent = await post(applying, `/api/v1/calls/${id}/applications`, body, {
      'idempotency-key': 'e2e-rank-1',
    });
    const act = { kind: 'determina_udp', body: 'Ufficio di Piano', number: 'E2E-GRAD-1' };
    const today = new Date().toISOString().slice(0, 10);
    await post(udp, `/api/v1/ambiti/${sestoId}/acts`, { ...act, date: today, subject: 'Graduatoria' });
    ranked = { id, closesAt, protocol: sent.protocol };
  });

  it(
    'a citizen reads the call, applies with a PDF and gets the receipt at once',
    async () => {
      const page = s.page;
      // From the Ambito's page to its calls, then to the call.
      await page.goto(`${s.base}/ambiti/${sestoId}`);
      await heading(page, 'Sesto San Giovanni');
      await page.locator('.ambito-calls').getByRole('link', { name: 'Bandi dell’Ambito' }).click();
      await heading(page, 'Bandi e contributi');
      const row = page.locator('table.calls-table tbody tr', { hasText: CALL_CODE });
      await row.waitFor();
      expect(await row.locator('.call-state').textContent()).toMatch(
        /^Aperto: domande fino al \d{2}\/\d{2}\/\d{4} \d{2}:\d{2}$/,
      );
      await expectAccessible(page, '/ambiti/:id/bandi');
      await row.getByRole('link').click();
      await heading(page, 'Misura B2');
      const rules = await page.locator('.call-rules').textContent();
      expect(rules).toContain('Residenza in uno dei Comuni dell’Ambito al 01/01/2026');
      expect(rules).toContain('ISEE sociosanitario non superiore a € 25.000,00');
      expect(rules).toContain('ISEE ordinario fino a € 40.000,00');
      expect(rules).toContain('ISEE fino a € 10.000,00: 30 punti');
      expect(rules).toMatch(/Dal \d{2}\/\d{2}\/\d{4} \d{2}:\d{2} al \d{2}\/\d{2}\/\d{4} \d{2}:\d{2}/);
      await expectAccessible(page, '/bandi/:callId');

      // Applying needs a session: to the login and straight back to the form.
      await page.getByRole('link', { name: 'Presenta la domanda' }).click();
      await page.waitForURL(/\/accesso\?da=/);
      await loginThroughForm(page, citizen.username);
      await page.waitForURL(`${s.base}/bandi/${callId}/domanda`);
      await heading(page, 'Domanda di contributo');
      await expectAccessible(page, '/bandi/:callId/domanda');
      // Who is applying for whom is asked first; "per me" is chosen until changed.
      const forWhom = page.getByRole('group', { name: 'Per chi presenti la domanda?' });
      expect(await forWhom.getByRole('radio').count()).toBe(5);
      expect(await forWhom.getByRole('radio', { name: 'Per me' }).isChecked()).toBe(true);
      await check(page, 'app-relationship-tutore');
      expect(await forWhom.getByRole('radio', { name: 'Come tutore' }).isChecked()).toBe(true);
      await check(page, 'app-relationship');

      // Sending an empty form: nothing leaves, the summary at the top takes the focus.
      await page.getByRole('button', { name: 'Invia la domanda' }).click();
      const summary = page.locator('.error-summary');
      await summary.waitFor();
      expect(await summary.textContent()).toContain('Codice fiscale: Campo obbligatorio');
      await expect
        .poll(() => page.evaluate(() => document.activeElement?.className), POLL)
        .toContain('error-summary');
      await expectAccessible(page, '/bandi/:callId/domanda (errori)');
      // Each line leads to its field.
      await summary.getByRole('link', { name: /^Codice fiscale/ }).click();
      await expect
        .poll(() => page.evaluate(() => document.activeElement?.id), POLL)
        .toBe('app-codiceFiscale');

      // A wrong check character is caught as the code is typed, tied to the field.
      const cf = page.locator('#app-codiceFiscale');
      const last = applicant.codiceFiscale.at(-1) === 'A' ? 'B' : 'A';
      await cf.fill(`${applicant.codiceFiscale.slice(0, 15)}${last}`);
      const cfError = page.locator('#app-codiceFiscale-error');
      await expect
        .poll(() => cfError.textContent(), POLL)
        .toContain('carattere (di controllo) non corrisponde');
      expect(await cf.getAttribute('aria-invalid')).toBe('true');
      expect(await cf.getAttribute('aria-describedby')).toContain('app-codiceFiscale-error');
      await cf.fill(applicant.codiceFiscale);
      await fillApplication(page, applicant);
      expect(await cfError.count()).toBe(0);
      await expectAccessible(page, '/bandi/:callId/domanda (compilata)');

      await page.getByRole('button', { name: 'Invia la domanda' }).click();
      await heading(page, 'Ricevuta della domanda');
      const receipt = page.locator('.receipt-card');
      await receipt.waitFor();
      protocol = (await receipt.locator('.receipt-protocol').textContent()) ?? '';
      expect(protocol).toBe(`${CALL_CODE}/000001`);
      expect(await receipt.locator('.receipt-time').textContent()).toMatch(
        /^\d{2}\/\d{2}\/\d{4} \d{2}:\d{2}:\d{2}\.\d{3}$/,
      );
      expect(await receipt.locator('.receipt-hash').textContent()).toMatch(/^[0-9a-f]{64}$/);
      await expect.poll(() => page.evaluate(() => document.activeElement?.id), POLL).toBe('receipt-title');
      await expectAccessible(page, '/bandi/:callId/domanda (ricevuta)');

      const pdf = await receipt.getByRole('link', { name: 'Scarica la ricevuta (PDF)' }).getAttribute('href');
      expect(pdf).toMatch(new RegExp(`^/api/v1/calls/${callId}/applications/[0-9a-f-]{36}/receipt\\.pdf$`));
      const download = await page.request.get(`${s.base}${pdf}`);
      expect(download.status()).toBe(200);
      expect(download.headers()['content-type']).toContain('application/pdf');
      expect((await download.body()).subarray(0, 5).toString('latin1')).toBe('%PDF-');

      // Le mie domande lists it with its status and its receipt.
      await receipt.getByRole('link', { name: 'Vai a Le mie domande' }).click();
      await heading(page, 'Le mie domande');
      const mine = page.locator('table.my-applications tbody tr', { hasText: protocol });
      expect(await mine.textContent()).toContain('Presentata');
      // For whom: the person themself, as declared in the form.
      expect(await mine.textContent()).toContain('Presentata da te');
      expect(
        await mine.getByRole('link', { name: `Ricevuta della domanda ${protocol}`, exact: true }).count(),
      ).toBe(1);
      await expectAccessible(page, '/le-mie-domande');

      // Applying again for the same person: the server's 409 lands next to the codice fiscale.
      s.allowedErrors.push(/status of 409/);
      await page.goto(`${s.base}/bandi/${callId}/domanda`);
      await heading(page, 'Domanda di contributo');
      await page.locator('#app-codiceFiscale').fill(applicant.codiceFiscale);
      await fillApplication(page, applicant);
      await page.getByRole('button', { name: 'Invia la domanda' }).click();
      await expect
        .poll(() => page.locator('#app-codiceFiscale-error').textContent(), POLL)
        .toContain(
          'per questa persona c’è già una domanda attiva in questo bando: la trovi in «Le mie domande»',
        );
      // The refusal never names the other application's protocol.
      expect(await page.locator('#app-codiceFiscale-error').textContent()).not.toContain(protocol);
      expect(await page.locator('.error-summary').textContent()).toContain(
        'Codice fiscale: per questa persona',
      );
      await expectAccessible(page, '/bandi/:callId/domanda (rifiutata)');
    },
    TIMEOUT,
  );

  it(
    'the Ufficio di Piano finds the application in the list of the call',
    async (ctx) => {
      // The list's route is written alongside this UI: without it there is nothing to look for.
      const probe = await udp.request({ url: `/api/v1/calls/${callId}/applications` });
      if (probe.statusCode === 404 && /Nessuna risorsa per/.test(probe.body)) ctx.skip();
      expect(probe.statusCode).toBe(200);
      expect(protocol, 'the citizen test ran first').not.toBe('');

      const page = s.page;
      await page.goto(`${s.base}/accesso?da=${encodeURIComponent(`/bandi/${callId}`)}`);
      await loginThroughForm(page, udp.username);
      await heading(page, 'Misura B2');
      await page.locator('.call-office').getByRole('link', { name: 'Domande ricevute' }).click();
      await heading(page, 'Domande ricevute');
      const row = page.locator('table.applications-table tbody tr', { hasText: protocol });
      await row.waitFor();
      expect(await row.textContent()).toContain('Presentata');
      await expectAccessible(page, '/bandi/:callId/domande');
    },
    TIMEOUT,
  );

  it(
    'the Ufficio di Piano writes a call from a template, edits its rules in euro and publishes it',
    async () => {
      const page = s.page;
      await page.goto(`${s.base}/accesso?da=${encodeURIComponent(`/ambiti/${sestoId}/bandi/nuovo`)}`);
      await loginThroughForm(page, udp.username);
      await heading(page, 'Nuovo bando');
      await page.locator('label[for="template-misura_b2"]').click();
      await expectAccessible(page, '/ambiti/:id/bandi/nuovo (modelli)');
      await page.getByRole('button', { name: 'Usa il modello' }).click();
      await page.locator('form.call-editor').waitFor();

      await page.locator('#call-code').fill('E2E-NEW');
      await page.locator('#call-budgetLineId').selectOption(money.budgetLineId);
      await page.locator('#call-budgetCents').fill('50.000,00');
      await page.locator('#call-approvalActId').selectOption(money.actId);
      await page.locator('#call-debtorName').fill('Comune di Sesto San Giovanni');
      await page.locator('#call-debtorIban').fill('IT60 X054 2811 1010 0000 0123 456');
      await page.locator('#call-rules-eligibility-isee-maxCents').fill('26.000,00');
      // An amount that does not read is said at once, next to its field.
      const band = page.locator('#call-rules-scoring-isee-0-upToCents');
      await band.fill('diecimila');
      await page.locator('#call-rules-scoring-isee-0-upToCents-error').waitFor();
      expect(await band.getAttribute('aria-invalid')).toBe('true');
      await expectAccessible(page, '/ambiti/:id/bandi/nuovo (errori)');
      await band.fill('11.000,00');
      expect(await page.locator('#call-rules-scoring-isee-0-upToCents-error').count()).toBe(0);

      await page.getByRole('button', { name: 'Salva il bando in bozza' }).click();
      await page.waitForURL(/\/bandi\/[0-9a-f-]{36}$/);
      await heading(page, 'Misura B2');
      expect(await page.locator('.call-state').first().textContent()).toBe('Bozza: non ancora pubblicato');
      const rules = await page.locator('.call-rules').textContent();
      expect(rules).toContain('ISEE sociosanitario non superiore a € 26.000,00');
      expect(rules).toContain('ISEE fino a € 11.000,00: 30 punti');
      expect(rules).toContain('Risorse disponibili per il bando: € 50.000,00');
      await page.getByRole('button', { name: 'Pubblica il bando' }).click();
      await expect
        .poll(() => page.locator('.call-state').first().textContent(), POLL)
        .toMatch(/^Apre il \d{2}\/\d{2}\/\d{4} 09:00$/);
      await expectAccessible(page, '/bandi/:callId (pubblicato)');
    },
    TIMEOUT,
  );

  it(
    'the Ufficio di Piano reviews the application of a closed call and approves the provisional ranking',
    async () => {
      const page = s.page;
      await new Promise((r) => setTimeout(r, Math.max(0, ranked.closesAt - Date.now() + 500)));
      await page.goto(`${s.base}/accesso?da=${encodeURIComponent(`/bandi/${ranked.id}/domande`)}`);
      await loginThroughForm(page, udp.username);
      await heading(page, 'Domande ricevute');
      await page.getByRole('link', { name: `Apri la domanda ${ranked.protocol}` }).click();
      await heading(page, `Domanda ${ranked.protocol}`);
      expect(await page.locator('.calls-facts').textContent()).toContain('Sesto San Giovanni');
      await expectAccessible(page, '/bandi/:callId/domande/:applicationId');
      await page.locator('label[for="review-decision-admissible"]').click();
      await page.getByRole('button', { name: 'Registra l’esito' }).click();
      await expect
        .poll(() => page.locator('.calls-notice').textContent(), POLL)
        .toBe('Esito registrato: Ammissibile.');
      await expect
        .poll(() => page.evaluate(() => document.activeElement?.className), POLL)
        .toContain('calls-notice');

      await page.goto(`${s.base}/bandi/${ranked.id}/graduatoria`);
      await heading(page, 'Graduatoria');
      const form = page.locator('form.ranking-form');
      const act = await form.locator('option', { hasText: 'E2E-GRAD-1' }).getAttribute('value');
      await form.getByLabel('Determina').selectOption(act ?? '');
      await form.getByRole('button', { name: 'Approva e pubblica' }).click();
      await expect
        .poll(() => page.locator('.calls-notice').textContent(), POLL)
        .toContain('Graduatoria provvisoria approvata e pubblicata. 1 domanda finanziata');
      const row = page.locator('table.ranking-table tbody tr', { hasText: ranked.protocol });
      await row.waitFor();
      expect(await row.textContent()).toContain('Finanziata');
      await expectAccessible(page, '/bandi/:callId/graduatoria (provvisoria)');

      // The call's public page publishes it, by protocol number only.
      await page.goto(`${s.base}/bandi/${ranked.id}`);
      await heading(page, 'Misura B2');
      await page.locator('h2', { hasText: 'Graduatoria provvisoria' }).waitFor();
      const published = await page.locator('table.ranking-table').textContent();
      expect(published).toContain(ranked.protocol);
      expect(published).not.toContain(buildB2Applicant(5).lastName);

      // Payment lists come after the final ranking, once the appeals are over.
      await page.locator('.call-office').getByRole('link', { name: 'Elenchi di pagamento' }).click();
      await heading(page, 'Elenchi di pagamento');
      await page.getByText('Gli elenchi si creano dopo la graduatoria definitiva.').waitFor();
      expect(await page.locator('.calls-empty').textContent()).toBe('Nessun elenco di pagamento.');
      await expectAccessible(page, '/bandi/:callId/liquidazioni');
    },
    TIMEOUT,
  );
});
