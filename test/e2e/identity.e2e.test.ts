import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import * as OTPAuth from 'otpauth';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ensureWebBuild } from '../../scripts/ensure-web-build.mjs';
import { createTestApp, createTestUser, TEST_PASSWORD, type TestApp } from '../helpers/app.js';
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
  let t: TestApp;
  let base: string;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let consoleErrors: string[];
  let allowedErrors: RegExp[];
  let sestoId: string;
  let admin: { id: string; username: string };
  let revisore: { id: string; username: string };

  beforeAll(async () => {
    await ensureWebBuild();
    t = await createTestApp({ seed: true });
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
    const ambiti = (await t.app.inject({ url: '/api/v1/ambiti' })).json() as {
      items: Array<{ id: string; name: string }>;
    };
    const sesto = ambiti.items.find((a) => a.name.includes('Sesto San Giovanni'));
    if (!sesto) throw new Error('demo Ambito of Sesto San Giovanni not found');
    sestoId = sesto.id;
    admin = await createTestUser(t, [{ role: 'admin' }]);
    revisore = await createTestUser(t, [{ role: 'revisore', ambitoId: sestoId }]);
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
    'an admin logs in, creates a user with a scoped role and logs out',
    async () => {
      await page.goto(`${base}/ambiti`);
      await page.locator('header').getByRole('link', { name: 'Accedi' }).click();
      await page.waitForURL(/\/accesso\?da=%2Fambiti$/);
      await expectAccessible(page, '/accesso');
      await loginThroughForm(page, admin.username);
      await page.waitForURL(`${base}/ambiti`);
      await page.locator('header .session-user', { hasText: `Utente ${admin.username}` }).waitFor();
      expect(await page.locator('#main-nav').getByRole('link', { name: 'Registro accessi' }).count()).toBe(0);

      await page.locator('#main-nav').getByRole('link', { name: 'Utenti' }).click();
      await heading(page, 'Utenti');
      await page.locator('table.users-table tbody tr', { hasText: admin.username }).waitFor();
      await expectAccessible(page, '/amministrazione/utenti');

      // A weak password comes back as a field error, next to the password.
      allowedErrors.push(/status of 422/);
      await page.getByLabel('Nome utente').fill('nuovo.operatore');
      await page.getByLabel('Nome e cognome').fill('Nuovo Operatore');
      await page.getByLabel('Password iniziale').fill('corta');
      await page.getByLabel('Ruolo').selectOption('ufficio_di_piano');
      await page.getByLabel('Ambito territoriale').selectOption(sestoId);
      await page.getByRole('button', { name: 'Crea utente' }).click();
      const passwordError = page.locator('#new-password-error');
      await passwordError.waitFor();
      expect(await page.getByLabel('Password iniziale').getAttribute('aria-invalid')).toBe('true');
      await expectAccessible(page, '/amministrazione/utenti (errori)');

      await page.getByLabel('Password iniziale').fill(TEST_PASSWORD);
      await page.getByRole('button', { name: 'Crea utente' }).click();
      const row = page.locator('table.users-table tbody tr', { hasText: 'nuovo.operatore' });
      await row.waitFor();
      const text = await row.textContent();
      expect(text).toContain('Nuovo Operatore');
      expect(text).toContain('Ufficio di Piano');
      expect(text).toContain('Sesto San Giovanni');
      await expect.poll(() => page.locator('.users-status').textContent(), POLL).toContain('nuovo.operatore');

      await page.locator('header').getByRole('button', { name: 'Esci' }).click();
      await page.waitForURL(`${base}/ambiti`);
      await page.locator('header').getByRole('link', { name: 'Accedi' }).waitFor();
      expect(await page.locator('#main-nav').getByRole('link', { name: 'Utenti' }).count()).toBe(0);
      const session = await page.request.get(`${base}/api/v1/session`);
      expect(session.status()).toBe(401);
    },
    TIMEOUT,
  );

  it(
    'a revisore is sent to the login page, then reads and exports the audit log',
    async () => {
      await page.goto(`${base}/registro-accessi`);
      await page.waitForURL(/\/accesso\?da=%2Fregistro-accessi$/);
      await loginThroughForm(page, revisore.username);
      await page.waitForURL(`${base}/registro-accessi`);
      await heading(page, 'Registro accessi');
      await expect.poll(() => page.locator('.search-status').textContent(), POLL).toMatch(/voc[ei]/);
      await expectAccessible(page, '/registro-accessi');

      // The first reading was itself logged: filtering on it finds at least that entry.
      await page.getByLabel('Azione', { exact: true }).fill('audit.read');
      await page.getByRole('button', { name: 'Applica filtri' }).click();
      const rows = page.locator('table.audit-table tbody tr');
      await rows.first().waitFor();
      const first = await rows.first().locator('th, td').allInnerTexts();
      expect(first[0]).toMatch(/^\d{2}\/\d{2}\/\d{4} \d{2}:\d{2}:\d{2}$/);
      expect(first[1]).toBe(revisore.username);
      expect(first[2]).toBe('audit.read');
      expect(first[4]).toBe('Riuscito');

      const href = await page.getByRole('link', { name: 'Esporta CSV' }).getAttribute('href');
      expect(href).toBe(`/api/v1/ambiti/${sestoId}/audit.csv?action=audit.read`);
      const csv = await page.request.get(`${base}${href}`);
      expect(csv.status()).toBe(200);
      expect(csv.headers()['content-type']).toContain('text/csv');
      expect(await csv.text()).toContain('audit.read');
      await expectAccessible(page, '/registro-accessi (filtrato)');

      // Not an admin: the users page says so instead of showing anything.
      await page.goto(`${base}/amministrazione/utenti`);
      await heading(page, 'Accesso non consentito');
    },
    TIMEOUT,
  );

  it(
    'a staff member turns the second factor on and off',
    async () => {
      const staff = await createTestUser(t, [{ role: 'ufficio_di_piano', ambitoId: sestoId }]);
      await page.goto(`${base}/accesso`);
      await loginThroughForm(page, staff.username);
      await page.waitForURL(`${base}/ambiti`);
      await page.locator('#main-nav').getByRole('link', { name: 'Sicurezza dell’account' }).click();
      await heading(page, 'Sicurezza dell’account');
      await expectAccessible(page, '/account/sicurezza');

      await page.getByRole('button', { name: 'Attiva la verifica in due passaggi' }).click();
      const uri = (await page.locator('.totp-setup dd').nth(1).textContent()) ?? '';
      expect(uri).toMatch(/^otpauth:\/\/totp\//);
      const totp = OTPAuth.URI.parse(uri) as OTPAuth.TOTP;
      await page.getByLabel('Codice di 6 cifre').fill(totp.generate());
      await page.getByRole('button', { name: 'Conferma e attiva' }).click();
      const codes = page.locator('.recovery-codes li');
      await codes.first().waitFor();
      expect(await codes.count()).toBeGreaterThan(0);
      await expectAccessible(page, '/account/sicurezza (codici di recupero)');
      await page.getByRole('button', { name: 'Ho conservato i codici' }).click();

      // The next login asks for the second factor.
      await page.locator('header').getByRole('button', { name: 'Esci' }).click();
      await page.waitForURL(`${base}/ambiti`);
      allowedErrors.push(SESSION_PROBE);
      await page.goto(`${base}/accesso?da=%2Faccount%2Fsicurezza`);
      await loginThroughForm(page, staff.username);
      await page.getByLabel('Codice di verifica').waitFor();
      await expectAccessible(page, '/accesso (secondo fattore)');
      // A fresh code: the one used to confirm may not be accepted twice.
      await page.getByLabel('Codice di verifica').fill(totp.generate({ timestamp: Date.now() + 30_000 }));
      await page.locator('form.login-form').getByRole('button', { name: 'Accedi' }).click();
      await page.waitForURL(`${base}/account/sicurezza`);
      await heading(page, 'Sicurezza dell’account');
      await page.getByText('La verifica in due passaggi è attiva.').waitFor();
    },
    TIMEOUT,
  );
});
