import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, clientWith, createTestApp, type TestApp } from '../../../test/helpers/app.js';

let t: TestApp;
let udp: Client;
let anonymous: Client;
let sesto: string;
let monza: string;

beforeAll(async () => {
  t = await createTestApp({ seed: true });
  const items = (await t.app.inject({ url: '/api/v1/ambiti' })).json().items as Array<{
    id: string;
    code: string;
  }>;
  sesto = items.find((a) => a.code === 'sesto-san-giovanni')?.id as string;
  monza = items.find((a) => a.code === 'monza')?.id as string;
  udp = await clientWith(t, [{ role: 'ufficio_di_piano', ambitoId: monza }]);
  anonymous = new Client(t.app);
  anonymous.csrf = (await anonymous.request({ url: '/api/v1/session' })).json().csrfToken;
});
afterAll(() => t?.close());

async function draftPlan(title = 'Piano di prova 2025-2027') {
  const res = await udp.request({
    method: 'POST',
    url: '/api/v1/plans',
    payload: {
      ambitoId: monza,
      title,
      period: '2025-2027',
      edition: 8,
      startDate: '2025-01-01',
      endDate: '2027-12-31',
    },
  });
  expect(res.statusCode).toBe(201);
  const id = res.json().id as string;
  const general = await udp.request({
    method: 'POST',
    url: `/api/v1/plans/${id}/objectives`,
    payload: {
      code: 'OG1',
      title: 'Accesso',
      kind: 'integrazione_sociosanitaria',
      macroAreaCode: 'A',
      leps: ['pua'],
    },
  });
  expect(general.statusCode).toBe(201);
  const specific = await udp.request({
    method: 'POST',
    url: `/api/v1/plans/${id}/objectives`,
    payload: { parentId: general.json().id, code: 'OS1.1', title: 'PUA' },
  });
  const action = await udp.request({
    method: 'POST',
    url: `/api/v1/plans/${id}/actions`,
    payload: {
      objectiveId: specific.json().id,
      code: 'A1',
      title: 'Apertura PUA',
      responsible: 'Ufficio di Piano',
      startDate: '2025-01-01',
      endDate: '2025-12-31',
      resources: [{ fund: 'FNPS', amountCents: 1_234_567 }],
    },
  });
  expect(action.statusCode).toBe(201);
  const indicator = await udp.request({
    method: 'POST',
    url: `/api/v1/plans/${id}/indicators`,
    payload: {
      actionId: action.json().id,
      code: 'I1',
      name: 'Persone accolte',
      kind: 'output',
      unit: 'numero',
      baseline: '0',
      targets: [{ year: 2025, target: '100' }],
    },
  });
  expect(indicator.statusCode).toBe(201);
  return {
    id,
    general: general.json().id,
    specific: specific.json().id,
    action: action.json().id,
    indicator: indicator.json().id,
  };
}

async function act(number: string) {
  const res = await udp.request({
    method: 'POST',
    url: `/api/v1/ambiti/${monza}/acts`,
    payload: {
      kind: 'delibera_assemblea',
      body: 'Assemblea dei Sindaci',
      number,
      date: '2025-02-10',
      subject: 'Approvazione del Piano',
    },
  });
  expect(res.statusCode).toBe(201);
  return res.json().id as string;
}

