import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, clientWith, createTestApp, type TestApp } from '../../../test/helpers/app.js';

let t: TestApp;
let admin: Client;
beforeAll(async () => {
  t = await createTestApp({ seed: true });
  admin = await clientWith(t, [{ role: 'admin' }]);
});
afterAll(() => t?.close());

async function ambitoId(code: string): Promise<string> {
  const res = await t.app.inject({ url: '/api/v1/ambiti' });
  const found = res.json().items.find((a: { code: string }) => a.code === code);
  if (!found) throw new Error(`no ambito ${code}`);
  return found.id;
}

describe('reading the territory', () => {
  it('lists the four demo Ambiti of the seed documents', async () => {
    const res = await t.app.inject({ url: '/api/v1/ambiti' });
    expect(res.statusCode).toBe(200);
    const items = res.json().items;
    expect(items.map((a: { code: string }) => a.code).sort()).toEqual([
      'azzate',
      'distretto-4-martesana',
      'monza',
      'sesto-san-giovanni',
    ]);
    const monza = items.find((a: { code: string }) => a.code === 'monza');
    expect(monza).toMatchObject({
      capofila: { istatCode: '108033', name: 'Monza' },
      ats: 'ATS Brianza',
      asst: 'ASST Monza',
      demo: true,
    });
  });

  it('returns an Ambito with its Comuni, ISTAT codes as 6-digit strings, and totals', async () => {
    const res = await t.app.inject({ url: `/api/v1/ambiti/${await ambitoId('azzate')}` });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.comuni).toHaveLength(13);
    expect(body.capofila).toEqual({ istatCode: '012006', name: 'Azzate' });
    const crosio = body.comuni.find((c: { name: string }) => c.name === 'Crosio della Valle');
    expect(crosio).toMatchObject({ istatCode: '012057', provinceAbbr: 'VA', populationYear: 2024 });
    expect(body.totals.comuni).toBe(13);
    expect(body.totals.population).toBe(
      body.comuni.reduce((s: number, c: { population: number }) => s + c.population, 0),
    );
    expect(body.totals.populationDemo).toBe(true);
    const b = body.totals.bands;
    expect(b.age0to17 + b.age18to64 + b.age65plus).toBe(body.totals.population);
    expect(b.age75plus).toBeLessThan(b.age65plus);
  });

  it('answers 404 as problem+json for an unknown Ambito and 400 for a malformed id', async () => {
    const missing = await t.app.inject({ url: '/api/v1/ambiti/00000000-0000-4000-8000-000000000000' });
    expect(missing.statusCode).toBe(404);
    expect(missing.headers['content-type']).toContain('application/problem+json');
    expect(missing.json()).toMatchObject({
      status: 404,
      title: expect.any(String),
      detail: expect.any(String),
    });
    const bad = await t.app.inject({ url: '/api/v1/ambiti/not-a-uuid' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0].field).toBe('params.id');
  });

  it('searches the national reference list by name, ISTAT code and cadastral code', async () => {
    const byName = (await t.app.inject({ url: '/api/v1/comuni?q=monza' })).json().items;
    expect(byName[0]).toMatchObject({
      istatCode: '108033',
      name: 'Monza',
      provinceAbbr: 'MB',
      belfiore: 'F704',
      regionName: 'Lombardia',
    });
    const byCode = (await t.app.inject({ url: '/api/v1/comuni?q=015146' })).json().items;
    expect(byCode).toEqual([expect.objectContaining({ name: 'Milano', belfiore: 'F205' })]);
    const byBelfiore = (await t.app.inject({ url: '/api/v1/comuni?q=f704' })).json().items;
    expect(byBelfiore[0].istatCode).toBe('108033');
    const wildcard = (await t.app.inject({ url: '/api/v1/comuni?q=%25' })).json().items;
    expect(wildcard).toEqual([]);
    const tooMany = await t.app.inject({ url: '/api/v1/comuni?limit=5000' });
    expect(tooMany.statusCode).toBe(400);
    expect(tooMany.json().errors[0].field).toBe('querystring.limit');
  });
});

