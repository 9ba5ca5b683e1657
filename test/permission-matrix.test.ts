import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { templateFor } from '../src/features/calls/templates.js';
import type { GrantBody } from '../src/features/identity/identity.schemas.js';
import { ROLES } from '../src/http/auth.js';
import { Client, clientWith, createTestApp, createTestUser, type TestApp } from './helpers/app.js';
import { b2Attachments, buildB2Applicant, createCall } from './helpers/calls.js';

/**
 * For every route of the OpenAPI document and every role: what must happen. A new route
 * without a line here fails this test. Outcomes: 'ok' (the request is served: 2xx, or a 4xx
 * about the request body itself), 'unauth' (401), 'forbidden' (403), 'notfound' (404: the
 * resource belongs to another Ambito, so its existence is not revealed).
 */
type Outcome = 'ok' | 'unauth' | 'forbidden' | 'notfound';
type Who = 'anonymous' | (typeof ROLES)[number];
type Row = Record<Who, Outcome>;

const all = (o: Outcome): Row => Object.fromEntries(['anonymous', ...ROLES].map((w) => [w, o])) as Row;
const only = (who: Who[], yes: Outcome, no: Outcome, anonymous: Outcome = 'unauth'): Row => ({
  ...all(no),
  ...Object.fromEntries(who.map((w) => [w, yes])),
  anonymous: who.includes('anonymous') ? yes : anonymous,
});
const loggedIn: Row = { ...all('ok'), anonymous: 'unauth' };
const staff: Row = { ...loggedIn, cittadino: 'forbidden' };

// The applicant (the citizen role holder submitted it), the office and the operator of the
// applicant's Comune (the matrix's assistente sociale works for Sesto, where the applicant lives).
// Auditors read the pseudonymised review views instead (ADR 0007).
const receiptReaders = only(
  ['cittadino', 'ufficio_di_piano', 'assistente_sociale'],
  'ok',
  'notfound',
  'notfound',
);
const applicationReaders = only(['ufficio_di_piano', 'revisore'], 'ok', 'forbidden');
const listFiles = only(['ufficio_di_piano', 'revisore'], 'notfound', 'forbidden');
const financeReaders = only(['ufficio_di_piano', 'assemblea', 'revisore'], 'ok', 'forbidden');

