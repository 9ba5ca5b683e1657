import { type CallRules, validateCallRules } from './rules.schemas.js';

/**
 * Starting points for the three calls every Lombard Ambito runs. The values follow the regional
 * and national rules as we know them, but they change every year (a new DGR for Misura B2, new
 * ceilings and amounts for rent support) and several are each Ambito's choice: a template is a
 * draft the Ufficio di Piano edits and the Assemblea approves, never a rule the code enforces.
 * Dates carry the placeholder year AAAA, filled by templateFor.
 */

export type TemplateCode = 'misura_b2' | 'dopo_di_noi' | 'sostegno_affitto';
export interface CallTemplate {
  title: string;
  measure: string;
  fundCode: string;
  description: string;
  rules: CallRules;
}

const YEAR = 'AAAA';
const MB = 1024 * 1024;
const pdf = (code: string, label: string, required: boolean, maxBytes = 10 * MB) => ({
  code,
  label,
  required,
  maxBytes,
  types: ['application/pdf' as const],
});

const misuraB2: CallTemplate = {
  title: 'Misura B2 – buoni per persone con disabilità grave o non autosufficienti',
  measure: 'Misura B2 (FNA)',
  fundCode: 'FNA',
  description:
    'Sostegni per restare al proprio domicilio (DGR XII/3719/2024). Requisiti, limiti ISEE e importi cambiano ' +
    'ogni anno con la delibera regionale: verificarli prima dell’approvazione dell’Assemblea dei Sindaci',
  rules: {
    eligibility: {
      residenceOn: `${YEAR}-01-01`,
      // ISEE sociosanitario up to € 25.000; minors: ordinario (or the minorenni variant, the one
      // INPS issues when parents live apart) up to € 40.000; independent-living projects up to € 30.000.
      isee: {
        type: 'sociosanitario',
        maxCents: 2_500_000,
        alternatives: [
          { when: 'minore', type: 'ordinario', maxCents: 4_000_000 },
          { when: 'minore', type: 'minorenni', maxCents: 4_000_000 },
          { when: 'progetto_vita_indipendente', type: 'sociosanitario', maxCents: 3_000_000 },
        ],
      },
      disability: { anyOf: ['l104_art3_c3', 'indennita_accompagnamento'] },
      conditions: [
        {
          code: 'domicilio',
          label: 'la persona vive al proprio domicilio, non in una struttura residenziale',
          required: true,
        },
        { code: 'minore', label: 'la persona è minorenne', required: false },
        { code: 'progetto_vita_indipendente', label: 'progetto di vita indipendente', required: false },
        { code: 'caregiver_familiare', label: 'assistita da un caregiver familiare', required: false },
        {
          code: 'assistente_personale',
          label: 'assistente personale con regolare contratto',
          required: false,
        },
      ],
    },
    fields: [
      {
        code: 'sostegno',
        label: 'sostegno richiesto',
        kind: 'select',
        required: true,
        options: ['buono_caregiver', 'buono_assistente_personale', 'voucher_minori'],
      },
      {
        code: 'caregiver',
        label: 'nome e cognome del caregiver familiare',
        kind: 'text',
        required: false,
        max: 200,
      },
    ],
    attachments: [
      pdf('verbale_disabilita', 'verbale di handicap grave o di indennità di accompagnamento', true),
      pdf('contratto_assistente', 'contratto dell’assistente personale', false),
    ],
    scoring: {
      isee: [
        { upToCents: 1_000_000, points: 30 },
        { upToCents: 1_500_000, points: 20 },
        { upToCents: 2_500_000, points: 10 },
        { upToCents: 4_000_000, points: 5 },
      ],
      household: [
        { minMembers: 2, points: 2 },
        { minMembers: 4, points: 5 },
      ],
      age: [
        { from: 0, to: 17, points: 10 },
        { from: 75, to: 84, points: 5 },
        { from: 85, to: 120, points: 10 },
      ],
      conditions: [
        { code: 'caregiver_familiare', points: 10 },
        { code: 'assistente_personale', points: 5 },
      ],
    },
    ties: ['isee_asc', 'received_asc'],
    // Yearly buono by ISEE: € 400, 300, 200 a month for 12 months (the DGR allows about € 100-400
    // for the caregiver buono; up to € 800 with a hired assistant). The last band reaches the
    // minors' ceiling, so no eligible applicant falls outside every band.
    amount: {
      kind: 'bands',
      bands: [
        { upToIseeCents: 1_500_000, cents: 480_000 },
        { upToIseeCents: 2_500_000, cents: 360_000 },
        { upToIseeCents: 4_000_000, cents: 240_000 },
      ],
    },
    onDoesNotFit: 'skip',
    appealDays: 30,
  },
};