describe('changing the territory', () => {
  const newAmbito = {
    code: 'test-lodi',
    name: 'Ambito di prova',
    capofilaIstat: '098031',
    ats: 'ATS Città Metropolitana',
    comuni: [{ istatCode: '098031', validFrom: '2024-01-01' }],
  };

  it('refuses writes without a session and without the administrator role', async () => {
    const anonymous = await t.app.inject({ method: 'POST', url: '/api/v1/ambiti', payload: newAmbito });
    expect(anonymous.statusCode).toBe(403); // no CSRF token: refused before anything else
    const udp = await clientWith(t, [
      {
        role: 'ufficio_di_piano',
        ambitoId: (await t.app.inject({ url: '/api/v1/ambiti' })).json().items[0].id,
      },
    ]);
    const res = await udp.request({ method: 'POST', url: '/api/v1/ambiti', payload: newAmbito });
    expect(res.statusCode).toBe(403);
  });

  it('creates an Ambito, then moves a Comune to it keeping the history', async () => {
    const created = await admin.request({ method: 'POST', url: '/api/v1/ambiti', payload: newAmbito });
    expect(created.statusCode).toBe(201);
    const id = created.json().id;
    const villasanta = '108049';
    const monzaId = await ambitoId('monza');
    const end = await admin.request({
      method: 'POST',
      url: `/api/v1/ambiti/${monzaId}/comuni/${villasanta}/end`,
      payload: { validTo: '2024-06-30' },
    });
    expect(end.statusCode).toBe(204);
    const add = await admin.request({
      method: 'POST',
      url: `/api/v1/ambiti/${id}/comuni`,
      payload: { istatCode: villasanta, validFrom: '2024-07-01' },
    });
    expect(add.statusCode).toBe(204);
    const monzaNow = (await t.app.inject({ url: `/api/v1/ambiti/${monzaId}?date=2025-01-01` })).json();
    expect(monzaNow.comuni.map((c: { istatCode: string }) => c.istatCode)).not.toContain(villasanta);
    expect(monzaNow.history).toEqual([
      expect.objectContaining({ istatCode: villasanta, validTo: '2024-06-30' }),
    ]);
    const monzaBefore = (await t.app.inject({ url: `/api/v1/ambiti/${monzaId}?date=2023-01-01` })).json();
    expect(monzaBefore.comuni.map((c: { istatCode: string }) => c.istatCode)).toContain(villasanta);
  });

  it('refuses an overlapping membership in another Ambito, naming the field', async () => {
    const sestoId = await ambitoId('sesto-san-giovanni');
    const res = await admin.request({
      method: 'POST',
      url: `/api/v1/ambiti/${sestoId}/comuni`,
      payload: { istatCode: '108033', validFrom: '2022-01-01' },
    });
    expect(res.statusCode).toBe(409);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.json().errors).toEqual([{ field: 'istatCode', reason: expect.stringContaining('108033') }]);
  });

  it('refuses an unknown ISTAT code, a capofila outside the Ambito and a malformed date', async () => {
    const unknown = await admin.request({
      method: 'POST',
      url: '/api/v1/ambiti',
      payload: {
        ...newAmbito,
        code: 'x-unknown',
        capofilaIstat: '999999',
        comuni: [{ istatCode: '999999', validFrom: '2024-01-01' }],
      },
    });
    expect(unknown.statusCode).toBe(422);
    expect(unknown.json().errors[0]).toMatchObject({ field: 'comuni[0].istatCode' });

    const outside = await admin.request({
      method: 'POST',
      url: '/api/v1/ambiti',
      payload: { ...newAmbito, code: 'x-outside', capofilaIstat: '015146' },
    });
    expect(outside.statusCode).toBe(422);
    expect(outside.json().errors[0].field).toBe('capofilaIstat');

    const patch = await admin.request({
      method: 'PATCH',
      url: `/api/v1/ambiti/${await ambitoId('monza')}`,
      payload: { capofilaIstat: '015146' },
    });
    expect(patch.statusCode).toBe(422);
    expect(patch.json().errors[0].field).toBe('capofilaIstat');

    const badDate = await admin.request({
      method: 'POST',
      url: '/api/v1/ambiti',
      payload: { ...newAmbito, code: 'x-date', comuni: [{ istatCode: '098031', validFrom: '31/12/2024' }] },
    });
    expect(badDate.statusCode).toBe(400);
    expect(badDate.json().errors[0].field).toBe('body.comuni.0.validFrom');
    const none = await t.app.inject({ url: '/api/v1/ambiti' });
    expect(none.json().items.map((a: { code: string }) => a.code)).not.toContain('x-unknown');
  });

  it('refuses oversized and malformed bodies', async () => {
    const big = await admin.request({
      method: 'POST',
      url: '/api/v1/ambiti',
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({ ...newAmbito, name: 'x'.repeat(2 * 1024 * 1024) }),
    });
    expect(big.statusCode).toBe(413);
    expect(big.headers['content-type']).toContain('application/problem+json');
    const broken = await admin.request({
      method: 'POST',
      url: '/api/v1/ambiti',
      headers: { 'content-type': 'application/json' },
      payload: '{"code":',
    });
    expect(broken.statusCode).toBe(400);
    expect(broken.json().detail).toBe('JSON non valido');
  });
});