// Requests use the Ambito of the role holders (Sesto) unless the line says 'other' (Monza).
const MATRIX: Record<string, Row & { ambito?: 'own' | 'other'; plan?: 'approved' }> = {
  'GET /health': all('ok'),
  'GET /status': all('ok'),
  'GET /api/v1/session': loggedIn,
  // Everyone may try to log in; with wrong credentials everyone gets the same 401.
  'POST /api/v1/session': all('unauth'),
  'DELETE /api/v1/session': all('ok'),
  'POST /api/v1/session/totp': staff,
  'POST /api/v1/session/totp/confirm': staff,
  'DELETE /api/v1/session/totp': staff,
  // External login: the status is public; the flow answers 404 while no provider is configured.
  'GET /api/v1/auth/oidc': all('ok'),
  'GET /api/v1/auth/oidc/login': all('notfound'),
  'GET /api/v1/auth/oidc/callback': all('notfound'),
  'GET /api/v1/auth/oidc/logout-url': all('notfound'),
  'GET /api/v1/users': only(['admin'], 'ok', 'forbidden'),
  'POST /api/v1/users': only(['admin'], 'ok', 'forbidden'),
  'POST /api/v1/users/{id}/disable': only(['admin'], 'ok', 'forbidden'),
  'POST /api/v1/users/{id}/unlock': only(['admin'], 'ok', 'forbidden'),
  'POST /api/v1/users/{id}/roles': only(['admin'], 'ok', 'forbidden'),
  'DELETE /api/v1/users/{id}/roles/{assignmentId}': only(['admin'], 'ok', 'forbidden'),
  'GET /api/v1/ambiti': all('ok'),
  'GET /api/v1/ambiti/{id}': all('ok'),
  'POST /api/v1/ambiti': only(['admin'], 'ok', 'forbidden'),
  'PATCH /api/v1/ambiti/{id}': only(['admin'], 'ok', 'forbidden'),
  'POST /api/v1/ambiti/{id}/comuni': only(['admin'], 'ok', 'forbidden'),
  'POST /api/v1/ambiti/{id}/comuni/{istatCode}/end': only(['admin'], 'ok', 'forbidden'),
  'GET /api/v1/comuni': all('ok'),
  'GET /api/v1/ambiti/{id}/audit': only(['revisore'], 'ok', 'forbidden'),
  // Who was granted roles that read personal data: shown to the Ambito's office and auditors.
  'GET /api/v1/ambiti/{id}/role-grants': only(['ufficio_di_piano', 'revisore'], 'ok', 'forbidden'),
  'GET /api/v1/ambiti/{id}/role-grants#other': {
    ...only(['ufficio_di_piano', 'revisore'], 'notfound', 'forbidden'),
    ambito: 'other',
  },
  'GET /api/v1/ambiti/{id}/audit.csv': only(['revisore'], 'ok', 'forbidden'),
  // The Piano di Zona. Plan routes use Sesto's draft unless the line says 'approved' (Azzate's
  // extended plan, public under D.Lgs. 33/2013).
  'GET /api/v1/plans': all('ok'),
  'POST /api/v1/plans': only(['ufficio_di_piano'], 'ok', 'forbidden'),
  'GET /api/v1/plans/{id}': only(['ufficio_di_piano'], 'ok', 'notfound', 'notfound'),
  'GET /api/v1/plans/{id}#approved': { ...all('ok'), plan: 'approved' },
  'PATCH /api/v1/plans/{id}': only(['ufficio_di_piano'], 'ok', 'forbidden'),
  'POST /api/v1/plans/{id}/transitions': only(['ufficio_di_piano'], 'ok', 'forbidden'),
  'GET /api/v1/plans/{id}/versions': only(['ufficio_di_piano'], 'ok', 'notfound', 'notfound'),
  'GET /api/v1/plans/{id}/compare': { ...all('ok'), plan: 'approved' },
  'GET /api/v1/plans/{id}/overview': only(['ufficio_di_piano'], 'ok', 'notfound', 'notfound'),
  'GET /api/v1/plans/{id}/document.pdf': only(['ufficio_di_piano'], 'ok', 'notfound', 'notfound'),
  'GET /api/v1/plans/{id}/document.pdf#approved': { ...all('ok'), plan: 'approved' },
  'GET /api/v1/plans/{id}/document.xlsx': only(['ufficio_di_piano'], 'ok', 'notfound', 'notfound'),
  'POST /api/v1/plans/{id}/import': only(['ufficio_di_piano'], 'ok', 'forbidden'),
  'POST /api/v1/plans/{id}/objectives': only(['ufficio_di_piano'], 'ok', 'forbidden'),
  'PUT /api/v1/plans/{id}/objectives/{itemId}': only(['ufficio_di_piano'], 'ok', 'forbidden'),
  'DELETE /api/v1/plans/{id}/objectives/{itemId}': only(['ufficio_di_piano'], 'ok', 'forbidden'),
  'POST /api/v1/plans/{id}/actions': only(['ufficio_di_piano'], 'ok', 'forbidden'),
  'PUT /api/v1/plans/{id}/actions/{itemId}': only(['ufficio_di_piano'], 'ok', 'forbidden'),
  'DELETE /api/v1/plans/{id}/actions/{itemId}': only(['ufficio_di_piano'], 'ok', 'forbidden'),
  'POST /api/v1/plans/{id}/indicators': only(['ufficio_di_piano'], 'ok', 'forbidden'),
  'PUT /api/v1/plans/{id}/indicators/{itemId}': only(['ufficio_di_piano'], 'ok', 'forbidden'),
  'DELETE /api/v1/plans/{id}/indicators/{itemId}': only(['ufficio_di_piano'], 'ok', 'forbidden'),
  'POST /api/v1/plans/{id}/indicators/{itemId}/values': only(['ufficio_di_piano'], 'ok', 'forbidden'),
  'POST /api/v1/plans/{id}/reward-projects': only(['ufficio_di_piano'], 'ok', 'forbidden'),
  'GET /api/v1/taxonomies': all('ok'),
  'PUT /api/v1/taxonomies/{period}': only(['admin'], 'ok', 'forbidden'),
  'GET /api/v1/ambiti/{id}/acts': all('ok'),
  'POST /api/v1/ambiti/{id}/acts': only(['ufficio_di_piano'], 'ok', 'forbidden'),
  // Public, but the demo acts have no signed PDF attached: 404 for everyone.
  'GET /api/v1/ambiti/{id}/acts/{actId}/document.pdf': all('notfound'),
  'PUT /api/v1/ambiti/{id}/acts/{actId}/document.pdf': only(['ufficio_di_piano'], 'ok', 'forbidden'),
  // Money: the mayors and the auditors read it, the Ufficio di Piano manages it. Write bodies
  // refer to unknown acts or lines, so the Ufficio di Piano gets a 4xx and nothing changes.
  'GET /api/v1/ambiti/{id}/funds': financeReaders,
  'POST /api/v1/ambiti/{id}/funds': only(['ufficio_di_piano'], 'ok', 'forbidden'),
  'GET /api/v1/ambiti/{id}/budget': financeReaders,
  // Sesto's mayors and auditors asking for Monza's budget learn nothing.
  'GET /api/v1/ambiti/{id}/budget#other': {
    ...only(['ufficio_di_piano', 'assemblea', 'revisore'], 'notfound', 'forbidden'),
    ambito: 'other',
  },
  'GET /api/v1/ambiti/{id}/fund-assignments': financeReaders,
  'POST /api/v1/ambiti/{id}/fund-assignments': only(['ufficio_di_piano'], 'ok', 'forbidden'),
  'GET /api/v1/ambiti/{id}/budget-lines': financeReaders,
  'POST /api/v1/ambiti/{id}/budget-lines': only(['ufficio_di_piano'], 'ok', 'forbidden'),
  'GET /api/v1/ambiti/{id}/budget-lines/{itemId}': financeReaders,
  'PATCH /api/v1/ambiti/{id}/budget-lines/{itemId}': only(['ufficio_di_piano'], 'ok', 'forbidden'),
  'DELETE /api/v1/ambiti/{id}/budget-lines/{itemId}': only(['ufficio_di_piano'], 'ok', 'forbidden'),
  'POST /api/v1/ambiti/{id}/commitments': only(['ufficio_di_piano'], 'ok', 'forbidden'),
  'POST /api/v1/ambiti/{id}/payments': only(['ufficio_di_piano'], 'ok', 'forbidden'),
  'POST /api/v1/ambiti/{id}/financial-years/{year}/close': only(['ufficio_di_piano'], 'ok', 'forbidden'),
  'POST /api/v1/ambiti/{id}/splits/preview': financeReaders,
  'GET /api/v1/ambiti/{id}/splits': financeReaders,
  'POST /api/v1/ambiti/{id}/splits': only(['ufficio_di_piano'], 'ok', 'forbidden'),
  'GET /api/v1/ambiti/{id}/social-workers': financeReaders,
  'PUT /api/v1/ambiti/{id}/social-workers/{year}': only(['ufficio_di_piano'], 'ok', 'forbidden'),
  'GET /api/v1/ambiti/{id}/finance/report': financeReaders,
  'GET /api/v1/ambiti/{id}/finance/report.csv': financeReaders,
  'GET /api/v1/ambiti/{id}/finance/report.xlsx': financeReaders,
  'GET /api/v1/ambiti/{id}/finance/summary.pdf': financeReaders,
  // A dry run of a file with a wrong header: the Ufficio di Piano gets the error list.
  'POST /api/v1/ambiti/{id}/finance/import': only(['ufficio_di_piano'], 'ok', 'forbidden'),
  // Calls for benefits: published calls and templates are public; citizens apply for
  // themselves, the Ambito's operators on their behalf; receipts are the applicant's and the
  // operators'.
  'GET /api/v1/call-templates': all('ok'),
  'GET /api/v1/ambiti/{id}/calls': all('ok'),
  'POST /api/v1/ambiti/{id}/calls': only(['ufficio_di_piano'], 'ok', 'forbidden'),
  'GET /api/v1/calls/{callId}': all('ok'),
  'PUT /api/v1/calls/{callId}': only(['ufficio_di_piano'], 'ok', 'forbidden'),
  'POST /api/v1/calls/{callId}/publish': only(['ufficio_di_piano'], 'ok', 'forbidden'),
  'POST /api/v1/calls/{callId}/applications': only(
    ['cittadino', 'ufficio_di_piano', 'assistente_sociale'],
    'ok',
    'forbidden',
  ),
  'GET /api/v1/calls/{callId}/applications/{applicationId}/receipt': receiptReaders,
  'GET /api/v1/calls/{callId}/applications/{applicationId}/receipt.pdf': receiptReaders,
  // Review and ranking: operators read applications (every read audited) and the office decides;
  // the applicant may withdraw their own; the ranking is public once published (none yet here).
  'GET /api/v1/calls/{callId}/applications': applicationReaders,
  'GET /api/v1/calls/{callId}/applications/{applicationId}': applicationReaders,
  // Auditors read attachments only with a stated purpose (see 'scopes' below).
  'GET /api/v1/calls/{callId}/applications/{applicationId}/attachments/{code}': only(
    ['ufficio_di_piano'],
    'ok',
    'forbidden',
  ),
  'POST /api/v1/calls/{callId}/applications/{applicationId}/review': only(
    ['ufficio_di_piano'],
    'ok',
    'forbidden',
  ),
  'POST /api/v1/calls/{callId}/applications/{applicationId}/withdraw': only(
    ['ufficio_di_piano', 'cittadino'],
    'ok',
    'notfound',
  ),
  // Only the person the application was filed for (matched by the codice fiscale on their
  // account) may contest it; the matrix's accounts carry none, so nobody learns it exists.
  'POST /api/v1/calls/{callId}/applications/{applicationId}/contest': only([], 'ok', 'notfound'),
  'GET /api/v1/me/applications': loggedIn,
  'POST /api/v1/calls/{callId}/ranking': only(['ufficio_di_piano'], 'ok', 'forbidden'),
  'GET /api/v1/calls/{callId}/ranking': all('notfound'),
  'GET /api/v1/calls/{callId}/ranking/changes': applicationReaders,
  'POST /api/v1/calls/{callId}/budget': only(['ufficio_di_piano'], 'ok', 'forbidden'),
  // Payment lists: made by the office once the ranking is final (the matrix call is not, so the
  // office gets a 409); read by the office and the auditors. The files of an unknown list answer
  // 404 to those who may read them and 403 to everybody else; their content is tested in
  // payment-lists.test.ts.
  'POST /api/v1/calls/{callId}/payment-lists': only(['ufficio_di_piano'], 'ok', 'forbidden'),
  'GET /api/v1/calls/{callId}/payment-lists': only(['ufficio_di_piano', 'revisore'], 'ok', 'forbidden'),
  'GET /api/v1/calls/{callId}/payment-lists/{listId}.csv': listFiles,
  'GET /api/v1/calls/{callId}/payment-lists/{listId}.xlsx': listFiles,
  'GET /api/v1/calls/{callId}/payment-lists/{listId}.xml': listFiles,
  'GET /api/v1/ambiti/{id}/protocol-register/verify': only(
    ['ufficio_di_piano', 'revisore'],
    'ok',
    'forbidden',
  ),
  // The auditor of Sesto guessing Monza's audit log learns nothing.
  'GET /api/v1/ambiti/{id}/audit#other': { ...only(['revisore'], 'notfound', 'forbidden'), ambito: 'other' },
};

