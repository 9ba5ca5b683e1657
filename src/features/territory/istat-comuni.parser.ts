/**
 * Parser for the ISTAT "Elenco dei comuni italiani" CSV
 * (https://www.istat.it/classificazione/codici-dei-comuni-delle-province-e-delle-regioni/).
 *
 * The file is `;`-separated, CRLF, usually windows-1252 ("Latin-1") encoded, with a header whose
 * cells may span several physical lines (quoted cells with embedded newlines). Columns are located
 * by normalised header name, not by position, so newer lists with extra or reordered columns work.
 *
 * All-or-nothing: any problem throws an {@link ImportError} with the physical line number.
 */
import { isUtf8 } from 'node:buffer';
import { CsvError } from 'csv-parse';
import { parse } from 'csv-parse/sync';
import iconv from 'iconv-lite';
import {
  CONTROL_RE,
  firstInvalidUtf8Line,
  ImportError,
  lineAt,
  MOJIBAKE_RE,
  normalizeHeader,
} from './import-error.js';

export interface IstatComuneRow {
  /** Physical (1-based) line of the file where the record starts. */
  line: number;
  /** Codice comune formato alfanumerico: 6 digits, leading zeros kept (e.g. `001001`). */
  istatCode: string;
  /** Denominazione in italiano. */
  name: string;
  /** Denominazione altra lingua (German, French, Slovenian…), `null` when absent. */
  nameOther: string | null;
  /** Codice regione, 2 digits. */
  regionCode: string;
  regionName: string;
  /** Codice Provincia (Storico), 3 digits: the first 3 digits of the ISTAT code. */
  provinceCode: string;
  /** Denominazione dell'Unità territoriale sovracomunale (provincia / città metropolitana…). */
  provinceName: string;
  /** Sigla automobilistica, 2 uppercase letters. */
  provinceAbbr: string;
  /**
   * Codice catastale (Belfiore): a letter and 3 digits (e.g. `F205`); `null` while not yet assigned,
   * as ISTAT lists a comune just created by a merger (`N.D.`, or an empty cell).
   */
  belfiore: string | null;
  /** Popolazione legale (last census); `null` when the column is absent or the cell empty. */
  legalPopulation: number | null;
  /** Flag comune capoluogo di provincia / città metropolitana / libero consorzio. */
  isCapoluogo: boolean;
}

type Field = Exclude<keyof IstatComuneRow, 'line'>;

interface ColumnSpec {
  field: Field;
  /** Header as it appears in the ISTAT file, used in error messages. */
  label: string;
  /** Normalised header prefixes, tried in order (exact match preferred over prefix match). */
  keys: string[];
  required: boolean;
}

const COLUMNS: ColumnSpec[] = [
  { field: 'regionCode', label: 'Codice Regione', keys: ['codice regione'], required: true },
  {
    field: 'provinceCode',
    label: 'Codice Provincia (Storico)',
    keys: ['codice provincia (storico)', 'codice provincia'],
    required: true,
  },
  {
    field: 'istatCode',
    label: 'Codice Comune formato alfanumerico',
    keys: ['codice comune formato alfanumerico'],
    required: true,
  },
  { field: 'name', label: 'Denominazione in italiano', keys: ['denominazione in italiano'], required: true },
  {
    field: 'nameOther',
    label: 'Denominazione altra lingua',
    keys: ['denominazione altra lingua'],
    required: false,
  },
  { field: 'regionName', label: 'Denominazione regione', keys: ['denominazione regione'], required: true },
  {
    field: 'provinceName',
    label: "Denominazione dell'Unità territoriale sovracomunale",
    keys: ["denominazione dell'unita territoriale sovracomunale", 'denominazione provincia'],
    required: true,
  },
  {
    field: 'isCapoluogo',
    label: 'Flag Comune capoluogo di provincia',
    keys: ['flag comune capoluogo'],
    required: true,
  },
  { field: 'provinceAbbr', label: 'Sigla automobilistica', keys: ['sigla automobilistica'], required: true },
  {
    field: 'belfiore',
    label: 'Codice Catastale del comune',
    keys: ['codice catastale del comune', 'codice catastale'],
    required: true,
  },
  { field: 'legalPopulation', label: 'Popolazione legale', keys: ['popolazione legale'], required: false },
];

const ENCODING_REASON = 'codifica non valida: atteso Latin-1 o UTF-8';