describe('the plan', () => {
  it('keeps drafts to the Ambito’s staff and lists approved plans publicly', async () => {
    const plan = await draftPlan();
    const publicList = await anonymous.request({ url: `/api/v1/plans?ambito=${monza}` });
    expect(publicList.json().items.map((p: { id: string }) => p.id)).not.toContain(plan.id);
    expect((await anonymous.request({ url: `/api/v1/plans/${plan.id}` })).statusCode).toBe(404);
    const other = await clientWith(t, [{ role: 'ufficio_di_piano', ambitoId: sesto }]);
    expect((await other.request({ url: `/api/v1/plans/${plan.id}` })).statusCode).toBe(404);
    const own = await udp.request({ url: `/api/v1/plans/${plan.id}` });
    expect(own.statusCode).toBe(200);
    expect(own.headers.etag).toBe('"1"');
    const tree = own.json();
    expect(tree).toMatchObject({ status: 'draft', period: '2025-2027', edition: 8 });
    expect(tree.objectives[0].specific[0].actions[0]).toMatchObject({
      code: 'A1',
      resources: [{ fund: 'FNPS', amountCents: 1_234_567 }],
    });
  });

  it('refuses an action without a parent, dates outside the period, a foreign macro-area, a wrong unit', async () => {
    const plan = await draftPlan('Piano per gli errori');
    const bad = async (path: string, payload: unknown) =>
      (await udp.request({ method: 'POST', url: `/api/v1/plans/${plan.id}/${path}`, payload })).json();
    const action = {
      code: 'X',
      title: 'x',
      responsible: 'y',
      startDate: '2025-01-01',
      endDate: '2025-02-01',
    };
    expect(
      (await bad('actions', { ...action, objectiveId: '00000000-0000-4000-8000-000000000000' })).errors[0]
        .field,
    ).toBe('objectiveId');
    expect((await bad('actions', { ...action, objectiveId: plan.general })).errors[0].field).toBe(
      'objectiveId',
    );
    expect(
      (await bad('actions', { ...action, objectiveId: plan.specific, startDate: '2024-12-31' })).errors[0]
        .field,
    ).toBe('startDate');
    expect(
      (await bad('actions', { ...action, objectiveId: plan.specific, endDate: '2028-01-01' })).errors[0]
        .field,
    ).toBe('endDate');
    expect(
      (await bad('objectives', { code: 'OG9', title: 'x', kind: 'territorio_comunita', macroAreaCode: 'Z' }))
        .errors[0].field,
    ).toBe('macroAreaCode');
    const value = await bad(`indicators/${plan.indicator}/values`, {
      measuredOn: '2025-06-30',
      value: '12',
      unit: 'percentuale',
      source: 'x',
    });
    expect(value.errors[0].field).toBe('unit');
    const outside = await bad(`indicators/${plan.indicator}/values`, {
      measuredOn: '2030-06-30',
      value: '12',
      unit: 'numero',
      source: 'x',
    });
    expect(outside.errors[0].field).toBe('measuredOn');
    const money = await bad('actions', {
      ...action,
      code: 'Y',
      objectiveId: plan.specific,
      resources: [{ fund: 'FNPS', amountCents: 10.5 }],
    });
    expect(money.errors[0].field).toBe('body.resources.0.amountCents');
  });

  it('moves through its lifecycle with acts, refusing jumps, and versions every later change', async () => {
    const plan = await draftPlan('Piano per il ciclo di vita');
    const jump = await udp.request({
      method: 'POST',
      url: `/api/v1/plans/${plan.id}/transitions`,
      payload: { action: 'close' },
      headers: { 'if-match': '"1"' },
    });
    expect(jump.statusCode).toBe(409);
    expect(jump.json().errors[0].field).toBe('action');
    const approve = await udp.request({
      method: 'POST',
      url: `/api/v1/plans/${plan.id}/transitions`,
      payload: { action: 'approve', actId: await act('1/2025') },
      headers: { 'if-match': '"1"' },
    });
    expect(approve.json()).toEqual({ status: 'approved', version: 1 });
    expect((await anonymous.request({ url: `/api/v1/plans/${plan.id}` })).statusCode).toBe(200);

    const noReason = await udp.request({
      method: 'PATCH',
      url: `/api/v1/plans/${plan.id}`,
      payload: { title: 'Nuovo titolo' },
      headers: { 'if-match': '"2"' },
    });
    expect(noReason.statusCode).toBe(422);
    expect(noReason.json().errors[0].field).toBe('changeReason');
    const changed = await udp.request({
      method: 'PATCH',
      url: `/api/v1/plans/${plan.id}`,
      payload: { title: 'Nuovo titolo', changeReason: 'Correzione del titolo deliberata' },
      headers: { 'if-match': '"2"' },
    });
    expect(changed.statusCode).toBe(200);
    const versions = (await udp.request({ url: `/api/v1/plans/${plan.id}/versions` })).json().items;
    expect(versions.map((v: { version: number; reason: string }) => [v.version, v.reason])).toEqual([
      [1, expect.stringContaining('Approvazione')],
      [2, 'Correzione del titolo deliberata'],
    ]);
    const diff = (await udp.request({ url: `/api/v1/plans/${plan.id}/compare?from=1&to=2` })).json().changes;
    expect(diff).toContainEqual(
      expect.objectContaining({
        kind: 'changed',
        field: 'title',
        from: 'Piano per il ciclo di vita',
        to: 'Nuovo titolo',
      }),
    );
  });

  it('detects concurrent edits of the same item and never overwrites silently', async () => {
    const plan = await draftPlan('Piano per le modifiche concorrenti');
    const body = {
      objectiveId: plan.specific,
      code: 'A1',
      title: 'Titolo',
      responsible: 'UdP',
      startDate: '2025-01-01',
      endDate: '2025-12-31',
    };
    const [a, b] = await Promise.all([
      udp.request({
        method: 'PUT',
        url: `/api/v1/plans/${plan.id}/actions/${plan.action}`,
        payload: { ...body, title: 'Versione di Anna' },
        headers: { 'if-match': '"1"' },
      }),
      udp.request({
        method: 'PUT',
        url: `/api/v1/plans/${plan.id}/actions/${plan.action}`,
        payload: { ...body, title: 'Versione di Bruno' },
        headers: { 'if-match': '"1"' },
      }),
    ]);
    expect([a.statusCode, b.statusCode].sort()).toEqual([200, 412]);
    const winner = a.statusCode === 200 ? 'Versione di Anna' : 'Versione di Bruno';
    const tree = (await udp.request({ url: `/api/v1/plans/${plan.id}` })).json();
    expect(tree.objectives[0].specific[0].actions[0]).toMatchObject({ title: winner, revision: 2 });
    const missing = await udp.request({
      method: 'PUT',
      url: `/api/v1/plans/${plan.id}/actions/${plan.action}`,
      payload: body,
    });
    expect(missing.statusCode).toBe(428);
  });

  it('keeps signed acts as PDFs, refusing anything else', async () => {
    const id = await act('7/2025');
    const notPdf = await udp.request({
      method: 'PUT',
      url: `/api/v1/ambiti/${monza}/acts/${id}/document.pdf`,
      payload: Buffer.from('ciao'),
      headers: { 'content-type': 'application/pdf' },
    });
    expect(notPdf.statusCode).toBe(422);
    const pdf = Buffer.from('%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n');
    // An upload cut short: the header is there, the end is not.
    const truncated = await udp.request({
      method: 'PUT',
      url: `/api/v1/ambiti/${monza}/acts/${id}/document.pdf`,
      payload: pdf.subarray(0, 30),
      headers: { 'content-type': 'application/pdf' },
    });
    expect(truncated.statusCode).toBe(422);
    expect(truncated.json().detail).toBe(
      'Il PDF dell’atto: il PDF è incompleto: manca la fine del file (caricamento interrotto?)',
    );
    const huge = await udp.request({
      method: 'PUT',
      url: `/api/v1/ambiti/${monza}/acts/${id}/document.pdf`,
      payload: Buffer.concat([pdf, Buffer.alloc(20 * 1024 * 1024)]),
      headers: { 'content-type': 'application/pdf' },
    });
    expect(huge.statusCode).toBe(413);
    expect(huge.json().detail).toBe(
      'Il corpo della richiesta supera la dimensione massima consentita (20 MB)',
    );
    const ok = await udp.request({
      method: 'PUT',
      url: `/api/v1/ambiti/${monza}/acts/${id}/document.pdf`,
      payload: pdf,
      headers: { 'content-type': 'application/pdf' },
    });
    expect(ok.statusCode).toBe(200);
    const back = await anonymous.request({ url: `/api/v1/ambiti/${monza}/acts/${id}/document.pdf` });
    expect(back.rawPayload.equals(pdf)).toBe(true);
  });
});