let t: TestApp;
let sesto: string;
let monza: string;
const clients = new Map<Who, Client>();
let target: { userId: string; assignmentId: string };

beforeAll(async () => {
  t = await createTestApp({ seed: true });
  const items = (await t.app.inject({ url: '/api/v1/ambiti' })).json().items as Array<{
    id: string;
    code: string;
  }>;
  sesto = items.find((a) => a.code === 'sesto-san-giovanni')?.id as string;
  monza = items.find((a) => a.code === 'monza')?.id as string;
  const org = await t.database.db
    .insertInto('organizations')
    .values({ name: 'ETS di prova', runts_number: null })
    .returning('id')
    .executeTakeFirstOrThrow();
  const grants: Record<(typeof ROLES)[number], GrantBody> = {
    admin: { role: 'admin' },
    ufficio_di_piano: { role: 'ufficio_di_piano', ambitoId: sesto },
    assistente_sociale: { role: 'assistente_sociale', ambitoId: sesto, comuneIstat: '015209' },
    assemblea: { role: 'assemblea', ambitoId: sesto, comuneIstat: '015081' },
    terzo_settore: { role: 'terzo_settore', organizationId: org.id },
    ats_asst: { role: 'ats_asst', ambitoId: sesto },
    cittadino: { role: 'cittadino' },
    revisore: { role: 'revisore', ambitoId: sesto },
  };
  // Anonymous clients fetch the CSRF token first, as any client must.
  const anonymous = new Client(t.app);
  anonymous.csrf = (await anonymous.request({ url: '/api/v1/session' })).json().csrfToken;
  clients.set('anonymous', anonymous);
  for (const role of ROLES) clients.set(role, await clientWith(t, [grants[role]]));
  const victim = await clientWith(t, [{ role: 'cittadino' }]);
  const assignment = await t.database.db
    .selectFrom('role_assignments')
    .select('id')
    .where('user_id', '=', victim.userId)
    .executeTakeFirstOrThrow();
  target = { userId: victim.userId, assignmentId: assignment.id };
  draft = await planTarget('sesto-san-giovanni');
  const sestoOffice = await clientWith(t, [{ role: 'ufficio_di_piano', ambitoId: sesto }]);
  call = await createCall(sestoOffice, sesto, { code: 'B2-MATRICE' });
  const receipt = await (clients.get('cittadino') as Client).request({
    method: 'POST',
    url: `/api/v1/calls/${call.id}/applications`,
    headers: { 'idempotency-key': 'matrice-0000' },
    payload: { applicant: buildB2Applicant(0), attachments: b2Attachments() },
  });
  application = receipt.json().applicationId;
  budgetLine = (await sestoOffice.request({ url: `/api/v1/ambiti/${sesto}/budget-lines?year=2025` })).json()
    .items[0].id;
  approved = await planTarget('azzate');
});

