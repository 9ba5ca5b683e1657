import { readFileSync } from 'node:fs';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { ImportError } from './import-error.js';
import { type IstatComuneRow, parseIstatComuni } from './istat-comuni.parser.js';

const REAL = readFileSync(
  new URL('../../../reference/istat/Elenco-comuni-italiani-2020-01-01.csv', import.meta.url),
);
const FIXTURES = new URL('../../../test/fixtures/territory/', import.meta.url);
const fixture = (name: string) => readFileSync(new URL(name, FIXTURES));

/** The real file as text (windows-1252 decoded), and helpers to build broken variants from it. */
const REAL_TEXT = iconv.decode(REAL, 'windows-1252');
const CRLF = '\r\n';
const REAL_LINES = REAL_TEXT.split(CRLF); // physical lines; the last element is '' (final CRLF)
const latin1 = (text: string) => iconv.encode(text, 'windows-1252');
const lineOf = (code: string) => REAL_LINES.findIndex((l) => l.split(';')[4] === code) + 1;

/** Runs the parser expecting an ImportError and returns it. */
function importError(input: Buffer): ImportError {
  try {
    parseIstatComuni(input);
  } catch (err) {
    expect(err).toBeInstanceOf(ImportError);
    return err as ImportError;
  }
  throw new Error('expected an ImportError');
}

/** Applies `edit` to the cells of every record: header (physical lines 1-3) and data lines. */
function editColumns(edit: (cells: string[], isHeader: boolean) => string[]): Buffer {
  const header = REAL_LINES.slice(0, 3).join(CRLF);
  const data = REAL_LINES.slice(3).filter((l) => l !== '');
  const out = [
    edit(header.split(';'), true).join(';'),
    ...data.map((l) => edit(l.split(';'), false).join(';')),
  ];
  return latin1(out.join(CRLF) + CRLF);
}

function withLine(lineNo: number, replace: (line: string) => string): Buffer {
  const lines = [...REAL_LINES];
  lines[lineNo - 1] = replace(lines[lineNo - 1] as string);
  return latin1(lines.join(CRLF));
}

