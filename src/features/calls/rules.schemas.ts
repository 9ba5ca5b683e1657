import { z } from 'zod';
import { Text } from '../../contract/text.js';
import { formatEuro } from '../../format.js';
import { Cents } from '../finance/finance.schemas.js';
import { IsoDate } from '../plan/plan.schemas.js';
import { IstatCode } from '../territory/territory.schemas.js';

/**
 * The rules of a call (bando) are data the Assemblea dei Sindaci approves, not code per call:
 * these schemas are the single check they pass when a call is saved, so every later step
 * (application form, eligibility, scoring, ranking, award) can rely on them without re-checking.
 */

export const ISEE_TYPES = ['ordinario', 'sociosanitario', 'minorenni', 'corrente'] as const;
export type IseeType = (typeof ISEE_TYPES)[number];
export const DISABILITY_CODES = [
  'l104_art3_c3',
  'indennita_accompagnamento',
  'invalidita_100',
  'l104_art3_c1',
] as const;
export type DisabilityCode = (typeof DISABILITY_CODES)[number];
export const DISABILITY_LABELS: Record<DisabilityCode, string> = {
  l104_art3_c3: 'handicap grave (L. 104/1992, art. 3 c. 3)',
  indennita_accompagnamento: 'indennità di accompagnamento',
  invalidita_100: 'invalidità civile al 100%',
  l104_art3_c1: 'handicap (L. 104/1992, art. 3 c. 1)',
};
export const FIELD_KINDS = ['text', 'number', 'boolean', 'date', 'select', 'cents'] as const;
export const TIE_BREAKERS = ['isee_asc', 'household_desc', 'age_desc', 'age_asc', 'received_asc'] as const;
export type TieBreaker = (typeof TIE_BREAKERS)[number];
export const AWARD_MODES = ['stop', 'skip', 'partial'] as const;
export type AwardMode = (typeof AWARD_MODES)[number];
export const MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024;

const Slug = z
  .string()
  .regex(/^[a-z][a-z0-9_]{1,39}$/, 'codice: da 2 a 40 caratteri tra lettere minuscole, cifre e _');
const Label = Text().trim().min(2, 'almeno 2 caratteri').max(300, 'al massimo 300 caratteri');
const Age = z.number().int('età in anni interi').min(0, 'età tra 0 e 120').max(120, 'età tra 0 e 120');
const Points = z.number().int('punti interi').min(0, 'punti negativi').max(1000, 'al massimo 1000 punti');
const PositiveCents = Cents.min(1, 'l’importo deve essere maggiore di zero');
const IseeTypeSchema = z.enum(ISEE_TYPES, 'tipo di ISEE non valido');
const DisabilitySchema = z.enum(DISABILITY_CODES, 'condizione di disabilità non valida');

const Eligibility = z.strictObject({
  /** Residence in a Comune of the Ambito on this date (the Ambito's membership on that date). */
  residenceOn: IsoDate,
  age: z.strictObject({ min: Age.optional(), max: Age.optional(), on: IsoDate }).optional(),
  isee: z
    .strictObject({
      type: IseeTypeSchema,
      maxCents: PositiveCents,
      /** Another ceiling (and ISEE type) for who declares a condition, e.g. minors in Misura B2. */
      alternatives: z
        .array(z.strictObject({ when: Slug, type: IseeTypeSchema, maxCents: PositiveCents }))
        .max(10)
        .optional(),
    })
    .optional(),
  disability: z
    .strictObject({ anyOf: z.array(DisabilitySchema).min(1, 'indicare almeno una condizione') })
    .optional(),
  conditions: z.array(z.strictObject({ code: Slug, label: Label, required: z.boolean() })).max(30),
});

const Field = z.strictObject({
  code: Slug,
  label: Label,
  kind: z.enum(FIELD_KINDS, 'tipo di campo non valido'),
  required: z.boolean(),
  options: z.array(Text().trim().min(1, 'opzione vuota').max(100)).max(50).optional(),
  /** Characters for text, the largest value for number and cents. */
  max: z.number().int('numero intero').min(1, 'almeno 1').optional(),
});

const AttachmentRule = z.strictObject({
  code: Slug,
  label: Label,
  required: z.boolean(),
  maxBytes: z.number().int().min(1024, 'almeno 1 KB').max(MAX_ATTACHMENT_BYTES, 'al massimo 10 MB'),
  types: z.array(z.literal('application/pdf', 'solo PDF')).min(1, 'indicare il formato'),
});

const Scoring = z.strictObject({
  /** The first band whose ceiling is at or above the ISEE value; above the last, 0 points. */
  isee: z.array(z.strictObject({ upToCents: Cents, points: Points })).max(20),
  /** The highest band reached by the household size. */
  household: z
    .array(z.strictObject({ minMembers: z.number().int().min(1).max(20), points: Points }))
    .max(20)
    .optional(),
  /** Age on `eligibility.age.on`, or on `eligibility.residenceOn` when the call has no age limit. */
  age: z
    .array(z.strictObject({ from: Age, to: Age, points: Points }))
    .max(20)
    .optional(),
  disability: z
    .array(z.strictObject({ code: DisabilitySchema, points: Points }))
    .max(4)
    .optional(),
  conditions: z
    .array(z.strictObject({ code: Slug, points: Points }))
    .max(30)
    .optional(),
});