/** The demo plan of an Ambito and one item of each kind, read as its own Ufficio di Piano. */
async function planTarget(code: string): Promise<PlanTarget> {
  const ambitoId = (
    await t.database.db.selectFrom('ambiti').select('id').where('code', '=', code).executeTakeFirstOrThrow()
  ).id;
  const office = await clientWith(t, [{ role: 'ufficio_di_piano', ambitoId }]);
  const [plan] = (await office.request({ url: `/api/v1/plans?ambito=${ambitoId}` })).json().items;
  const tree = (await office.request({ url: `/api/v1/plans/${plan.id}` })).json();
  const general = tree.objectives[0];
  const action = general.specific[0].actions[0];
  const acts = (await office.request({ url: `/api/v1/ambiti/${ambitoId}/acts` })).json().items;
  const act =
    acts[0]?.id ??
    (
      await office.request({
        method: 'POST',
        url: `/api/v1/ambiti/${ambitoId}/acts`,
        payload: { kind: 'determina_udp', body: 'UdP', number: '1', date: '2025-01-01', subject: 'Prova' },
      })
    ).json().id;
  return {
    id: plan.id,
    objective: general.id,
    specific: general.specific[0].id,
    action: action.id,
    indicator: action.indicators[0].id,
    act,
  };
}
afterAll(() => t?.close());

/** A request for the route with valid parameters and bodies, so that authorization is what decides. */
interface PlanTarget {
  id: string;
  objective: string;
  specific: string;
  action: string;
  indicator: string;
  act: string;
}
let draft: PlanTarget;
let budgetLine: string;
let call: { id: string };
let application: string;
let approved: PlanTarget;

const UNKNOWN = '00000000-0000-4000-8000-000000000000';
// A well-formed call on an unknown budget line: the Ufficio di Piano gets a 4xx, nothing is written.
const callBody = {
  code: 'X-1',
  title: 'Bando di prova',
  budgetLineId: UNKNOWN,
  approvalActId: UNKNOWN,
  opensAt: '2026-12-01T09:00:00+01:00',
  closesAt: '2026-12-31T12:00:00+01:00',
  budgetCents: 100,
  rules: templateFor('misura_b2', 2026).rules,
  debtorName: 'Comune',
  debtorIban: 'IT60X0542811101000000123456',
};