describe('the demo plans', () => {
  it('has the approved and extended 2021-2023 plan of Azzate with its reward projects, and Sesto’s draft', async () => {
    const azzate = (await t.app.inject({ url: '/api/v1/ambiti' }))
      .json()
      .items.find((a: { code: string }) => a.code === 'azzate').id;
    const [plan] = (await anonymous.request({ url: `/api/v1/plans?ambito=${azzate}` })).json().items;
    expect(plan).toMatchObject({ period: '2021-2023', status: 'extended', extendedTo: '2024-12-31' });
    const tree = (await anonymous.request({ url: `/api/v1/plans/${plan.id}` })).json();
    expect(tree.approvalAct).toMatchObject({ date: '2021-12-16' });
    expect(tree.rewardProjects.map((r: { partnerAmbiti: string[] }) => r.partnerAmbiti[0]).sort()).toEqual([
      'Ambito di Arcisate',
      'Ambito di Sesto Calende',
      'Ambito di Tradate',
    ]);
    const sestoPublic = (await anonymous.request({ url: `/api/v1/plans?ambito=${sesto}` })).json().items;
    expect(sestoPublic).toEqual([]);
    const sestoStaff = await clientWith(t, [{ role: 'ufficio_di_piano', ambitoId: sesto }]);
    expect((await sestoStaff.request({ url: `/api/v1/plans?ambito=${sesto}` })).json().items).toEqual([
      expect.objectContaining({ period: '2025-2027', edition: 7, status: 'draft' }),
    ]);
  });
});