const dopoDiNoi: CallTemplate = {
  title: 'Dopo di Noi – percorsi di autonomia per persone con disabilità grave prive del sostegno familiare',
  measure: 'Dopo di Noi (L. 112/2016)',
  fundCode: 'DOPO_DI_NOI',
  description:
    'Percorsi di accompagnamento all’autonomia e di residenzialità per adulti dai 18 ai 64 anni con disabilità ' +
    'grave (L. 112/2016). Il limite ISEE e il contributo sono scelte dell’Ambito: verificarli ogni anno',
  rules: {
    eligibility: {
      residenceOn: `${YEAR}-01-01`,
      age: { min: 18, max: 64, on: `${YEAR}-01-01` },
      // Not set by the law: an Ambito's choice, to confirm every year.
      isee: { type: 'sociosanitario', maxCents: 5_000_000 },
      disability: { anyOf: ['l104_art3_c3'] },
      conditions: [
        {
          code: 'senza_sostegno_familiare',
          label: 'priva del sostegno familiare: genitori mancanti o non in grado di sostenerla',
          required: true,
        },
        { code: 'mancanza_genitori', label: 'mancano entrambi i genitori', required: false },
        {
          code: 'genitori_non_in_grado',
          label: 'i genitori non sono più in grado di sostenerla',
          required: false,
        },
        {
          code: 'fuori_contesto_familiare',
          label: 'vive in una struttura lontana dal contesto familiare',
          required: false,
        },
      ],
    },
    fields: [
      {
        code: 'percorso',
        label: 'percorso richiesto',
        kind: 'select',
        required: true,
        options: ['accompagnamento_autonomia', 'residenzialita', 'pronto_intervento'],
      },
    ],
    attachments: [pdf('verbale_disabilita', 'verbale di handicap grave (L. 104/1992, art. 3 c. 3)', true)],
    scoring: {
      isee: [
        { upToCents: 1_000_000, points: 20 },
        { upToCents: 2_500_000, points: 10 },
        { upToCents: 5_000_000, points: 5 },
      ],
      // The priorities of DM 23/11/2016: no parents first, then parents who can no longer help.
      conditions: [
        { code: 'mancanza_genitori', points: 20 },
        { code: 'genitori_non_in_grado', points: 10 },
        { code: 'fuori_contesto_familiare', points: 5 },
      ],
    },
    ties: ['isee_asc', 'age_desc', 'received_asc'],
    // € 4.800 a year per project: an example, set by the Ambito's plan for the fund.
    amount: { kind: 'fixed', cents: 480_000 },
    onDoesNotFit: 'stop',
    appealDays: 30,
  },
};

const sostegnoAffitto: CallTemplate = {
  title: 'Sostegno al pagamento del canone di locazione (Misura Unica affitto)',
  measure: 'Misura Unica affitto',
  // Regional resources; an Ambito that co-funds from the FNPS or its own fund changes the code.
  fundCode: 'FSR',
  description:
    'Contributo al canone di locazione sul libero mercato, fino a 10 mensilità e al massimo € 3.600. Limiti ISEE ' +
    'e importi cambiano con la delibera regionale di ogni anno',
  rules: {
    eligibility: {
      residenceOn: `${YEAR}-01-01`,
      // ISEE up to € 26.000, or € 35.000 with an income loss over 25% (then the ISEE corrente,
      // which INPS issues exactly for such a loss, is accepted too).
      isee: {
        type: 'ordinario',
        maxCents: 2_600_000,
        alternatives: [
          { when: 'perdita_reddito_25', type: 'ordinario', maxCents: 3_500_000 },
          { when: 'perdita_reddito_25', type: 'corrente', maxCents: 3_500_000 },
        ],
      },
      conditions: [
        {
          code: 'contratto_registrato',
          label: 'titolare di un contratto di locazione registrato per l’alloggio di residenza',
          required: true,
        },
        {
          code: 'non_alloggio_pubblico',
          label: 'non assegnatario di un alloggio dei servizi abitativi pubblici (SAP)',
          required: true,
        },
        { code: 'perdita_reddito_25', label: 'perdita di reddito superiore al 25%', required: false },
        { code: 'morosita_incolpevole', label: 'morosità incolpevole', required: false },
        { code: 'componente_disabile', label: 'nel nucleo una persona con disabilità', required: false },
      ],
    },
    fields: [
      {
        code: 'canone_mensile',
        label: 'canone mensile di locazione',
        kind: 'cents',
        required: true,
        max: 300_000,
      },
      {
        code: 'data_registrazione',
        label: 'data di registrazione del contratto',
        kind: 'date',
        required: true,
      },
      {
        code: 'mensilita_arretrate',
        label: 'mensilità di canone non pagate',
        kind: 'number',
        required: false,
        max: 24,
      },
    ],
    attachments: [
      pdf('contratto_locazione', 'contratto di locazione registrato', true),
      pdf('perdita_reddito', 'documentazione della perdita di reddito', false),
    ],
    scoring: {
      isee: [
        { upToCents: 500_000, points: 30 },
        { upToCents: 1_000_000, points: 20 },
        { upToCents: 2_600_000, points: 10 },
        { upToCents: 3_500_000, points: 5 },
      ],
      household: [
        { minMembers: 3, points: 5 },
        { minMembers: 5, points: 10 },
      ],
      conditions: [
        { code: 'morosita_incolpevole', points: 15 },
        { code: 'perdita_reddito_25', points: 10 },
        { code: 'componente_disabile', points: 5 },
      ],
    },
    ties: ['isee_asc', 'household_desc', 'received_asc'],
    // Up to 10 months of rent, at most € 3.600.
    amount: { kind: 'requested', maxCents: 360_000 },
    onDoesNotFit: 'partial',
    appealDays: 30,
  },
};

export const CALL_TEMPLATES: Record<TemplateCode, CallTemplate> = {
  misura_b2: misuraB2,
  dopo_di_noi: dopoDiNoi,
  sostegno_affitto: sostegnoAffitto,
};

const fill = (date: string, year: number) => date.replace(YEAR, String(year));

/** A template with its dates in the given year, checked like any call the office saves. */
export function templateFor(code: TemplateCode, year: number): CallTemplate {
  if (!Number.isInteger(year) || year < 2000 || year > 2100) throw new RangeError(`anno non valido: ${year}`);
  const template = CALL_TEMPLATES[code];
  const rules = structuredClone(template.rules);
  rules.eligibility.residenceOn = fill(rules.eligibility.residenceOn, year);
  if (rules.eligibility.age) rules.eligibility.age.on = fill(rules.eligibility.age.on, year);
  return { ...template, rules: validateCallRules(rules) };
}