describe('parseIstatComuni on the real ISTAT list (1 January 2020)', () => {
  const rows = parseIstatComuni(REAL);
  const byCode = new Map(rows.map((r) => [r.istatCode, r]));
  const get = (code: string): IstatComuneRow => {
    const row = byCode.get(code);
    if (!row) throw new Error(`missing ${code}`);
    return row;
  };

  it('reads every comune (7,904 at 1/1/2020)', () => {
    expect(rows).toHaveLength(7904);
    expect(new Set(rows.map((r) => r.belfiore)).size).toBe(7904);
    expect(rows.filter((r) => r.isCapoluogo)).toHaveLength(109);
  });

  it('uses physical line numbers (the header spans 3 lines)', () => {
    expect(rows[0]).toMatchObject({ line: 4, istatCode: '001001' });
    expect(rows.at(-1)).toMatchObject({ line: 7907, istatCode: '111107', name: 'Villaspeciosa' });
  });

  it('decodes windows-1252 accents, including Š/ž outside Latin-1', () => {
    expect(get('001001')).toEqual({
      line: 4,
      istatCode: '001001',
      name: 'Agliè',
      nameOther: null,
      regionCode: '01',
      regionName: 'Piemonte',
      provinceCode: '001',
      provinceName: 'Torino',
      provinceAbbr: 'TO',
      belfiore: 'A074',
      legalPopulation: 2644,
      isCapoluogo: false,
    });
    expect(get('031019').nameOther).toBe('Števerjan');
    expect(get('032001').nameOther).toBe('Devin Nabrežina');
    expect(get('021001')).toMatchObject({
      name: 'Aldino',
      nameOther: 'Aldein',
      regionName: 'Trentino-Alto Adige/Südtirol',
    });
  });

  it('reads the Lombard comuni of the demo Ambito', () => {
    expect(get('015146')).toMatchObject({
      name: 'Milano',
      belfiore: 'F205',
      provinceCode: '015',
      provinceAbbr: 'MI',
      provinceName: 'Milano',
      regionCode: '03',
      regionName: 'Lombardia',
      legalPopulation: 1242123,
      isCapoluogo: true,
    });
    expect(get('108033')).toMatchObject({
      name: 'Monza',
      belfiore: 'F704',
      provinceCode: '108',
      provinceAbbr: 'MB',
      provinceName: 'Monza e della Brianza',
      isCapoluogo: true,
    });
    expect(get('015209')).toMatchObject({
      name: 'Sesto San Giovanni',
      belfiore: 'I690',
      legalPopulation: 76514,
    });
    expect(get('015081')).toMatchObject({
      name: 'Cologno Monzese',
      belfiore: 'C895',
      legalPopulation: 45786,
    });
    expect(get('015016')).toMatchObject({
      name: 'Bellinzago Lombardo',
      belfiore: 'A751',
      legalPopulation: 3810,
    });
    // Azzate is 012006; 012007 is Azzio.
    expect(get('012006')).toMatchObject({ name: 'Azzate', provinceAbbr: 'VA', belfiore: 'A531' });
    expect(get('012007').name).toBe('Azzio');
  });

  it('trims stray spaces (" 001 ", "1.640 ")', () => {
    for (const r of rows) {
      for (const v of [r.istatCode, r.name, r.provinceCode, r.belfiore ?? '']) expect(v).toBe(v.trim());
    }
    expect(rows.every((r) => r.istatCode.startsWith(r.provinceCode))).toBe(true);
  });

  it('accepts the same list in UTF-8, with or without BOM, and with LF line endings', () => {
    const utf8 = Buffer.from(REAL_TEXT, 'utf8');
    const strip = (rs: IstatComuneRow[]) => rs.map(({ line: _line, ...rest }) => rest);
    expect(parseIstatComuni(utf8)).toEqual(rows);
    expect(parseIstatComuni(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), utf8]))).toEqual(rows);
    expect(strip(parseIstatComuni(Buffer.from(REAL_TEXT.replaceAll(CRLF, '\n'), 'utf8')))).toEqual(
      strip(rows),
    );
  });

  it('finds columns by name: reordered and extra columns still work', () => {
    const reordered = editColumns((cells, isHeader) => [
      isHeader ? '"Colonna nuova\r\n(dal 2025)"' : 'x',
      ...cells.reverse(),
    ]);
    // The extra header cell spans one more physical line, so every record moves down by one.
    expect(parseIstatComuni(reordered)).toEqual(rows.map((r) => ({ ...r, line: r.line + 1 })));
  });

  it('treats the population column as optional', () => {
    const noPopulation = editColumns((cells) => cells.filter((_, i) => i !== 19));
    const parsed = parseIstatComuni(noPopulation);
    expect(parsed).toHaveLength(7904);
    expect(parsed.every((r) => r.legalPopulation === null)).toBe(true);
  });
});