function requestFor(
  method: string,
  path: string,
  ambito: string,
  plan: PlanTarget,
): { method: string; url: string; payload?: unknown; headers?: Record<string, string> } {
  const itemId = path.includes('/budget-lines/')
    ? budgetLine
    : path.includes('/objectives/')
      ? plan.objective
      : path.includes('/actions/')
        ? plan.action
        : plan.indicator;
  const id = path.startsWith('/api/v1/users')
    ? target.userId
    : path.startsWith('/api/v1/plans')
      ? plan.id
      : ambito;
  const url = path
    .replace('{id}', id)
    .replace('{itemId}', itemId)
    .replace('{actId}', plan.act)
    .replace('{assignmentId}', target.assignmentId)
    .replace('{istatCode}', '015209')
    .replace('{year}', '2025')
    .replace('{callId}', call.id)
    .replace('{applicationId}', application)
    .replace('{listId}', UNKNOWN)
    .replace('{code}', 'verbale_disabilita')
    .replace('{period}', '2031-2033');
  const query: Record<string, string> = {
    'GET /api/v1/plans': `?ambito=${ambito}`,
    'GET /api/v1/plans/{id}/compare': '?from=1&to=2',
    'GET /api/v1/ambiti/{id}/budget': '?year=2025',
    'GET /api/v1/ambiti/{id}/fund-assignments': '?year=2025',
    'GET /api/v1/ambiti/{id}/budget-lines': '?year=2025',
    'GET /api/v1/ambiti/{id}/social-workers': '?year=2025',
    'GET /api/v1/call-templates': '?year=2026',
    'GET /api/v1/ambiti/{id}/finance/report': '?year=2025',
    'GET /api/v1/ambiti/{id}/finance/report.csv': '?year=2025',
    'GET /api/v1/ambiti/{id}/finance/report.xlsx': '?year=2025',
    'GET /api/v1/ambiti/{id}/finance/summary.pdf': '?year=2025',
  };
  const action = {
    objectiveId: plan.specific,
    code: 'AX',
    title: 'Azione',
    responsible: 'UdP',
    startDate: '2025-01-01',
    endDate: '2025-12-31',
  };
  const objective = { code: 'OGX', title: 'Obiettivo', kind: 'territorio_comunita', macroAreaCode: 'A' };
  const indicator = { actionId: plan.action, code: 'IX', name: 'Indicatore', kind: 'output', unit: 'numero' };
  const bodies: Record<string, unknown> = {
    'POST /api/v1/session': { username: 'nessuno', password: 'x' },
    'POST /api/v1/session/totp/confirm': { code: '000000' },
    // Re-authentication with a wrong password: staff get a 422 about the body, nothing changes.
    'POST /api/v1/session/totp': { password: 'non-e-la-password' },
    'DELETE /api/v1/session/totp': { password: 'non-e-la-password', code: '000000' },
    'POST /api/v1/users': {
      username: `nuovo${Math.random().toString(36).slice(2, 8)}`,
      displayName: 'Nuovo utente',
      roles: [],
    },
    'POST /api/v1/users/{id}/roles': { role: 'cittadino' },
    'POST /api/v1/ambiti': {
      code: `prova-${Math.random().toString(36).slice(2, 8)}`,
      name: 'Ambito di prova',
      capofilaIstat: '098031',
      comuni: [{ istatCode: '098031', validFrom: '2030-01-01' }],
    },
    'PATCH /api/v1/ambiti/{id}': { district: 'Distretto di prova' },
    'POST /api/v1/ambiti/{id}/comuni': { istatCode: '015209', validFrom: '2021-01-01' },
    // 015209 is the capofila: the administrator gets a 409, nobody changes anything.
    'POST /api/v1/ambiti/{id}/comuni/{istatCode}/end': { validTo: '2099-12-31' },
    'POST /api/v1/plans': {
      ambitoId: ambito,
      title: 'Piano',
      period: '2025-2027',
      edition: 1,
      startDate: '2025-01-01',
      endDate: '2027-12-31',
    },
    'PATCH /api/v1/plans/{id}': { methodology: 'Metodologia aggiornata' },
    'PUT /api/v1/taxonomies/{period}': {
      name: 'Programmazione 2031-2033',
      guideline: null,
      macroAreas: [{ code: 'A', name: 'Povertà' }],
      rewardRules: null,
    },
    'POST /api/v1/plans/{id}/transitions': { action: 'enforce' },
    'POST /api/v1/plans/{id}/objectives': objective,
    'PUT /api/v1/plans/{id}/objectives/{itemId}': objective,
    'POST /api/v1/plans/{id}/actions': action,
    'PUT /api/v1/plans/{id}/actions/{itemId}': action,
    'POST /api/v1/plans/{id}/indicators': indicator,
    'PUT /api/v1/plans/{id}/indicators/{itemId}': indicator,
    'POST /api/v1/plans/{id}/indicators/{itemId}/values': {
      measuredOn: '2025-05-01',
      value: '3',
      unit: 'numero',
      source: 'prova',
    },
    'POST /api/v1/plans/{id}/reward-projects': {
      title: 'Progetto',
      partnerAmbiti: ['Ambito X'],
      sameDistrict: true,
      asstInvolved: true,
      objectiveCodes: [],
    },
    'POST /api/v1/ambiti/{id}/funds': {
      code: `PROVA_${Math.random().toString(36).slice(2, 6).toUpperCase()}`,
      name: 'Fondo di prova',
      source: 'altro',
    },
    'POST /api/v1/ambiti/{id}/fund-assignments': {
      fundCode: 'FNPS',
      year: 2025,
      amountCents: 100,
      actId: UNKNOWN,
    },
    'POST /api/v1/ambiti/{id}/budget-lines': {
      assignmentId: UNKNOWN,
      code: 'X-1',
      actionId: plan.action,
      area: 'famiglia_minori',
      intervention: 'accesso',
      amountCents: 100,
    },
    // Below what is committed: refused by the database, nothing changes.
    'PATCH /api/v1/ambiti/{id}/budget-lines/{itemId}': { amountCents: 0 },
    'POST /api/v1/ambiti/{id}/commitments': {
      budgetLineId: UNKNOWN,
      number: 'X-1',
      actId: UNKNOWN,
      date: '2025-05-01',
      amountCents: 100,
      payeeKind: 'ente',
      payeeName: 'Ente',
    },
    'POST /api/v1/ambiti/{id}/payments': {
      commitmentId: UNKNOWN,
      number: 'X-1',
      actId: UNKNOWN,
      date: '2025-05-01',
      amountCents: 100,
    },
    'POST /api/v1/ambiti/{id}/financial-years/{year}/close': { actId: UNKNOWN },
    'POST /api/v1/ambiti/{id}/splits/preview': {
      totalCents: 100,
      rule: { kind: 'population', referenceDate: '2024-01-01' },
    },
    'POST /api/v1/ambiti/{id}/splits': {
      totalCents: 100,
      fundCode: 'FNPS',
      year: 2025,
      actId: UNKNOWN,
      rule: { kind: 'population', referenceDate: '2024-01-01' },
    },
    'PUT /api/v1/ambiti/{id}/social-workers/{year}': {
      comuni: [{ istatCode: '015209', fteHundredths: 1800 }],
    },
    'POST /api/v1/ambiti/{id}/calls': callBody,
    'POST /api/v1/calls/{callId}/applications/{applicationId}/review': { decision: 'admissible' },
    'POST /api/v1/calls/{callId}/ranking': { phase: 'provisional', actId: UNKNOWN },
    'POST /api/v1/calls/{callId}/budget': { budgetCents: 2_000_000_00, actId: UNKNOWN },
    'POST /api/v1/calls/{callId}/payment-lists': {
      period: '2026-12',
      actId: UNKNOWN,
      executionDate: '2026-12-15',
    },
    'PUT /api/v1/calls/{callId}': callBody,
    'POST /api/v1/calls/{callId}/applications': {
      applicant: buildB2Applicant(1),
      attachments: b2Attachments(),
    },
    'POST /api/v1/calls/{callId}/applications/{applicationId}/contest': {
      note: 'Non ho mai chiesto di presentare questa domanda.',
    },
    'POST /api/v1/ambiti/{id}/acts': {
      kind: 'determina_udp',
      body: 'UdP',
      number: `${Math.random()}`.slice(2, 8),
      date: '2025-01-01',
      subject: 'Prova',
    },
  };
  const pdf = method === 'PUT' && path.endsWith('document.pdf');
  if (path.endsWith('/applications') && method === 'POST')
    return {
      method,
      url,
      payload: bodies[`${method} ${path}`],
      headers: { 'idempotency-key': `matrice-${Math.random().toString(36).slice(2, 10)}` },
    };
  if (path.endsWith('/finance/import'))
    return {
      method,
      url: `${url}?dryRun=true`,
      payload: 'intestazione;sbagliata\n',
      headers: { 'content-type': 'text/csv' },
    };
  if (path.endsWith('/import'))
    // Not a workbook: the Ufficio di Piano gets a 422, everybody else is refused first.
    return {
      method,
      url,
      payload: Buffer.from('non un foglio'),
      headers: { 'content-type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' },
    };
  return {
    method,
    url: url + (query[`${method} ${path}`] ?? ''),
    payload: pdf ? Buffer.from('non un pdf') : bodies[`${method} ${path}`],
    headers: pdf ? { 'content-type': 'application/pdf' } : undefined,
  };
}