/** Decodes the file: UTF-8 (with or without BOM) when valid, windows-1252 otherwise. */
function decode(input: Buffer): string {
  const hasBom = input.length >= 3 && input[0] === 0xef && input[1] === 0xbb && input[2] === 0xbf;
  let text: string;
  if (isUtf8(input)) {
    text = input.toString('utf8');
  } else if (hasBom) {
    // Declares UTF-8 but is not: reading it as Latin-1 would only produce garbage.
    const line = firstInvalidUtf8Line(input) ?? 1;
    throw new ImportError(line, `${ENCODING_REASON} (il file dichiara UTF-8 ma contiene byte non validi)`);
  } else {
    text = iconv.decode(input, 'windows-1252', { stripBOM: false });
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  // Fold CRLF (and old-Mac CR) to LF: csv-parse 6 counts a CRLF inside a quoted cell as two lines,
  // which would shift every physical line number after the 3-line header of the real file.
  text = text.replace(/\r\n?/g, '\n');

  const bad = text.indexOf('\uFFFD');
  if (bad !== -1) {
    throw new ImportError(lineAt(text, bad), `${ENCODING_REASON} (carattere non decodificabile)`);
  }
  const moji = MOJIBAKE_RE.exec(text);
  if (moji) {
    throw new ImportError(
      lineAt(text, moji.index),
      `${ENCODING_REASON} (trovato "${moji[0]}": testo UTF-8 letto come Latin-1, file convertito due volte?)`,
    );
  }
  const ctl = CONTROL_RE.exec(text);
  if (ctl) {
    const code = (ctl[0].codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0');
    throw new ImportError(lineAt(text, ctl.index), `${ENCODING_REASON} (carattere di controllo U+${code})`);
  }
  return text;
}

function countNewlines(fields: readonly unknown[]): number {
  let n = 0;
  for (const f of fields) {
    if (typeof f !== 'string') continue;
    for (let i = f.indexOf('\n'); i !== -1; i = f.indexOf('\n', i + 1)) n++;
  }
  return n;
}

/** First non-blank physical line at or after `from` (1-based). */
function nextNonBlankLine(lines: string[], from: number): number {
  for (let l = from; l <= lines.length; l++) if ((lines[l - 1] ?? '').trim() !== '') return l;
  return Math.max(1, Math.min(from, lines.length));
}

interface ParsedRecord {
  line: number;
  fields: string[];
}

/** Runs csv-parse and returns records with their starting physical line; CSV errors become ImportErrors. */
function readRecords(text: string): ParsedRecord[] {
  const records: ParsedRecord[] = [];
  let lastEnd = 0;
  let expected = 0;
  try {
    parse(text, {
      delimiter: ';',
      skip_empty_lines: true,
      relax_column_count: false,
      // `context.lines` is the physical line where the record ends (correct once CRLF is folded to LF).
      on_record: (record: string[], context) => {
        records.push({ line: context.lines - countNewlines(record), fields: record });
        if (expected === 0) expected = record.length;
        lastEnd = context.lines;
        return null; // records are collected here, not in csv-parse's result array
      },
    });
  } catch (err) {
    if (!(err instanceof CsvError)) throw err;
    const errLines = typeof err.lines === 'number' ? err.lines : lastEnd + 1;
    const record = Array.isArray(err.record) ? (err.record as unknown[]) : [];
    switch (err.code) {
      case 'CSV_RECORD_INCONSISTENT_FIELDS_LENGTH': {
        const line = errLines - countNewlines(record);
        const got = record.length;
        throw new ImportError(
          line,
          got < expected
            ? `riga incompleta: ${got} campi invece dei ${expected} dell'intestazione (riga troncata?)`
            : `riga con ${got} campi invece dei ${expected} dell'intestazione (separatore ";" in più?)`,
        );
      }
      case 'CSV_QUOTE_NOT_CLOSED':
        throw new ImportError(
          nextNonBlankLine(text.split('\n'), lastEnd + 1),
          'virgolette non chiuse: un campo tra virgolette (") si apre su questa riga e non viene mai chiuso',
        );
      case 'INVALID_OPENING_QUOTE':
      case 'CSV_INVALID_CLOSING_QUOTE':
        throw new ImportError(
          errLines,
          `virgolette (") in posizione non valida nel campo ${Number(err.column ?? 0) + 1}`,
        );
      default:
        throw new ImportError(errLines, `CSV non valido (${err.code})`);
    }
  }
  return records;
}

/** Index of the header cell matching the spec: exact match first, then prefix match, per key. */
function findColumn(headers: string[], spec: ColumnSpec): number {
  for (const key of spec.keys) {
    const exact = headers.indexOf(key);
    if (exact !== -1) return exact;
    const prefix = headers.findIndex((h) => h.startsWith(key));
    if (prefix !== -1) return prefix;
  }
  return -1;
}

const POPULATION_RE = /^(?:\d{1,3}(?:\.\d{3})+|\d+)$/;
/** "Non disponibile": how ISTAT marks a cadastral code not yet assigned (N.D., also seen as ND or n.d.). */
const NOT_ASSIGNED_RE = /^n\.?\s?d\.?$/i;

/**
 * Parses an ISTAT comuni list. Throws {@link ImportError} on the first problem found; returns the
 * rows in file order otherwise.
 */
export function parseIstatComuni(input: Buffer): IstatComuneRow[] {
  if (input.length === 0) throw new ImportError(1, 'file vuoto');
  const text = decode(input);
  if (text.trim() === '') throw new ImportError(1, 'file vuoto');

  const records = readRecords(text);
  const header = records[0];
  if (!header) throw new ImportError(1, 'file vuoto');
  if (header.fields.length < 2) {
    throw new ImportError(
      header.line,
      'intestazione non riconosciuta: atteso l\'elenco dei comuni ISTAT con campi separati da ";"',
    );
  }

  const headers = header.fields.map(normalizeHeader);
  const index = new Map<Field, number>();
  const missing: ColumnSpec[] = [];
  for (const spec of COLUMNS) {
    const i = findColumn(headers, spec);
    if (i === -1) {
      if (spec.required) missing.push(spec);
    } else {
      index.set(spec.field, i);
    }
  }
  if (missing.length > 0) {
    throw new ImportError(
      header.line,
      `colonne obbligatorie mancanti: ${missing.map((s) => `"${s.label}"`).join(', ')}`,
      missing[0]?.field,
    );
  }

  const rows: IstatComuneRow[] = [];
  const seenCode = new Map<string, number>();
  const seenBelfiore = new Map<string, number>();

  for (let r = 1; r < records.length; r++) {
    const { line, fields } = records[r] as ParsedRecord;
    if (fields.every((f) => f.trim() === '')) continue; // e.g. ";;;;" lines left by spreadsheets
    const get = (field: Field): string => {
      const i = index.get(field);
      return i === undefined ? '' : (fields[i] ?? '').trim();
    };
    const fail = (field: Field, reason: string): never => {
      throw new ImportError(line, reason, field);
    };

    const istatCode = get('istatCode');
    if (!/^\d{6}$/.test(istatCode)) {
      const hint = /^\d{1,5}$/.test(istatCode)
        ? '; il file è stato forse aperto e salvato con un foglio di calcolo, che toglie gli zeri iniziali'
        : '';
      fail('istatCode', `codice ISTAT "${istatCode}" non valido (attese 6 cifre${hint})`);
    }
    const regionCode = get('regionCode');
    if (!/^\d{2}$/.test(regionCode)) {
      fail('regionCode', `codice regione "${regionCode}" non valido (attese 2 cifre)`);
    }
    const provinceCode = get('provinceCode');
    if (!/^\d{3}$/.test(provinceCode)) {
      fail('provinceCode', `codice provincia "${provinceCode}" non valido (attese 3 cifre)`);
    }
    const name = get('name');
    if (name === '') fail('name', 'denominazione in italiano del comune mancante');
    const regionName = get('regionName');
    if (regionName === '') fail('regionName', 'denominazione della regione mancante');
    const provinceName = get('provinceName');
    if (provinceName === '')
      fail('provinceName', "denominazione dell'unità territoriale sovracomunale mancante");
    const provinceAbbr = get('provinceAbbr');
    if (!/^[A-Z]{2}$/.test(provinceAbbr)) {
      fail('provinceAbbr', `sigla automobilistica "${provinceAbbr}" non valida (attese 2 lettere maiuscole)`);
    }
    const belfioreText = get('belfiore');
    const belfiore = belfioreText === '' || NOT_ASSIGNED_RE.test(belfioreText) ? null : belfioreText;
    if (belfiore !== null && !/^[A-Z]\d{3}$/.test(belfiore)) {
      fail(
        'belfiore',
        `codice catastale (Belfiore) "${belfiore}" non valido (attesi una lettera maiuscola e 3 cifre, es. F205, oppure N.D. se non ancora assegnato)`,
      );
    }
    const capoluogo = get('isCapoluogo');
    if (capoluogo !== '0' && capoluogo !== '1') {
      fail('isCapoluogo', `flag comune capoluogo "${capoluogo}" non valido (atteso 0 o 1)`);
    }
    const populationText = get('legalPopulation');
    let legalPopulation: number | null = null;
    if (populationText !== '') {
      if (!POPULATION_RE.test(populationText)) {
        fail(
          'legalPopulation',
          `popolazione legale "${populationText}" non valida (atteso un numero intero, eventualmente con il punto per le migliaia, es. 2.644)`,
        );
      }
      legalPopulation = Number(populationText.replaceAll('.', ''));
    }
    const nameOther = get('nameOther');

    const earlierCode = seenCode.get(istatCode);
    if (earlierCode !== undefined) {
      fail('istatCode', `codice ISTAT "${istatCode}" duplicato (già presente alla riga ${earlierCode})`);
    }
    seenCode.set(istatCode, line);
    if (belfiore !== null) {
      const earlierBelfiore = seenBelfiore.get(belfiore);
      if (earlierBelfiore !== undefined) {
        fail(
          'belfiore',
          `codice catastale (Belfiore) "${belfiore}" duplicato (già presente alla riga ${earlierBelfiore})`,
        );
      }
      seenBelfiore.set(belfiore, line);
    }

    rows.push({
      line,
      istatCode,
      name,
      nameOther: nameOther === '' ? null : nameOther,
      regionCode,
      regionName,
      provinceCode,
      provinceName,
      provinceAbbr,
      belfiore,
      legalPopulation,
      isCapoluogo: capoluogo === '1',
    });
  }

  if (rows.length === 0) {
    const afterHeader = header.line + countNewlines(header.fields) + 1;
    throw new ImportError(afterHeader, "nessun comune nel file: c'è solo l'intestazione");
  }
  return rows;
}