describe('parseIstatComuni on broken variants of the real file', () => {
  it('refuses UTF-8 mojibake (Latin-1 text converted to UTF-8 twice)', () => {
    const twice = Buffer.from(Buffer.from(REAL_TEXT, 'utf8').toString('latin1'), 'utf8');
    const err = importError(twice);
    expect(err.line).toBe(1); // "Unità" in the header
    expect(err.reason).toMatch(/^codifica non valida: atteso Latin-1 o UTF-8/);
    expect(err.message).toMatch(/^line 1: codifica non valida/);
  });

  it('refuses mojibake that appears only in a data row, at that row', () => {
    const line = lineOf('001001');
    const text = REAL_TEXT.replace('Agliè;Agliè', 'AgliÃ¨;AgliÃ¨');
    const err = importError(Buffer.from(text, 'utf8'));
    expect(err.line).toBe(line);
    expect(err.reason).toContain('Ã¨');
  });

  it('refuses a UTF-8 file (with BOM) containing Latin-1 bytes, at the offending line', () => {
    const utf8 = Buffer.from(REAL_TEXT, 'utf8');
    const bad = Buffer.concat([
      Buffer.from([0xef, 0xbb, 0xbf]),
      utf8.subarray(0, utf8.indexOf('Sesto San Giovanni')),
      Buffer.from([0xe8]),
      utf8.subarray(utf8.indexOf('Sesto San Giovanni')),
    ]);
    const err = importError(bad);
    expect(err.line).toBe(lineOf('015209'));
    expect(err.reason).toMatch(/codifica non valida/);
  });

  it('refuses bytes undefined in windows-1252', () => {
    const bytes = Buffer.from(REAL);
    bytes[bytes.indexOf('Airasca')] = 0x81;
    const err = importError(bytes);
    expect(err.line).toBe(lineOf('001002'));
    expect(err.reason).toMatch(/codifica non valida/);
  });

  it('names a missing required column at line 1', () => {
    const err = importError(editColumns((cells) => cells.filter((_, i) => i !== 18)));
    expect(err.line).toBe(1);
    expect(err.field).toBe('belfiore');
    expect(err.reason).toBe('colonne obbligatorie mancanti: "Codice Catastale del comune"');
  });

  it('lists every missing required column', () => {
    const err = importError(editColumns((cells) => cells.filter((_, i) => i !== 4 && i !== 13)));
    expect(err.line).toBe(1);
    expect(err.field).toBe('istatCode');
    expect(err.reason).toContain('"Codice Comune formato alfanumerico"');
    expect(err.reason).toContain('"Sigla automobilistica"');
  });

  it('refuses a malformed ISTAT code', () => {
    const line = lineOf('015146');
    const err = importError(withLine(line, (l) => l.replace(';015146;', ';01A146;')));
    expect(err).toMatchObject({ line, field: 'istatCode' });
    expect(err.message).toBe(`line ${line}: codice ISTAT "01A146" non valido (attese 6 cifre)`);
  });

  it('hints at spreadsheets when leading zeros were stripped', () => {
    const err = importError(withLine(4, (l) => l.replace(';001001;', ';1001;')));
    expect(err).toMatchObject({ line: 4, field: 'istatCode' });
    expect(err.reason).toContain('zeri iniziali');
  });

  it('refuses a malformed Belfiore code', () => {
    const line = lineOf('108033');
    const err = importError(withLine(line, (l) => l.replace(';F704;', ';F70;')));
    expect(err).toMatchObject({ line, field: 'belfiore' });
    expect(err.reason).toContain('codice catastale (Belfiore) "F70" non valido');
  });

  it('reads a cadastral code not yet assigned (N.D., or an empty cell) as unknown, keeping the comune', () => {
    // A comune just created by a merger: ISTAT lists it before the Agenzia delle Entrate assigns its code.
    const monza = lineOf('108033');
    const milano = lineOf('015146');
    const lines = [...REAL_LINES];
    lines[monza - 1] = (lines[monza - 1] as string).replace(';F704;', ';N.D.;');
    lines[milano - 1] = (lines[milano - 1] as string).replace(';F205;', ';;');
    const rows = parseIstatComuni(latin1(lines.join(CRLF)));
    expect(rows).toHaveLength(7904);
    const byCode = new Map(rows.map((r) => [r.istatCode, r]));
    expect(byCode.get('108033')).toMatchObject({ line: monza, name: 'Monza', belfiore: null });
    expect(byCode.get('015146')).toMatchObject({ line: milano, name: 'Milano', belfiore: null });
    // Two unknown codes are not a duplicate; the known ones are read as before.
    expect(byCode.get('001001')?.belfiore).toBe('A074');
    expect(rows.filter((r) => r.belfiore === null)).toHaveLength(2);
  });

  it.each(['2,644', 'abc', '2.64', '-5'])('refuses a malformed population (%s)', (value) => {
    const err = importError(withLine(4, (l) => l.replace(';2.644;', `;${value};`)));
    expect(err).toMatchObject({ line: 4, field: 'legalPopulation' });
    expect(err.reason).toContain(`popolazione legale "${value}" non valida`);
  });

  it('refuses other malformed fields', () => {
    expect(importError(withLine(4, (l) => l.replace(';TO;', ';To;')))).toMatchObject({
      line: 4,
      field: 'provinceAbbr',
    });
    expect(importError(withLine(4, (l) => l.replace(/^01;/, '1;')))).toMatchObject({
      line: 4,
      field: 'regionCode',
    });
    expect(importError(withLine(4, (l) => l.replace(';Torino;0;TO;', ';Torino;x;TO;')))).toMatchObject({
      line: 4,
      field: 'isCapoluogo',
    });
    expect(importError(withLine(4, (l) => l.replace(';Agliè;Agliè;', ';Agliè;  ;')))).toMatchObject({
      line: 4,
      field: 'name',
    });
  });

  it('refuses a duplicated line, naming the earlier one', () => {
    const lines = [...REAL_LINES];
    lines.splice(10, 0, lines[3] as string); // copy of line 4 (Agliè) becomes line 11
    const err = importError(latin1(lines.join(CRLF)));
    expect(err).toMatchObject({ line: 11, field: 'istatCode' });
    expect(err.reason).toBe('codice ISTAT "001001" duplicato (già presente alla riga 4)');
  });

  it('refuses a duplicated Belfiore code, naming the earlier line', () => {
    const err = importError(withLine(5, (l) => l.replace(';A109;', ';A074;')));
    expect(err).toMatchObject({ line: 5, field: 'belfiore' });
    expect(err.reason).toContain('già presente alla riga 4');
  });

  it('refuses a last line truncated mid-row', () => {
    const lastStart = REAL.lastIndexOf(Buffer.from('\r\n20;111;111; 107 ;')) + 2;
    const err = importError(REAL.subarray(0, lastStart + 40));
    expect(err.line).toBe(7907);
    expect(err.reason).toMatch(/^riga incompleta: \d+ campi invece dei 23/);
  });

  it('refuses a row with extra fields', () => {
    const err = importError(withLine(100, (l) => `${l};`));
    expect(err.line).toBe(100);
    expect(err.reason).toContain('24 campi invece dei 23');
  });

  it('refuses an unterminated quote at the line where it opens', () => {
    const line = lineOf('015209');
    const err = importError(
      withLine(line, (l) => l.replace(';Sesto San Giovanni;', ';"Sesto San Giovanni;')),
    );
    expect(err.line).toBe(line);
    expect(err.reason).toMatch(/^virgolette non chiuse/);
  });

  it('refuses a stray quote inside a field', () => {
    const closing = importError(withLine(4, (l) => l.replace(';Agliè;Agliè;', ';"Agliè"x;Agliè;')));
    expect(closing.line).toBe(4);
    expect(closing.reason).toMatch(/^virgolette \("\) in posizione non valida/);
    const opening = importError(withLine(5, (l) => l.replace(';Airasca;', ';Air"asca;')));
    expect(opening.line).toBe(5);
    expect(opening.reason).toMatch(/^virgolette \("\) in posizione non valida/);
  });

  it('refuses empty files and header-only files', () => {
    expect(importError(Buffer.alloc(0))).toMatchObject({ line: 1, reason: 'file vuoto' });
    expect(importError(Buffer.from([0xef, 0xbb, 0xbf, 0x0d, 0x0a]))).toMatchObject({
      line: 1,
      reason: 'file vuoto',
    });
    const headerOnly = importError(latin1(REAL_LINES.slice(0, 3).join(CRLF) + CRLF));
    expect(headerOnly.line).toBe(4);
    expect(headerOnly.reason).toMatch(/nessun comune/);
  });

  it('refuses a file with a different separator', () => {
    const err = importError(Buffer.from('a,b,c\r\n1,2,3\r\n'));
    expect(err.line).toBe(1);
    expect(err.reason).toMatch(/";"/);
  });
});

describe('parseIstatComuni on the fixtures', () => {
  it('reads the mini list', () => {
    const rows = parseIstatComuni(fixture('istat-comuni-mini.csv'));
    expect(rows.map((r) => [r.line, r.istatCode, r.belfiore])).toEqual([
      [4, '001001', 'A074'],
      [5, '015016', 'A751'],
      [6, '015081', 'C895'],
      [7, '015146', 'F205'],
      [8, '015209', 'I690'],
      [9, '108033', 'F704'],
      [10, '021001', 'A179'],
      [11, '031019', 'H845'],
    ]);
  });

  it('reports the bad code of the broken mini list', () => {
    const err = importError(fixture('istat-comuni-mini-bad-code.csv'));
    expect(err).toMatchObject({ line: 8, field: 'istatCode' });
    expect(err.reason).toContain('"01520X"');
  });
});