function classify(status: number): Outcome {
  if (status === 401) return 'unauth';
  if (status === 403) return 'forbidden';
  if (status === 404) return 'notfound';
  return 'ok';
}

describe('permission matrix', () => {
  it('has a line for every route of the API description', async () => {
    const doc = (await t.app.inject({ url: '/api/openapi.json' })).json() as {
      paths: Record<string, Record<string, unknown>>;
    };
    const routes = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`),
    );
    const missing = routes.filter((r) => !(r in MATRIX));
    expect(missing, 'routes without a line in the permission matrix').toEqual([]);
    const stale = Object.keys(MATRIX).filter((k) => !routes.includes(k.split('#')[0] as string));
    expect(stale, 'matrix lines for routes that no longer exist').toEqual([]);
  });

  for (const [key, row] of Object.entries(MATRIX)) {
    it(`${key}`, async () => {
      const [method, path] = (key.split('#')[0] as string).split(' ') as [string, string];
      const ambito = row.ambito === 'other' ? monza : sesto;
      const plan = row.plan === 'approved' ? approved : draft;
      const got: Partial<Row> = {};
      for (const who of ['anonymous', ...ROLES] as Who[]) {
        const client = clients.get(who) as Client;
        // Logging out would end the role's session for the next lines: use a throw-away session.
        const c =
          key === 'DELETE /api/v1/session' && who !== 'anonymous'
            ? await clientWith(t, [{ role: 'cittadino' }])
            : client;
        const res = await c.request(requestFor(method, path, ambito, plan));
        got[who] = classify(res.statusCode);
        if (res.statusCode >= 500) throw new Error(`${key} as ${who}: ${res.statusCode} ${res.body}`);
      }
      const { ambito: _ignored, plan: _plan, ...expected } = row;
      expect(got).toEqual(expected);
    });
  }
});

describe('cross-tenant attempts', () => {
  it('are refused and recorded in the audit log as denied', async () => {
    const auditor = clients.get('revisore') as Client;
    const res = await auditor.request({ url: `/api/v1/ambiti/${monza}/audit` });
    expect(res.statusCode).toBe(404);
    const denied = await t.database.db.transaction().execute(async (trx) => {
      const { sql } = await import('kysely');
      await sql`reset role`.execute(trx);
      const rows = await trx
        .selectFrom('audit_log')
        .select(['action', 'outcome', 'ambito_id', 'actor_username'])
        .where('outcome', '=', 'denied')
        .where('ambito_id', '=', monza)
        .execute();
      await sql`set role ambito_app`.execute(trx);
      return rows;
    });
    expect(denied).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          action: 'audit:read',
          actor_username: (auditor as Client & { username: string }).username,
        }),
      ]),
    );
  });

  it('lets the auditor read and export their own Ambito’s log, with no-store', async () => {
    const auditor = clients.get('revisore') as Client;
    const res = await auditor.request({ url: `/api/v1/ambiti/${sesto}/audit?action=ambito.create` });
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.json().items).toEqual([expect.objectContaining({ action: 'ambito.create', outcome: 'ok' })]);
    const csv = await auditor.request({ url: `/api/v1/ambiti/${sesto}/audit.csv` });
    expect(csv.statusCode).toBe(200);
    expect(csv.body.startsWith('\uFEFFid;data e ora;utente')).toBe(true);
  });
});

/**
 * A logged-in client for the scope cases, from an address of its own: the login route counts
 * attempts per address, and the matrix above has already logged in many users from 127.0.0.1.
 */
let scopeClients = 0;
async function scopeClient(roles: GrantBody[]) {
  const user = await createTestUser(t, roles);
  const client = new Client(t.app);
  client.ip = `127.0.2.${1 + (scopeClients++ % 250)}`;
  const res = await client.login(user.username);
  if (res.statusCode !== 200) throw new Error(`login failed: ${res.body}`);
  return Object.assign(client, { userId: user.id, username: user.username });
}

/** Audit rows as the owner sees them (the app role reads only one Ambito's, inside its session). */
async function auditRows(filter: { action: string; actor?: string }) {
  const { sql } = await import('kysely');
  return t.database.db.transaction().execute(async (trx) => {
    await sql`reset role`.execute(trx);
    let q = trx
      .selectFrom('audit_log')
      .select(['action', 'outcome', 'ambito_id', 'actor_username', 'purpose', 'detail', 'resource_id'])
      .where('action', '=', filter.action);
    if (filter.actor) q = q.where('actor_username', '=', filter.actor);
    const rows = await q.orderBy('id').execute();
    await sql`set role ambito_app`.execute(trx);
    return rows;
  });
}

const COLOGNO = '015081';
const coloRes = { residenceIstat: COLOGNO, address: 'via Milano 1, Cologno Monzese' };

describe('scopes: the same role in another Comune', () => {
  it('hides a Sesto resident’s receipt from the Cologno operator, and shows it to Sesto’s', async () => {
    const cologno = await scopeClient([
      { role: 'assistente_sociale', ambitoId: sesto, comuneIstat: COLOGNO },
    ]);
    const sestoOperator = clients.get('assistente_sociale') as Client;
    for (const suffix of ['receipt', 'receipt.pdf']) {
      const url = `/api/v1/calls/${call.id}/applications/${application}/${suffix}`;
      const denied = await cologno.request({ url });
      expect(denied.statusCode, suffix).toBe(404);
      expect(denied.body).not.toContain('Rossi');
      expect((await sestoOperator.request({ url })).statusCode, suffix).toBe(200);
    }
  });

  it('refuses the Sesto operator filing for a Cologno resident with a 403 naming the residence', async () => {
    const sestoOperator = clients.get('assistente_sociale') as Client & { username: string };
    const applicant = buildB2Applicant(41, coloRes);
    const res = await sestoOperator.request({
      method: 'POST',
      url: `/api/v1/calls/${call.id}/applications`,
      headers: { 'idempotency-key': 'scope-sesto-for-cologno' },
      payload: { applicant, attachments: b2Attachments() },
    });
    expect(res.statusCode).toBe(403);
    expect(res.json().detail).toMatch(/residenti del Comune/);
    expect(res.json().errors).toEqual([expect.objectContaining({ field: 'applicant.residenceIstat' })]);
    const stored = await t.database.db.transaction().execute(async (trx) => {
      const { sql } = await import('kysely');
      await sql`reset role`.execute(trx);
      const rows = await trx
        .selectFrom('applications')
        .select('id')
        .where('applicant_cf', '=', applicant.codiceFiscale)
        .execute();
      await sql`set role ambito_app`.execute(trx);
      return rows;
    });
    expect(stored).toEqual([]);
    const denied = await auditRows({ action: 'applications:submit_for', actor: sestoOperator.username });
    expect(denied).toEqual([expect.objectContaining({ outcome: 'denied', ambito_id: sesto })]);
  });

  it('lets the Cologno operator file for a Cologno resident and read that receipt', async () => {
    const cologno = await scopeClient([
      { role: 'assistente_sociale', ambitoId: sesto, comuneIstat: COLOGNO },
    ]);
    const res = await cologno.request({
      method: 'POST',
      url: `/api/v1/calls/${call.id}/applications`,
      headers: { 'idempotency-key': 'scope-cologno-for-cologno' },
      payload: { applicant: buildB2Applicant(42, coloRes), attachments: b2Attachments() },
    });
    expect(res.statusCode).toBe(201);
    const id = res.json().applicationId;
    const receipt = await cologno.request({ url: `/api/v1/calls/${call.id}/applications/${id}/receipt` });
    expect(receipt.statusCode).toBe(200);
    // And the Sesto operator does not see the Cologno resident's.
    const sestoOperator = clients.get('assistente_sociale') as Client;
    expect(
      (await sestoOperator.request({ url: `/api/v1/calls/${call.id}/applications/${id}/receipt` }))
        .statusCode,
    ).toBe(404);
  });
});

describe('scopes: own applications', () => {
  it('hides one citizen’s receipt from another citizen', async () => {
    const other = await scopeClient([{ role: 'cittadino' }]);
    for (const suffix of ['receipt', 'receipt.pdf']) {
      const res = await other.request({
        url: `/api/v1/calls/${call.id}/applications/${application}/${suffix}`,
      });
      expect(res.statusCode, suffix).toBe(404);
    }
    const own = clients.get('cittadino') as Client;
    const mine = await own.request({ url: `/api/v1/calls/${call.id}/applications/${application}/receipt` });
    expect(mine.statusCode).toBe(200);
  });
});

describe('scopes: self-grant', () => {
  it('refuses an administrator granting itself a role, and writes nothing', async () => {
    const admin = await scopeClient([{ role: 'admin' }]);
    const res = await admin.request({
      method: 'POST',
      url: `/api/v1/users/${admin.userId}/roles`,
      payload: { role: 'ufficio_di_piano', ambitoId: sesto },
    });
    expect(res.statusCode).toBe(403);
    expect(res.json().detail).toMatch(/proprio utente/);
    const roles = await t.database.db
      .selectFrom('role_assignments')
      .select('role')
      .where('user_id', '=', admin.userId)
      .execute();
    expect(roles).toEqual([{ role: 'admin' }]);
    // The refused session still has no office role: Sesto's applications stay closed to it.
    const read = await admin.request({ url: `/api/v1/calls/${call.id}/applications` });
    expect(read.statusCode).toBe(403);
  });

  it('refuses an administrator removing its own last admin role', async () => {
    const admin = await scopeClient([{ role: 'admin' }]);
    const own = await t.database.db
      .selectFrom('role_assignments')
      .select('id')
      .where('user_id', '=', admin.userId)
      .executeTakeFirstOrThrow();
    const res = await admin.request({
      method: 'DELETE',
      url: `/api/v1/users/${admin.userId}/roles/${own.id}`,
    });
    expect(res.statusCode).toBe(409);
    expect(res.json().errors).toEqual([expect.objectContaining({ field: 'assignmentId' })]);
    const left = await t.database.db
      .selectFrom('role_assignments')
      .select('id')
      .where('user_id', '=', admin.userId)
      .execute();
    expect(left).toEqual([{ id: own.id }]);
  });

  it('records grants of roles that read personal data and shows them to the Ambito’s office', async () => {
    const admin = await scopeClient([{ role: 'admin' }]);
    const grantee = await scopeClient([{ role: 'cittadino' }]);
    const granted = await admin.request({
      method: 'POST',
      url: `/api/v1/users/${grantee.userId}/roles`,
      payload: { role: 'revisore', ambitoId: sesto },
    });
    expect(granted.statusCode).toBe(201);
    const assignmentId = granted.json().id;
    const revoked = await admin.request({
      method: 'DELETE',
      url: `/api/v1/users/${grantee.userId}/roles/${assignmentId}`,
    });
    expect(revoked.statusCode).toBeLessThan(300);
    expect(await auditRows({ action: 'user.grant_personal_data', actor: admin.username })).toEqual([
      expect.objectContaining({
        ambito_id: sesto,
        resource_id: grantee.userId,
        detail: expect.objectContaining({ role: 'revisore', personalData: true }),
      }),
    ]);
    // A citizen role reads nobody's data: not flagged.
    expect(await auditRows({ action: 'user.grant_personal_data', actor: 'test' })).not.toContainEqual(
      expect.objectContaining({ detail: expect.objectContaining({ role: 'cittadino' }) }),
    );
    const office = clients.get('ufficio_di_piano') as Client;
    const list = await office.request({ url: `/api/v1/ambiti/${sesto}/role-grants` });
    expect(list.statusCode).toBe(200);
    expect(list.headers['cache-control']).toBe('no-store');
    const mine = list
      .json()
      .items.filter((i: { user: { username: string } | null }) => i.user?.username === grantee.username);
    expect(mine).toEqual([
      expect.objectContaining({ change: 'revoked', role: 'revisore', by: admin.username }),
      expect.objectContaining({ change: 'granted', role: 'revisore', by: admin.username }),
    ]);
    // The users made for the matrix were granted Sesto roles at creation: listed too.
    expect(list.json().items).toContainEqual(
      expect.objectContaining({ change: 'granted', role: 'assistente_sociale', comuneIstat: '015209' }),
    );
    // Monza's office does not see Sesto's grants.
    const monzaOffice = await scopeClient([{ role: 'ufficio_di_piano', ambitoId: monza }]);
    const monzaList = (await monzaOffice.request({ url: `/api/v1/ambiti/${monza}/role-grants` })).json();
    expect(monzaList.items.map((i: { user: { username: string } | null }) => i.user?.username)).not.toContain(
      grantee.username,
    );
  });
});

describe('scopes: the auditor reads pseudonymised views unless a purpose is stated', () => {
  const purpose = 'verifica a campione n. 12/2026 del collegio dei revisori';

  it('gives the auditor a pseudonym, bands and masks, no attachments, and records the view', async () => {
    const auditor = clients.get('revisore') as Client & { username: string };
    const cf = buildB2Applicant(0).codiceFiscale;
    const res = await auditor.request({ url: `/api/v1/calls/${call.id}/applications/${application}` });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.view).toBe('pseudonymised');
    expect(body.applicant.pseudonym).toMatch(/^P-[0-9A-F]{10}$/);
    expect(body.applicant.iban).toBe(`IT${'*'.repeat(21)}3456`);
    expect(body.applicant.isee.band.toCents - body.applicant.isee.band.fromCents).toBe(5_000_00);
    expect(body.attachments).toEqual([]);
    for (const secret of [cf, 'Rossi', 'Mario', 'IT60X0542811101000000123456', 'l104_art3_c3', 'via Roma'])
      expect(res.body, secret).not.toContain(secret);
    // The list gives the same pseudonym: the auditor can follow one person without knowing who.
    const list = await auditor.request({ url: `/api/v1/calls/${call.id}/applications` });
    expect(list.json().view).toBe('pseudonymised');
    expect(list.body).not.toContain(cf);
    expect(list.json().items.find((i: { id: string }) => i.id === application).applicant).toEqual({
      pseudonym: body.applicant.pseudonym,
    });
    const attachment = await auditor.request({
      url: `/api/v1/calls/${call.id}/applications/${application}/attachments/verbale_disabilita`,
    });
    expect(attachment.statusCode).toBe(403);
    expect(attachment.json().errors).toEqual([expect.objectContaining({ field: 'purpose' })]);
    const reads = await auditRows({ action: 'application.read', actor: auditor.username });
    expect(reads.at(-1)).toMatchObject({
      purpose: 'revisione su dati pseudonimizzati',
      detail: { view: 'pseudonymised', statedPurpose: false },
    });
  });

  it('gives the auditor the full record and the attachment with a stated purpose, recorded with it', async () => {
    const auditor = clients.get('revisore') as Client & { username: string };
    const q = `?purpose=${encodeURIComponent(purpose)}`;
    const res = await auditor.request({ url: `/api/v1/calls/${call.id}/applications/${application}${q}` });
    expect(res.statusCode).toBe(200);
    expect(res.json().view).toBe('full');
    expect(res.json().applicant.codiceFiscale).toBe(buildB2Applicant(0).codiceFiscale);
    expect(res.json().attachments).toHaveLength(1);
    const file = await auditor.request({
      url: `/api/v1/calls/${call.id}/applications/${application}/attachments/verbale_disabilita${q}`,
    });
    expect(file.statusCode).toBe(200);
    expect(file.body.startsWith('%PDF-')).toBe(true);
    const reads = await auditRows({ action: 'application.read', actor: auditor.username });
    expect(reads.at(-1)).toMatchObject({ purpose, detail: { view: 'full', statedPurpose: true } });
    const downloads = await auditRows({ action: 'application.attachment.read', actor: auditor.username });
    expect(downloads.at(-1)).toMatchObject({ purpose, detail: { view: 'full', code: 'verbale_disabilita' } });
  });

  it('refuses a purpose too short to say anything, naming the field', async () => {
    const auditor = clients.get('revisore') as Client;
    const res = await auditor.request({
      url: `/api/v1/calls/${call.id}/applications/${application}?purpose=x`,
    });
    expect(res.statusCode).toBe(400);
    expect(JSON.stringify(res.json().errors)).toContain('purpose');
  });

  it('still gives the office the full record without a purpose', async () => {
    const office = clients.get('ufficio_di_piano') as Client;
    const res = await office.request({ url: `/api/v1/calls/${call.id}/applications/${application}` });
    expect(res.json()).toMatchObject({
      view: 'full',
      applicant: { codiceFiscale: buildB2Applicant(0).codiceFiscale },
    });
  });
});
