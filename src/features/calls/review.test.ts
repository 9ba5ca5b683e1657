import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, clientWith, createTestApp, type TestApp } from '../../../test/helpers/app.js';
import { b2Attachments, buildB2Applicant, createCall, TINY_PDF } from '../../../test/helpers/calls.js';
import { withTenant } from '../../db/scope.js';

let t: TestApp;
let sesto: string;
let office: Client;
let auditor: Client;
let citizen: Client & { userId: string };
let call: { id: string };
const apps: Record<'resident' | 'outsider' | 'third', { applicationId: string; protocol: string }> =
  {} as never;

const url = (key: keyof typeof apps, tail = '') =>
  `/api/v1/calls/${call.id}/applications/${apps[key].applicationId}${tail}`;
const review = (key: keyof typeof apps, payload: Record<string, unknown>, c: Client = office) =>
  c.request({ method: 'POST', url: url(key, '/review'), payload });
const dayFromToday = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

async function auditRows(action: string) {
  return withTenant(t.database.db, { ambitoId: sesto }, (trx) =>
    trx
      .selectFrom('audit_log')
      .select(['action', 'purpose', 'resource_id', 'actor_username'])
      .where('action', '=', action)
      .execute(),
  );
}

beforeAll(async () => {
  t = await createTestApp({ seed: true });
  const ambiti = await t.database.db.selectFrom('ambiti').select(['id', 'code']).execute();
  sesto = ambiti.find((a) => a.code === 'sesto-san-giovanni')?.id as string;
  const monza = ambiti.find((a) => a.code === 'monza')?.id as string;
  office = await clientWith(t, [{ role: 'ufficio_di_piano', ambitoId: sesto }]);
  auditor = await clientWith(t, [{ role: 'revisore', ambitoId: sesto }]);
  citizen = await clientWith(t, [{ role: 'cittadino' }]);
  call = await createCall(office, sesto);
  const people = {
    resident: buildB2Applicant(11),
    // Resident in Milano, outside the Ambito: accepted, but the residence check fails.
    outsider: buildB2Applicant(12, { residenceIstat: '015146' }),
    third: buildB2Applicant(13),
  };
  for (const [key, applicant] of Object.entries(people)) {
    const res = await citizen.request({
      method: 'POST',
      url: `/api/v1/calls/${call.id}/applications`,
      headers: { 'idempotency-key': `review-${key}` },
      payload: { applicant, attachments: b2Attachments() },
    });
    if (res.statusCode !== 201) throw new Error(res.body);
    apps[key as keyof typeof apps] = res.json();
  }
  otherOffice = await clientWith(t, [{ role: 'ufficio_di_piano', ambitoId: monza }]);
});
afterAll(() => t?.close());
let otherOffice: Client;

describe('the list of applications for the office', () => {
  it('shows protocol, status, points, amount, eligibility and the applicant, as an audited read', async () => {
    const res = await office.request({ url: `/api/v1/calls/${call.id}/applications` });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    const body = res.json();
    expect(body.total).toBe(3);
    const resident = buildB2Applicant(11);
    expect(body.items[0]).toMatchObject({
      protocol: apps.resident.protocol,
      status: 'submitted',
      eligibility: { eligible: true, reasons: [] },
      applicant: {
        name: `${resident.firstName} ${resident.lastName}`,
        codiceFiscale: resident.codiceFiscale,
      },
    });
    expect(body.items[1].eligibility).toEqual({ eligible: false, reasons: ['residence'] });
    expect(body.items[0].points).toBeGreaterThan(0);
    expect(body.items[0].amountCents).toBeGreaterThan(0);
    const rows = await auditRows('application.list.read');
    expect(rows.at(-1)).toMatchObject({ purpose: 'istruttoria delle domande', resource_id: call.id });
  });

  it('filters by status and pages; the auditor reads, others do not', async () => {
    const filtered = await auditor.request({
      url: `/api/v1/calls/${call.id}/applications?status=admissible`,
    });
    expect(filtered.statusCode).toBe(200);
    expect(filtered.json()).toMatchObject({ items: [], total: 0, page: 1 });
    expect(
      (await auditor.request({ url: `/api/v1/calls/${call.id}/applications?page=2` })).json().items,
    ).toEqual([]);
    expect(
      (await office.request({ url: `/api/v1/calls/${call.id}/applications?status=nope` })).statusCode,
    ).toBe(400);
    expect((await citizen.request({ url: `/api/v1/calls/${call.id}/applications` })).statusCode).toBe(403);
    expect((await otherOffice.request({ url: `/api/v1/calls/${call.id}/applications` })).statusCode).toBe(
      404,
    );
    expect(
      (await new Client(t.app).request({ url: `/api/v1/calls/${call.id}/applications` })).statusCode,
    ).toBe(401);
  });
});

