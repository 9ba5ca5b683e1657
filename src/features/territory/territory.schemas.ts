import { z } from 'zod';

export const IstatCode = z
  .string()
  .regex(/^[0-9]{6}$/, 'il codice ISTAT deve essere di 6 cifre')
  .describe('Codice ISTAT del Comune (6 cifre, con zeri iniziali)');
export const IsoDate = z.iso.date('data non valida: usare il formato AAAA-MM-GG');
const Label = z.string().trim().min(2, 'almeno 2 caratteri').max(200, 'al massimo 200 caratteri');

export const ComuneRef = z.object({ istatCode: IstatCode, name: z.string() });

export const AmbitoSummary = z.object({
  id: z.uuid(),
  code: z.string(),
  name: z.string(),
  capofila: ComuneRef.nullable(),
  ats: z.string().nullable(),
  asst: z.string().nullable(),
  district: z.string().nullable(),
  demo: z.boolean(),
});
export type AmbitoSummary = z.infer<typeof AmbitoSummary>;

export const MemberComune = z.object({
  istatCode: IstatCode,
  name: z.string(),
  provinceAbbr: z.string(),
  provinceName: z.string(),
  population: z.number().int().nullable(),
  populationYear: z.number().int().nullable(),
  validFrom: IsoDate,
  validTo: IsoDate.nullable(),
});
export type MemberComune = z.infer<typeof MemberComune>;

export const AgeBands = z.object({
  age0to17: z.number().int(),
  age18to64: z.number().int(),
  age65plus: z.number().int(),
  age75plus: z.number().int(),
});
export type AgeBands = z.infer<typeof AgeBands>;

export const AmbitoDetail = AmbitoSummary.extend({
  date: IsoDate.describe('Data di riferimento della composizione'),
  comuni: z.array(MemberComune),
  history: z.array(MemberComune).describe('Appartenenze terminate prima della data di riferimento'),
  totals: z.object({
    comuni: z.number().int(),
    population: z.number().int(),
    populationYear: z.number().int().nullable(),
    populationDemo: z.boolean(),
    bands: AgeBands.nullable(),
  }),
});
export type AmbitoDetail = z.infer<typeof AmbitoDetail>;

export const AmbitoList = z.object({ items: z.array(AmbitoSummary) });

export const AmbitoParams = z.object({ id: z.uuid('identificativo non valido') });
export const MembershipParams = AmbitoParams.extend({ istatCode: IstatCode });
export const AmbitoDetailQuery = z.object({ date: IsoDate.optional() });

export const ComuneResult = z.object({
  istatCode: IstatCode,
  name: z.string(),
  provinceAbbr: z.string(),
  provinceName: z.string(),
  regionName: z.string(),
  /** Null while not yet assigned (a comune just created by a merger: N.D. in the ISTAT list). */
  belfiore: z.string().nullable(),
  legalPopulation: z.number().int().nullable(),
  ceasedOn: IsoDate.nullable(),
});
export type ComuneResult = z.infer<typeof ComuneResult>;

export const ComuneSearchQuery = z.object({
  q: z.string().trim().max(100, 'al massimo 100 caratteri').default(''),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export const ComuneList = z.object({ items: z.array(ComuneResult) });

export const MembershipInput = z.object({
  istatCode: IstatCode,
  validFrom: IsoDate,
  validTo: IsoDate.nullable().optional(),
});
export type MembershipInput = z.infer<typeof MembershipInput>;

export const CreateAmbitoBody = z.object({
  code: z.string().regex(/^[a-z0-9-]{2,40}$/, 'da 2 a 40 caratteri tra lettere minuscole, cifre e trattini'),
  name: Label,
  capofilaIstat: IstatCode,
  ats: Label.nullable().optional(),
  asst: Label.nullable().optional(),
  district: Label.nullable().optional(),
  comuni: z.array(MembershipInput).min(1, 'indicare almeno un Comune').max(500),
});
export type CreateAmbitoBody = z.infer<typeof CreateAmbitoBody>;

export const UpdateAmbitoBody = z
  .object({
    name: Label,
    capofilaIstat: IstatCode,
    ats: Label.nullable(),
    asst: Label.nullable(),
    district: Label.nullable(),
  })
  .partial()
  .refine((v) => Object.keys(v).length > 0, 'indicare almeno un campo da modificare');
export type UpdateAmbitoBody = z.infer<typeof UpdateAmbitoBody>;

export const EndMembershipBody = z.object({ validTo: IsoDate });