const Amount = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('fixed'), cents: PositiveCents }),
  z.strictObject({
    kind: z.literal('bands'),
    bands: z
      .array(z.strictObject({ upToIseeCents: Cents, cents: PositiveCents }))
      .min(1)
      .max(20),
  }),
  z.strictObject({ kind: z.literal('requested'), maxCents: PositiveCents }),
]);

const CallRulesShape = z.strictObject({
  eligibility: Eligibility,
  fields: z.array(Field).max(40),
  attachments: z.array(AttachmentRule).max(10),
  scoring: Scoring,
  ties: z.array(z.enum(TIE_BREAKERS, 'criterio di parità non valido')).min(1, 'indicare i criteri di parità'),
  amount: Amount,
  onDoesNotFit: z.enum(AWARD_MODES, 'scegliere stop, skip o partial'),
  appealDays: z.number().int('giorni interi').min(0, 'tra 0 e 90 giorni').max(90, 'tra 0 e 90 giorni'),
});
type Shape = z.infer<typeof CallRulesShape>;
type Issue = (path: PropertyKey[], message: string) => void;

/** Codes must be unique because answers, scores and files are keyed by them. */
function unique(items: readonly { code: string }[], path: PropertyKey[], issue: Issue) {
  const seen = new Set<string>();
  items.forEach(({ code }, i) => {
    if (seen.has(code)) issue([...path, i, 'code'], `codice "${code}" ripetuto`);
    seen.add(code);
  });
}

/** Bands are read "first that applies": out of order, a later band could never apply. */
function ascending<K extends string>(
  items: readonly Record<K, number>[],
  path: PropertyKey[],
  key: K,
  issue: Issue,
) {
  items.forEach((item, i) => {
    const previous = items[i - 1];
    if (previous && item[key] <= previous[key])
      issue([...path, i, key], 'le fasce vanno in ordine strettamente crescente');
  });
}

function checkEligibility(e: Shape['eligibility'], issue: Issue) {
  unique(e.conditions, ['eligibility', 'conditions'], issue);
  if (e.age?.min === undefined && e.age?.max === undefined && e.age)
    issue(['eligibility', 'age'], 'indicare l’età minima o massima');
  if (e.age?.min !== undefined && e.age.max !== undefined && e.age.min > e.age.max)
    issue(['eligibility', 'age', 'max'], 'l’età massima è inferiore a quella minima');
  const conditions = new Map(e.conditions.map((c) => [c.code, c]));
  const pairs = new Set<string>();
  e.isee?.alternatives?.forEach((a, i) => {
    const path = ['eligibility', 'isee', 'alternatives', i];
    const condition = conditions.get(a.when);
    if (!condition)
      issue([...path, 'when'], `condizione "${a.when}" non prevista tra le condizioni del bando`);
    // A required condition is declared by everyone: its ceiling would silently replace the main one.
    else if (condition.required)
      issue([...path, 'when'], 'condizione obbligatoria: l’alternativa varrebbe per tutti');
    if (pairs.has(`${a.when}|${a.type}`)) issue(path, 'alternativa ripetuta');
    pairs.add(`${a.when}|${a.type}`);
  });
  const anyOf = e.disability?.anyOf ?? [];
  anyOf.forEach((code, i) => {
    if (anyOf.indexOf(code) !== i) issue(['eligibility', 'disability', 'anyOf', i], 'condizione ripetuta');
  });
}

function checkFields(fields: Shape['fields'], issue: Issue) {
  unique(fields, ['fields'], issue);
  fields.forEach((f, i) => {
    if (f.kind === 'select') {
      if (!f.options?.length) issue(['fields', i, 'options'], 'indicare le opzioni della scelta');
      else if (new Set(f.options).size !== f.options.length)
        issue(['fields', i, 'options'], 'opzioni ripetute');
    } else if (f.options) issue(['fields', i, 'options'], 'le opzioni valgono solo per i campi a scelta');
    if (f.max !== undefined && !['text', 'number', 'cents'].includes(f.kind))
      issue(['fields', i, 'max'], 'il massimo vale solo per testo, numeri e importi');
  });
}