describe('one application', () => {
  it('shows the stored checks and the residence against the territory data now', async () => {
    const res = await office.request({ url: url('outsider') });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    const body = res.json();
    expect(body.residence).toEqual({
      istatCode: '015146',
      comune: 'Milano',
      on: '2026-01-01',
      atSubmission: false,
      now: false,
    });
    expect(body.eligibility.reasons[0].code).toBe('residence');
    expect(body.attachments).toEqual([
      expect.objectContaining({
        code: 'verbale_disabilita',
        filename: 'verbale.pdf',
        contentType: 'application/pdf',
      }),
    ]);
    const resident = (await office.request({ url: url('resident') })).json();
    expect(resident.residence).toMatchObject({ comune: 'Sesto San Giovanni', atSubmission: true, now: true });
    expect(resident.applicant.codiceFiscale).toBe(buildB2Applicant(11).codiceFiscale);
    expect((await auditRows('application.read')).map((r) => r.resource_id)).toContain(
      apps.outsider.applicationId,
    );
    expect((await citizen.request({ url: url('resident') })).statusCode).toBe(403);
  });

  it('downloads an attachment, as an audited read', async () => {
    // The office's download; the auditor's needs a stated purpose (permission-matrix 'scopes').
    const res = await office.request({ url: url('resident', '/attachments/verbale_disabilita') });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.rawPayload.toString('base64')).toBe(TINY_PDF);
    expect((await auditRows('application.attachment.read')).at(-1)).toMatchObject({
      resource_id: apps.resident.applicationId,
      purpose: 'istruttoria della domanda',
    });
    expect((await office.request({ url: url('resident', '/attachments/altro') })).statusCode).toBe(404);
  });
});

describe('reviewing', () => {
  it('refuses an exclusion without a reason and an integration without a future due date', async () => {
    const noReason = await review('outsider', { decision: 'excluded' });
    expect(noReason.statusCode).toBe(422);
    expect(noReason.json().errors[0].field).toBe('reason');
    const noDue = await review('third', { decision: 'integration_requested', reason: 'manca il verbale' });
    expect(noDue.json().errors[0].field).toBe('integrationDue');
    for (const due of [dayFromToday(-1), dayFromToday(0)]) {
      const past = await review('third', {
        decision: 'integration_requested',
        reason: 'manca il verbale',
        integrationDue: due,
      });
      expect(past.statusCode).toBe(422);
      expect(past.json().errors[0]).toEqual({
        field: 'integrationDue',
        reason: 'la scadenza deve essere una data futura',
      });
    }
    expect((await review('resident', { decision: 'admissible' }, auditor)).statusCode).toBe(403);
  });

  it('admits, excludes with a reason, asks for an integration by a date', async () => {
    const admitted = await review('resident', { decision: 'admissible' });
    expect(admitted.statusCode, admitted.body).toBe(200);
    expect(admitted.json()).toMatchObject({
      status: 'admissible',
      reviewedBy: expect.any(String),
      changes: 0,
    });
    const excluded = await review('outsider', {
      decision: 'excluded',
      reason: 'residenza fuori dall’Ambito alla data del bando',
    });
    expect(excluded.json()).toMatchObject({
      status: 'excluded',
      statusReason: expect.stringMatching(/residenza/),
    });
    const due = dayFromToday(15);
    const asked = await review('third', {
      decision: 'integration_requested',
      reason: 'allegare il verbale aggiornato',
      integrationDue: due,
    });
    expect(asked.json()).toMatchObject({ status: 'integration_requested', integrationDue: due });
    const detail = (await office.request({ url: url('third') })).json();
    expect(detail).toMatchObject({ status: 'integration_requested', integrationDue: due });
    expect(detail.reviewedAt).not.toBeNull();
    const mine = new Set(Object.values(apps).map((a) => a.applicationId));
    expect((await auditRows('application.review')).filter((r) => mine.has(r.resource_id ?? '')).length).toBe(
      3,
    );
    const own = (await citizen.request({ url: '/api/v1/me/applications' })).json().items;
    expect(
      own.find((a: { applicationId: string }) => a.applicationId === apps.third.applicationId),
    ).toMatchObject({
      status: 'integration_requested',
      statusReason: 'allegare il verbale aggiornato',
      integrationDue: due,
    });
  });
});

describe('withdrawing', () => {
  it('lets only the applicant (or the office) withdraw, once', async () => {
    const stranger = await clientWith(t, [{ role: 'cittadino' }]);
    expect((await stranger.request({ method: 'POST', url: url('third', '/withdraw') })).statusCode).toBe(404);
    const res = await citizen.request({ method: 'POST', url: url('third', '/withdraw') });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ id: apps.third.applicationId, status: 'withdrawn', changes: 0 });
    expect((await citizen.request({ method: 'POST', url: url('third', '/withdraw') })).statusCode).toBe(409);
    expect((await review('third', { decision: 'admissible' })).statusCode).toBe(409);
    const byOffice = await office.request({ method: 'POST', url: url('outsider', '/withdraw') });
    expect(byOffice.json().status).toBe('withdrawn');
  });
});
