import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, clientWith, createTestApp, type TestApp } from '../../../test/helpers/app.js';
import { b2Attachments, buildB2Applicant, createCall, TINY_PDF } from '../../../test/helpers/calls.js';

/** Issue 16, finding 6: an application's PDF attachment is checked at both ends, never parsed. */
let t: TestApp;
let citizen: Client;
let callId: string;

beforeAll(async () => {
  t = await createTestApp({ seed: true });
  const sesto = (
    await t.database.db
      .selectFrom('ambiti')
      .select('id')
      .where('code', '=', 'sesto-san-giovanni')
      .executeTakeFirstOrThrow()
  ).id;
  const office = await clientWith(t, [{ role: 'ufficio_di_piano', ambitoId: sesto }]);
  citizen = await clientWith(t, [{ role: 'cittadino' }]);
  callId = (await createCall(office, sesto)).id;
});
afterAll(() => t?.close());

const submit = (i: number, content: Buffer) =>
  citizen.request({
    method: 'POST',
    url: `/api/v1/calls/${callId}/applications`,
    headers: { 'idempotency-key': `attachment-pdf-${i}-key` },
    payload: {
      applicant: buildB2Applicant(7100 + i),
      attachments: [{ ...b2Attachments()[0], contentBase64: content.toString('base64') }],
    },
  });

describe('an application’s PDF attachment', () => {
  it('refuses a PDF cut short and a file that is not a PDF, naming the attachment', async () => {
    const pdf = Buffer.from(TINY_PDF, 'base64');
    const cut = await submit(1, pdf.subarray(0, 40));
    expect(cut.statusCode, cut.body).toBe(422);
    expect(cut.json().errors).toContainEqual({
      field: 'attachments[0].contentBase64',
      reason: 'il PDF è incompleto: manca la fine del file (caricamento interrotto?)',
    });
    const html = await submit(2, Buffer.from('<html><body>%PDF-1.4 %%EOF</body></html>'));
    expect(html.statusCode, html.body).toBe(422);
    expect(html.json().errors).toContainEqual({
      field: 'attachments[0].contentBase64',
      reason: 'il file non è un PDF',
    });
    const whole = await submit(3, pdf);
    expect(whole.statusCode, whole.body).toBe(201);
  });
});
