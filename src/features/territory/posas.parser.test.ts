import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { synthesizePosas } from '../../../bench/posas-synthetic.js';
import { ImportError } from './import-error.js';
import { parseIstatComuni } from './istat-comuni.parser.js';
import { type PosasRow, parsePosas } from './posas.parser.js';

const FIXTURES = new URL('../../../test/fixtures/territory/', import.meta.url);
const fixture = (name: string) => readFileSync(new URL(name, FIXTURES));
const SMALL = fixture('posas-2024-small.csv');
const SMALL_LINES = SMALL.toString('utf8').split('\r\n'); // [0] starts with the BOM; last is ''
const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

/** Rebuilds the small fixture after editing its physical lines (1-based `lines[n - 1]`). */
function edited(edit: (lines: string[]) => void): Buffer {
  const lines = [...SMALL_LINES];
  edit(lines);
  return Buffer.from(lines.join('\r\n'), 'utf8');
}
const setLine = (n: number, value: string) =>
  edited((lines) => {
    lines[n - 1] = value;
  });

function importError(input: Buffer, opts?: { year?: number }): ImportError {
  try {
    parsePosas(input, opts);
  } catch (err) {
    expect(err).toBeInstanceOf(ImportError);
    return err as ImportError;
  }
  throw new Error('expected an ImportError');
}

describe('parsePosas on the small fixture', () => {
  it('reads year, comuni and rows (ages 0..100 only)', () => {
    const parsed = parsePosas(SMALL);
    expect(parsed.year).toBe(2024);
    expect(parsed.comuni).toBe(2);
    expect(parsed.rows).toHaveLength(202);
    expect(parsed.rows[0]).toEqual({ istatCode: '001001', age: 0, male: 9, female: 8 });
    expect(parsed.rows.find((r) => r.istatCode === '015081' && r.age === 50)).toEqual({
      istatCode: '015081',
      age: 50,
      male: 361,
      female: 345,
    });
    expect(parsed.rows.every((r) => r.age >= 0 && r.age <= 100)).toBe(true);
    const total = (code: string) =>
      parsed.rows.filter((r) => r.istatCode === code).reduce((s, r) => s + r.male + r.female, 0);
    expect(total('001001')).toBe(2646);
    expect(total('015081')).toBe(45787);
  });

  it('uses opts.year when the title has no year, and refuses a different one', () => {
    const noYear = setLine(1, '\uFEFFPopolazione residente per età e sesso');
    expect(parsePosas(noYear).year).toBeNull();
    expect(parsePosas(noYear, { year: 2023 }).year).toBe(2023);
    expect(parsePosas(SMALL, { year: 2024 }).year).toBe(2024);
    const err = importError(SMALL, { year: 2023 });
    expect(err.line).toBe(1);
    expect(err.reason).toContain('2024');
    expect(err.reason).toContain('2023');
  });

  it('reads the year from title variants (unquoted, "1º", trailing separators)', () => {
    const variants = [
      'Popolazione residente al 1° gennaio 2019 per età e sesso - Tutti i comuni',
      '"Popolazione residente al 1º gennaio 2019";;;;;',
      'Popolazione residente al 1 gennaio 2019',
    ];
    for (const title of variants) expect(parsePosas(setLine(1, title)).year).toBe(2019);
  });

  it('accepts the alternative header names, without BOM and with LF endings', () => {
    const text = SMALL.toString('utf8')
      .slice(1)
      .replaceAll('\r\n', '\n')
      .replace(
        'Codice comune;Denominazione;Età;Totale maschi;Totale femmine;Totale',
        'CODICE COMUNE;Comune;Eta;Maschi;Femmine;Totale',
      );
    const parsed = parsePosas(Buffer.from(text, 'utf8'));
    expect(parsed.rows).toEqual(parsePosas(SMALL).rows);
  });

  it('works without the optional Totale and 999 rows, and with reordered columns', () => {
    const lines = SMALL.toString('utf8').slice(1).split('\r\n');
    const out = lines
      .filter((l) => l.split(';')[2] !== '999')
      .map((l, i) => {
        if (i === 0 || l === '') return l;
        const [code, name, age, m, f] = l.split(';');
        return [f, m, age, name, code].join(';');
      });
    out[1] = 'Totale femmine;Totale maschi;Età;Denominazione;Codice comune';
    const parsed = parsePosas(Buffer.from(out.join('\n'), 'utf8'));
    expect(parsed.rows).toEqual(parsePosas(SMALL).rows);
  });

  it('reports the 999 mismatch of the broken fixture', () => {
    const err = importError(fixture('posas-2024-bad-total.csv'));
    expect(err).toMatchObject({ line: 206, field: 'male' });
    expect(err.reason).toContain('015081');
    expect(err.reason).toContain('22262');
    expect(err.reason).toContain('22261');
  });
});

