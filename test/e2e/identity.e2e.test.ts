import fs from 'node:fs';
import * as OTPAuth from 'otpauth';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { createTestUser, TEST_PASSWORD } from '../helpers/app.js';
import { CHROMIUM, expectAccessible, heading, POLL, TIMEOUT, useBrowserSuite } from './browser.js';

/**
 * Login, user administration, the audit log and the second factor, through the web UI in the
 * system Chromium against the real server (harness in browser.ts, shared with territory.e2e.test.ts).
 */

async function loginThroughForm(page: Page, username: string): Promise<void> {
  await heading(page, 'Accedi');
  await page.getByLabel('Nome utente').fill(username);
  await page.getByLabel('Password', { exact: true }).fill(TEST_PASSWORD);
  await page.locator('form.login-form').getByRole('button', { name: 'Accedi' }).click();
}

describe.skipIf(!fs.existsSync(CHROMIUM))('web UI: accesso, utenti, registro', () => {
  const s = useBrowserSuite();
  let sestoId: string;
  let admin: { id: string; username: string };
  let revisore: { id: string; username: string };

  beforeAll(async () => {
    const ambiti = (await s.t.app.inject({ url: '/api/v1/ambiti' })).json() as {
      items: Array<{ id: string; name: string }>;
    };
    const sesto = ambiti.items.find((a) => a.name.includes('Sesto San Giovanni'));
    if (!sesto) throw new Error('demo Ambito of Sesto San Giovanni not found');
    sestoId = sesto.id;
    admin = await createTestUser(s.t, [{ role: 'admin' }]);
    revisore = await createTestUser(s.t, [{ role: 'revisore', ambitoId: sestoId }]);
  });

  it(
    'an admin logs in, creates a user with a scoped role and logs out',
    async () => {
      await s.page.goto(`${s.base}/ambiti`);
      await s.page.locator('header').getByRole('link', { name: 'Accedi' }).click();
      await s.page.waitForURL(/\/accesso\?da=%2Fambiti$/);
      await expectAccessible(s.page, '/accesso');
      await loginThroughForm(s.page, admin.username);
      await s.page.waitForURL(`${s.base}/ambiti`);
      await s.page.locator('header .session-user', { hasText: `Utente ${admin.username}` }).waitFor();
      expect(await s.page.locator('#main-nav').getByRole('link', { name: 'Registro accessi' }).count()).toBe(
        0,
      );

      await s.page.locator('#main-nav').getByRole('link', { name: 'Utenti' }).click();
      await heading(s.page, 'Utenti');
      await s.page.locator('table.users-table tbody tr', { hasText: admin.username }).waitFor();
      await expectAccessible(s.page, '/amministrazione/utenti');

      // A weak password comes back as a field error, next to the password.
      s.allowedErrors.push(/status of 422/);
      await s.page.getByLabel('Nome utente').fill('nuovo.operatore');
      await s.page.getByLabel('Nome e cognome').fill('Nuovo Operatore');
      await s.page.getByLabel('Password iniziale').fill('corta');
      await s.page.getByLabel('Ruolo').selectOption('ufficio_di_piano');
      await s.page.getByLabel('Ambito territoriale').selectOption(sestoId);
      await s.page.getByRole('button', { name: 'Crea utente' }).click();
      const passwordError = s.page.locator('#new-password-error');
      await passwordError.waitFor();
      expect(await s.page.getByLabel('Password iniziale').getAttribute('aria-invalid')).toBe('true');
      await expectAccessible(s.page, '/amministrazione/utenti (errori)');

      await s.page.getByLabel('Password iniziale').fill(TEST_PASSWORD);
      await s.page.getByRole('button', { name: 'Crea utente' }).click();
      const row = s.page.locator('table.users-table tbody tr', { hasText: 'nuovo.operatore' });
      await row.waitFor();
      const text = await row.textContent();
      expect(text).toContain('Nuovo Operatore');
      expect(text).toContain('Ufficio di Piano');
      expect(text).toContain('Sesto San Giovanni');
      await expect
        .poll(() => s.page.locator('.users-status').textContent(), POLL)
        .toContain('nuovo.operatore');

      await s.page.locator('header').getByRole('button', { name: 'Esci' }).click();
      await s.page.waitForURL(`${s.base}/ambiti`);
      await s.page.locator('header').getByRole('link', { name: 'Accedi' }).waitFor();
      expect(await s.page.locator('#main-nav').getByRole('link', { name: 'Utenti' }).count()).toBe(0);
      const session = await s.page.request.get(`${s.base}/api/v1/session`);
      expect(session.status()).toBe(401);
    },
    TIMEOUT,
  );

  it(
    'a revisore is sent to the login s.page, then reads and exports the audit log',
    async () => {
      await s.page.goto(`${s.base}/registro-accessi`);
      await s.page.waitForURL(/\/accesso\?da=%2Fregistro-accessi$/);
      await loginThroughForm(s.page, revisore.username);
      await s.page.waitForURL(`${s.base}/registro-accessi`);
      await heading(s.page, 'Registro accessi');
      await expect.poll(() => s.page.locator('.search-status').textContent(), POLL).toMatch(/voc[ei]/);
      await expectAccessible(s.page, '/registro-accessi');

      // The first reading was itself logged: filtering on it finds at least that entry.
      await s.page.getByLabel('Azione', { exact: true }).fill('audit.read');
      await s.page.getByRole('button', { name: 'Applica filtri' }).click();
      const rows = s.page.locator('table.audit-table tbody tr');
      await rows.first().waitFor();
      const first = await rows.first().locator('th, td').allInnerTexts();
      expect(first[0]).toMatch(/^\d{2}\/\d{2}\/\d{4} \d{2}:\d{2}:\d{2}$/);
      expect(first[1]).toBe(revisore.username);
      expect(first[2]).toBe('audit.read');
      expect(first[4]).toBe('Riuscito');

      const href = await s.page.getByRole('link', { name: 'Esporta CSV' }).getAttribute('href');
      expect(href).toBe(`/api/v1/ambiti/${sestoId}/audit.csv?action=audit.read`);
      const csv = await s.page.request.get(`${s.base}${href}`);
      expect(csv.status()).toBe(200);
      expect(csv.headers()['content-type']).toContain('text/csv');
      expect(await csv.text()).toContain('audit.read');
      await expectAccessible(s.page, '/registro-accessi (filtrato)');

      // Not an admin: the users s.page says so instead of showing anything.
      await s.page.goto(`${s.base}/amministrazione/utenti`);
      await heading(s.page, 'Accesso non consentito');
    },
    TIMEOUT,
  );

  it(
    'a staff member turns the second factor on and off',
    async () => {
      const staff = await createTestUser(s.t, [{ role: 'ufficio_di_piano', ambitoId: sestoId }]);
      await s.page.goto(`${s.base}/accesso`);
      await loginThroughForm(s.page, staff.username);
      await s.page.waitForURL(`${s.base}/ambiti`);
      await s.page.locator('#main-nav').getByRole('link', { name: 'Sicurezza dell’account' }).click();
      await heading(s.page, 'Sicurezza dell’account');
      await expectAccessible(s.page, '/account/sicurezza');

      // Setting up asks for the password first.
      await s.page.getByLabel('Password attuale').fill(TEST_PASSWORD);
      await s.page.getByRole('button', { name: 'Attiva la verifica in due passaggi' }).click();
      const uri = (await s.page.locator('.totp-setup dd').nth(1).textContent()) ?? '';
      expect(uri).toMatch(/^otpauth:\/\/totp\//);
      const totp = OTPAuth.URI.parse(uri) as OTPAuth.TOTP;
      await s.page.getByLabel('Codice di 6 cifre').fill(totp.generate());
      await s.page.getByRole('button', { name: 'Conferma e attiva' }).click();
      const codes = s.page.locator('.recovery-codes li');
      await codes.first().waitFor();
      expect(await codes.count()).toBeGreaterThan(0);
      const recovery = await codes.allInnerTexts();
      await expectAccessible(s.page, '/account/sicurezza (codici di recupero)');
      await s.page.getByRole('button', { name: 'Ho conservato i codici' }).click();

      // The next login asks for the second factor.
      await s.page.locator('header').getByRole('button', { name: 'Esci' }).click();
      await s.page.waitForURL(`${s.base}/ambiti`);
      await s.page.goto(`${s.base}/accesso?da=%2Faccount%2Fsicurezza`);
      await loginThroughForm(s.page, staff.username);
      await s.page.getByLabel('Codice di verifica').waitFor();
      await expectAccessible(s.page, '/accesso (secondo fattore)');
      // A fresh code: the one used to confirm may not be accepted twice.
      await s.page.getByLabel('Codice di verifica').fill(totp.generate({ timestamp: Date.now() + 30_000 }));
      await s.page.locator('form.login-form').getByRole('button', { name: 'Accedi' }).click();
      await s.page.waitForURL(`${s.base}/account/sicurezza`);
      await heading(s.page, 'Sicurezza dell’account');
      await s.page.getByText('La verifica in due passaggi è attiva.').waitFor();
      await expectAccessible(s.page, '/account/sicurezza (attiva)');

      // Turning it off needs the password and a code: a wrong password is named on its field.
      s.allowedErrors.push(/status of 422/);
      const off = s.page.locator('section[aria-labelledby="disable-title"]');
      await off.getByLabel('Password attuale').fill('non-e-la-password');
      await off.getByLabel('Codice di verifica o codice di recupero').fill(recovery[0] as string);
      await off.getByRole('button', { name: 'Disattiva' }).click();
      await off.getByText('password non corretta').waitFor();
      expect(await off.getByLabel('Password attuale').getAttribute('aria-invalid')).toBe('true');
      await expectAccessible(s.page, '/account/sicurezza (password errata)');
      await off.getByLabel('Password attuale').fill(TEST_PASSWORD);
      await off.getByRole('button', { name: 'Disattiva' }).click();
      await s.page.getByText('La verifica in due passaggi non è attiva.').waitFor();
    },
    TIMEOUT,
  );
});