describe('the regional taxonomies', () => {
  it('are read by everyone and edited by the administrator, per period', async () => {
    const list = (await anonymous.request({ url: '/api/v1/taxonomies' })).json();
    const p2021 = list.periods.find((p: { code: string }) => p.code === '2021-2023');
    expect(p2021.macroAreas).toHaveLength(10);
    expect(p2021.macroAreas[3]).toEqual({ code: 'D', name: 'Domiciliarità' });
    expect(p2021.rewardRules).toEqual({
      minAmbiti: 2,
      sameDistrict: true,
      requireAsst: true,
      minObjectives: 2,
    });
    const admin = await clientWith(t, [{ role: 'admin' }]);
    const body = {
      name: 'Programmazione 2028-2030',
      guideline: 'DGR di prova',
      macroAreas: [{ code: 'A', name: 'Povertà' }],
      rewardRules: null,
    };
    expect(
      (await udp.request({ method: 'PUT', url: '/api/v1/taxonomies/2028-2030', payload: body })).statusCode,
    ).toBe(403);
    expect(
      (await admin.request({ method: 'PUT', url: '/api/v1/taxonomies/2028-2030', payload: body })).statusCode,
    ).toBe(204);
    // Removing a macro-area that a plan uses is refused.
    const used = await admin.request({
      method: 'PUT',
      url: '/api/v1/taxonomies/2025-2027',
      payload: { ...body, name: 'Programmazione 2025-2027' },
    });
    expect(used.statusCode).toBe(409);
    expect(used.json().errors[0].field).toBe('macroAreas');
  });
});

describe('cross-tenant attempts on plans', () => {
  it('answer 404 for another Ambito’s draft and are recorded as denied', async () => {
    const own = await clientWith(t, [{ role: 'ufficio_di_piano', ambitoId: sesto }]);
    const [draft] = (await own.request({ url: `/api/v1/plans?ambito=${sesto}` })).json().items;
    const intruder = await clientWith(t, [{ role: 'ufficio_di_piano', ambitoId: monza }]);
    expect((await intruder.request({ url: `/api/v1/plans/${draft.id}` })).statusCode).toBe(404);
    const rows = await t.database.db.transaction().execute(async (trx) => {
      await sql`reset role`.execute(trx);
      const r = await sql<{ actor_username: string }>`select actor_username from audit_log
        where outcome = 'denied' and action = 'plan:read_draft' and resource_id = ${draft.id}`.execute(trx);
      await sql`set role ambito_app`.execute(trx);
      return r.rows;
    });
    expect(rows).toEqual([{ actor_username: intruder.username }]);
  });
});