describe('parsePosas on broken variants', () => {
  it('refuses a file that is not UTF-8, at the first bad line', () => {
    const latin1 = iconv.encode(SMALL.toString('utf8').slice(1), 'latin1');
    const err = importError(latin1);
    expect(err.line).toBe(1); // "1°" in the title
    expect(err.reason).toMatch(/^codifica non valida: atteso UTF-8/);

    const mixed = Buffer.concat([
      SMALL.subarray(0, SMALL.indexOf('015081;Cologno')),
      Buffer.from([0xe0]),
      SMALL.subarray(SMALL.indexOf('015081;Cologno')),
    ]);
    expect(importError(mixed).line).toBe(105);
  });

  it('refuses double-encoded UTF-8', () => {
    const twice = Buffer.from(SMALL.toString('latin1'), 'utf8');
    expect(importError(twice).reason).toMatch(/^codifica non valida/);
  });

  it('refuses a file without the title line', () => {
    const err = importError(edited((lines) => lines.splice(0, 1)));
    expect(err.line).toBe(1);
    expect(err.reason).toMatch(/^riga del titolo mancante/);
  });

  it('refuses missing header columns, naming them', () => {
    const err = importError(
      setLine(2, 'Codice comune;Denominazione;Anni;Totale maschi;Totale femmine;Totale'),
    );
    expect(err).toMatchObject({ line: 2, field: 'age' });
    expect(err.reason).toBe('colonne obbligatorie mancanti: "Età"');
    const noCounts = importError(setLine(2, 'Codice comune;Denominazione;Età;M;F;Totale'));
    expect(noCounts.reason).toBe('colonne obbligatorie mancanti: "Totale maschi", "Totale femmine"');
  });

  it('refuses empty files and header-only files', () => {
    expect(importError(Buffer.alloc(0))).toMatchObject({ line: 1, reason: 'file vuoto' });
    expect(importError(BOM)).toMatchObject({ line: 1, reason: 'file vuoto' });
    expect(importError(Buffer.from(SMALL_LINES.slice(0, 1).join('\r\n'))).line).toBe(2);
    const headerOnly = importError(Buffer.from(SMALL_LINES.slice(0, 2).join('\r\n')));
    expect(headerOnly.line).toBe(3);
    expect(headerOnly.reason).toMatch(/nessun dato/);
  });

  it.each([
    ['1001', /codice comune "1001" non valido \(attese 6 cifre; .*zeri iniziali/],
    ['00100A', /codice comune "00100A" non valido/],
  ])('refuses the malformed comune code %s', (code, reason) => {
    const err = importError(setLine(10, `${code};Agliè;7;9;8;17`));
    expect(err).toMatchObject({ line: 10, field: 'istatCode' });
    expect(err.reason).toMatch(reason);
  });

  it.each(['101', '-1', '998', '1000', 'x', '7.5'])('refuses the age %s', (age) => {
    const err = importError(setLine(10, `001001;Agliè;${age};9;8;17`));
    expect(err).toMatchObject({ line: 10, field: 'age' });
    expect(err.reason).toMatch(/^età .*(fuori intervallo|non valida)/);
  });

  it.each([
    ['-3', 'valore negativo'],
    ['2.5', 'valore non intero'],
    ['2,5', 'valore non intero'],
    ['', 'valore mancante'],
    ['tre', 'atteso un numero intero non negativo'],
  ])('refuses the count "%s"', (value, why) => {
    const err = importError(setLine(10, `001001;Agliè;7;${value};8;17`));
    expect(err).toMatchObject({ line: 10, field: 'male' });
    expect(err.reason).toBe(`numero di maschi "${value}" non valido: ${why}`);
  });

  it('refuses a row whose Totale is not M+F', () => {
    const err = importError(setLine(10, '001001;Agliè;7;9;8;18'));
    expect(err).toMatchObject({ line: 10, field: 'total' });
    expect(err.reason).toBe('totale 18 diverso da maschi + femmine (9 + 8 = 17)');
  });

  it('refuses a duplicated (comune, age), naming the earlier line', () => {
    const err = importError(edited((lines) => lines.splice(20, 0, lines[9] as string)));
    expect(err).toMatchObject({ line: 21, field: 'age' });
    expect(err.reason).toBe(`età 7 duplicata per il comune 001001 (già presente alla riga 10)`);
  });

  it('refuses a duplicated 999 row', () => {
    const err = importError(edited((lines) => lines.splice(104, 0, lines[103] as string)));
    expect(err).toMatchObject({ line: 105, field: 'age' });
    expect(err.reason).toContain('già presente alla riga 104');
  });

  it('refuses a 999 row that is not the sum of the ages', () => {
    const err = importError(setLine(104, '001001;Agliè;999;1281;1366;2647'));
    expect(err).toMatchObject({ line: 104, field: 'female' });
  });

  it('refuses a comune with missing ages', () => {
    const err = importError(edited((lines) => lines.splice(52, 3)));
    expect(err.field).toBe('age');
    expect(err.reason).toBe(
      'comune 001001: mancano le righe per le età 50-52 (attese tutte le età da 0 a 100)',
    );
  });

  it('refuses a last line truncated mid-row', () => {
    const cut = SMALL.subarray(0, SMALL.length - '\r\n'.length - 8); // "015081;Cologno Monzese;999;22262;235"
    const err = importError(cut);
    expect(err.line).toBe(206);
    expect(err.reason).toMatch(
      /^riga incompleta: 5 campi invece dei 6 dell'intestazione \(riga troncata\?\)$/,
    );
  });

  it('refuses a file truncated exactly before the last 999 row', () => {
    const err = importError(edited((lines) => lines.splice(205)));
    expect(err.line).toBe(205);
    expect(err.reason).toMatch(/manca la riga del totale/);
  });

  it('refuses a row with extra fields or a broken quote', () => {
    expect(importError(setLine(10, '001001;Agliè;7;9;8;17;0'))).toMatchObject({ line: 10 });
    expect(importError(setLine(10, '001001;"Agliè;7;9;8;17')).reason).toMatch(/^virgolette non chiuse/);
    const quoted = (SMALL_LINES[9] as string)
      .split(';')
      .map((f) => `"${f}"`)
      .join(';');
    expect(parsePosas(setLine(10, quoted)).rows).toEqual(parsePosas(SMALL).rows);
  });
});

/** Builds POSAS text from generated data: a direct, independent writer for the property test. */
interface Generated {
  year: number;
  comuni: Array<{ code: string; counts: Array<[number, number]> }>;
  withTotalColumn: boolean;
  withTotalRows: boolean;
  crlf: boolean;
  bom: boolean;
}

function write(g: Generated): Buffer {
  const eol = g.crlf ? '\r\n' : '\n';
  const cols = ['Codice comune', 'Denominazione', 'Età', 'Totale maschi', 'Totale femmine'];
  if (g.withTotalColumn) cols.push('Totale');
  const lines = [
    `Popolazione residente al 1° gennaio ${g.year} per età e sesso - Tutti i comuni`,
    cols.join(';'),
  ];
  for (const c of g.comuni) {
    let tm = 0;
    let tf = 0;
    const row = (age: number, m: number, f: number) =>
      [c.code, `Comune ${c.code}`, age, m, f, ...(g.withTotalColumn ? [m + f] : [])].join(';');
    c.counts.forEach(([m, f], age) => {
      tm += m;
      tf += f;
      lines.push(row(age, m, f));
    });
    if (g.withTotalRows) lines.push(row(999, tm, tf));
  }
  const body = Buffer.from(lines.join(eol) + eol, 'utf8');
  return g.bom ? Buffer.concat([BOM, body]) : body;
}

describe('parsePosas property', () => {
  const generated = fc.record({
    year: fc.integer({ min: 1990, max: 2100 }),
    comuni: fc.uniqueArray(
      fc.record({
        code: fc.stringMatching(/^\d{6}$/),
        counts: fc.array(fc.tuple(fc.nat({ max: 50_000 }), fc.nat({ max: 50_000 })), {
          minLength: 101,
          maxLength: 101,
        }),
      }),
      { minLength: 1, maxLength: 5, selector: (c) => c.code },
    ),
    withTotalColumn: fc.boolean(),
    withTotalRows: fc.boolean(),
    crlf: fc.boolean(),
    bom: fc.boolean(),
  });

  it('returns the numbers that were written', () => {
    fc.assert(
      fc.property(generated, (g) => {
        const parsed = parsePosas(write(g));
        const expected: PosasRow[] = g.comuni.flatMap((c) =>
          c.counts.map(([male, female], age) => ({ istatCode: c.code, age, male, female })),
        );
        // Title and header take lines 1-2; each comune then takes 101 lines, plus its 999 total.
        const block = 101 + (g.withTotalRows ? 1 : 0);
        const firstLine = new Map(g.comuni.map((c, i) => [c.code, 3 + i * block]));
        expect(parsed).toEqual({ year: g.year, rows: expected, comuni: g.comuni.length, firstLine });
      }),
      { numRuns: 200 },
    );
  });

  it('rejects any single changed count when totals are present', () => {
    fc.assert(
      fc.property(
        generated.filter((g) => g.withTotalRows),
        fc.nat(),
        fc.nat(),
        fc.integer({ min: 1, max: 1000 }),
        (g, ci, age, delta) => {
          const c = g.comuni[ci % g.comuni.length] as Generated['comuni'][number];
          const original = write(g);
          const counts = c.counts.map((x) => [...x] as [number, number]);
          (counts[age % 101] as [number, number])[0] += delta;
          const tampered = write({ ...g, comuni: g.comuni.map((x) => (x === c ? { ...x, counts } : x)) });
          // Rewriting recomputes the 999 row; tamper the row only by splicing the original 999 back.
          const origLines = original.toString('utf8').split(/\r?\n/);
          const newLines = tampered.toString('utf8').split(/\r?\n/);
          const i999 = origLines.findIndex((l) => l.startsWith(`${c.code};`) && l.split(';')[2] === '999');
          newLines[i999] = origLines[i999] as string;
          expect(() => parsePosas(Buffer.from(newLines.join('\n'), 'utf8'))).toThrow(ImportError);
        },
      ),
      { numRuns: 50 },
    );
  });
});

describe('synthesizePosas', () => {
  const comuni = parseIstatComuni(
    readFileSync(new URL('../../../reference/istat/Elenco-comuni-italiani-2020-01-01.csv', import.meta.url)),
  );
  const lombardia = comuni.filter((c) => c.regionCode === '03').slice(0, 300);

  it('produces a file that parsePosas accepts, close to the legal population', () => {
    const file = synthesizePosas(lombardia, 2024);
    expect(file.subarray(0, 3)).toEqual(BOM);
    const parsed = parsePosas(file);
    expect(parsed.year).toBe(2024);
    expect(parsed.comuni).toBe(lombardia.length);
    expect(parsed.rows).toHaveLength(lombardia.length * 101);
    for (const c of lombardia) {
      const rows = parsed.rows.filter((r) => r.istatCode === c.istatCode);
      const total = rows.reduce((s, r) => s + r.male + r.female, 0);
      expect(Math.abs(total - (c.legalPopulation ?? 0))).toBeLessThanOrEqual(
        Math.max(60, (c.legalPopulation ?? 0) * 0.02),
      );
    }
  });

  it('has a plausible age pyramid', () => {
    const parsed = parsePosas(
      synthesizePosas(
        comuni.filter((c) => c.provinceAbbr === 'MI'),
        2024,
      ),
    );
    const sum = (from: number, to: number, pick: (r: PosasRow) => number) =>
      parsed.rows.filter((r) => r.age >= from && r.age <= to).reduce((s, r) => s + pick(r), 0);
    const all = sum(0, 100, (r) => r.male + r.female);
    const share = (from: number, to: number) => sum(from, to, (r) => r.male + r.female) / all;
    expect(share(0, 14)).toBeGreaterThan(0.1);
    expect(share(0, 14)).toBeLessThan(0.16);
    expect(share(65, 100)).toBeGreaterThan(0.2);
    expect(share(65, 100)).toBeLessThan(0.28);
    expect(sum(85, 100, (r) => r.female)).toBeGreaterThan(1.5 * sum(85, 100, (r) => r.male));
  });

  it('is deterministic for a seed', () => {
    const few = lombardia.slice(0, 20);
    expect(synthesizePosas(few, 2024, 7).equals(synthesizePosas(few, 2024, 7))).toBe(true);
    expect(synthesizePosas(few, 2024, 7).equals(synthesizePosas(few, 2024, 8))).toBe(false);
  });

  it('parses the national-size file (≈806,000 lines) in a few seconds', () => {
    const file = synthesizePosas(comuni, 2024);
    const started = performance.now();
    const parsed = parsePosas(file);
    const elapsed = performance.now() - started;
    expect(parsed.comuni).toBe(7904);
    expect(parsed.rows).toHaveLength(7904 * 101);
    expect(elapsed).toBeLessThan(10_000);
  });
});
