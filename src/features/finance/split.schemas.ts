import { z } from 'zod';
import { IsoDate } from '../plan/plan.schemas.js';
import { IstatCode } from '../territory/territory.schemas.js';
import { Cents, FundCode, Year } from './finance.schemas.js';

const Age = z.number().int('età intera').min(0, 'età tra 0 e 100').max(100, 'età tra 0 e 100');

/** By residents at a reference date (ISTAT figures at 1 January of its year), optionally of an age range. */
const PopulationRule = z
  .object({
    kind: z.literal('population'),
    referenceDate: IsoDate,
    ageFrom: Age.optional(),
    ageTo: Age.optional(),
  })
  .refine((r) => r.ageFrom === undefined || r.ageTo === undefined || r.ageFrom <= r.ageTo, {
    path: ['ageTo'],
    message: 'l’età finale precede quella iniziale',
  });
/** By what was paid in each Comune in an earlier year (optionally on one fund). */
const HistoricalRule = z.object({
  kind: z.literal('historical'),
  year: Year,
  fundCode: FundCode.optional(),
});
/** Fixed shares stated in the plan: a weight (points) for every Comune. */
const FixedRule = z.object({
  kind: z.literal('fixed'),
  shares: z
    .array(
      z.object({
        istatCode: IstatCode,
        weight: z.number().int('peso intero').min(0, 'peso negativo').max(1_000_000_000),
      }),
    )
    .min(1, 'indicare il peso di ogni Comune'),
});
const SimpleRule = z.discriminatedUnion('kind', [PopulationRule, HistoricalRule, FixedRule]);

/** A weighted mix, e.g. 70 points by population and 30 by fixed shares. */
const MixRule = z.object({
  kind: z.literal('mix'),
  components: z
    .array(
      z.object({
        weight: z.number().int('peso intero').min(1, 'peso almeno 1').max(1_000_000),
        rule: SimpleRule,
      }),
    )
    .min(1, 'almeno un criterio')
    .max(6, 'al massimo 6 criteri'),
});
/** Quota capitaria: each Comune pays a fixed amount per inhabitant; the total follows. */
const PerHeadRule = z.object({
  kind: z.literal('perHead'),
  referenceDate: IsoDate,
  centsPerInhabitant: z.number().int('centesimi interi per abitante').min(1).max(1_000_000),
});

export const SplitRule = z.discriminatedUnion('kind', [
  PopulationRule,
  HistoricalRule,
  FixedRule,
  MixRule,
  PerHeadRule,
]);
export type SplitRule = z.infer<typeof SplitRule>;
export type SimpleRule = z.infer<typeof SimpleRule>;

export const SplitPreviewBody = z.object({
  totalCents: Cents.optional().describe('obbligatorio tranne per la quota capitaria'),
  rule: SplitRule,
  /** The Comuni that share: members of the Ambito on this date (default: today). */
  asOf: IsoDate.optional(),
  /** With fund and year, every line carries what the Comune received the year before. */
  fundCode: FundCode.optional(),
  year: Year.optional(),
});
export type SplitPreviewBody = z.infer<typeof SplitPreviewBody>;

export const SplitLineView = z.object({
  istatCode: z.string(),
  name: z.string(),
  figure: z.number().int().nullable().describe('il dato del criterio (abitanti, spesa, peso) se unico'),
  amountCents: z.number().int(),
  exactCents: z.string().describe('la quota esatta prima dell’arrotondamento'),
  previousCents: z.number().int().nullable().describe('quanto ricevuto l’anno precedente'),
});
export const SplitPreview = z.object({
  totalCents: z.number().int(),
  asOf: IsoDate,
  basis: z.array(z.string()).describe('da dove vengono i dati usati'),
  lines: z.array(SplitLineView),
});
export type SplitPreview = z.infer<typeof SplitPreview>;

export const SplitSaveBody = SplitPreviewBody.extend({
  fundCode: FundCode,
  year: Year,
  actId: z.uuid('atto non valido'),
});
export type SplitSaveBody = z.infer<typeof SplitSaveBody>;

export const SplitView = SplitPreview.extend({
  id: z.uuid(),
  fundCode: z.string(),
  year: z.number().int(),
  rule: SplitRule,
  act: z.object({ id: z.uuid(), number: z.string(), date: IsoDate, subject: z.string() }),
  createdBy: z.string(),
  createdAt: z.string(),
});
export type SplitView = z.infer<typeof SplitView>;
export const SplitListQuery = z.object({ year: z.coerce.number().pipe(Year).optional() });

export const FteInput = z.object({
  comuni: z
    .array(
      z.object({
        istatCode: IstatCode,
        fteHundredths: z.number().int('FTE in centesimi interi').min(0).max(100_000),
      }),
    )
    .min(1),
});
export const SocialWorkersView = z.object({
  year: z.number().int(),
  populationYear: z.number().int(),
  population: z.number().int(),
  fteHundredths: z.number().int(),
  residentsPerWorker: z.number().int().nullable(),
  status: z.enum(['sotto_soglia', 'verso_leps', 'leps_raggiunto', 'obiettivo_raggiunto']),
  contributionCents: z.number().int(),
  maxContributionCents: z.number().int(),
  thresholdsHundredths: z.object({
    base: z.number().int(),
    leps: z.number().int(),
    target: z.number().int(),
  }),
  comuni: z.array(
    z.object({
      istatCode: z.string(),
      name: z.string(),
      population: z.number().int(),
      fteHundredths: z.number().int(),
    }),
  ),
});
export type SocialWorkersView = z.infer<typeof SocialWorkersView>;