function checkScoring(r: Shape, issue: Issue) {
  const s = r.scoring;
  const path = ['scoring'];
  ascending(s.isee, [...path, 'isee'], 'upToCents', issue);
  ascending(s.household ?? [], [...path, 'household'], 'minMembers', issue);
  (s.age ?? []).forEach((b, i) => {
    if (b.from > b.to) issue([...path, 'age', i, 'to'], 'l’età finale è inferiore a quella iniziale');
    else if (i > 0 && b.from <= (s.age?.[i - 1]?.to ?? -1))
      issue([...path, 'age', i, 'from'], 'le fasce di età vanno in ordine crescente, senza sovrapporsi');
  });
  unique(s.disability ?? [], [...path, 'disability'], issue);
  unique(s.conditions ?? [], [...path, 'conditions'], issue);
  const declared = new Set(r.eligibility.conditions.map((c) => c.code));
  (s.conditions ?? []).forEach((c, i) => {
    if (!declared.has(c.code))
      issue(
        [...path, 'conditions', i, 'code'],
        `condizione "${c.code}" non prevista tra le condizioni del bando`,
      );
  });
}

function checkTiesAndAmount(r: Shape, issue: Issue) {
  r.ties.forEach((t, i) => {
    if (r.ties.indexOf(t) !== i) issue(['ties', i], 'criterio ripetuto');
  });
  if (r.ties.includes('age_asc') && r.ties.includes('age_desc'))
    issue(['ties'], 'età crescente e decrescente insieme: sceglierne una');
  // The acceptance instant (then the protocol) is what makes the order total and fair.
  if (r.ties.length > 0 && r.ties.at(-1) !== 'received_asc')
    issue(['ties', r.ties.length - 1], 'l’ultimo criterio deve essere l’ordine di arrivo (received_asc)');
  if (r.amount.kind !== 'bands') return;
  const bands = r.amount.bands;
  ascending(bands, ['amount', 'bands'], 'upToIseeCents', issue);
  // Beyond the last band an application gets nothing: an eligible ISEE must not fall there.
  const isee = r.eligibility.isee;
  const ceiling = Math.max(isee?.maxCents ?? 0, ...(isee?.alternatives ?? []).map((a) => a.maxCents));
  const last = bands.at(-1);
  if (isee && last && last.upToIseeCents < ceiling)
    issue(
      ['amount', 'bands', bands.length - 1, 'upToIseeCents'],
      `le fasce devono arrivare almeno al limite ISEE più alto ammesso (${formatEuro(ceiling)})`,
    );
}

export const CallRules = CallRulesShape.superRefine((r, ctx) => {
  const issue: Issue = (path, message) => ctx.addIssue({ code: 'custom', path, message });
  checkEligibility(r.eligibility, issue);
  checkFields(r.fields, issue);
  unique(r.attachments, ['attachments'], issue);
  checkScoring(r, issue);
  checkTiesAndAmount(r, issue);
});
export type CallRules = z.infer<typeof CallRules>;
export type FieldRule = CallRules['fields'][number];

/** The rules parsed and checked, or a ZodError whose issues carry the path of each bad value. */
export function validateCallRules(rules: unknown): CallRules {
  return CallRules.parse(rules);
}

const PersonName = Text().trim().min(1, 'obbligatorio').max(100, 'al massimo 100 caratteri');

/** What a citizen (or an operator on their behalf) sends; checked against a call by checkApplicant. */
export const ApplicantData = z.object({
  codiceFiscale: Text()
    .trim()
    .toUpperCase()
    .regex(/^[A-Z0-9]{16}$/, 'il codice fiscale ha 16 caratteri tra lettere e cifre'),
  firstName: PersonName,
  lastName: PersonName,
  birthDate: IsoDate,
  /** The cadastral (Belfiore) code of the Comune or foreign country of birth, e.g. F704. */
  birthPlace: Text()
    .trim()
    .toUpperCase()
    .regex(/^[A-Z][0-9]{3}$/, 'codice catastale: una lettera e tre cifre (es. F704)'),
  gender: z.enum(['M', 'F'], 'sesso: M o F'),
  residenceIstat: IstatCode,
  address: Text().trim().min(3, 'indirizzo troppo corto').max(200, 'al massimo 200 caratteri'),
  isee: z.object({
    type: IseeTypeSchema,
    valueCents: Cents,
    dsuProtocol: Text().trim().toUpperCase().min(1, 'obbligatorio').max(40, 'al massimo 40 caratteri'),
    dsuDate: IsoDate,
  }),
  householdMembers: z.number().int('numero intero').min(1, 'almeno 1').max(20, 'al massimo 20'),
  disability: z
    .array(DisabilitySchema)
    .max(DISABILITY_CODES.length)
    .refine((d) => new Set(d).size === d.length, 'condizione ripetuta'),
  conditions: z.record(Slug, z.boolean()),
  fields: z.record(
    Slug,
    z.union([Text().max(2000, 'al massimo 2000 caratteri'), z.number(), z.boolean(), z.null()]),
  ),
  requestedCents: Cents.optional(),
  /** As typed; store normaliseIban(iban) once checkApplicant has accepted it. */
  iban: Text().trim().min(1, 'obbligatorio').max(50, 'al massimo 50 caratteri'),
  email: z.email('email non valida').optional(),
  phone: Text()
    .trim()
    .regex(/^\+?[0-9 ]{6,20}$/, 'telefono: da 6 a 20 cifre')
    .optional(),
});
export type ApplicantData = z.infer<typeof ApplicantData>;
