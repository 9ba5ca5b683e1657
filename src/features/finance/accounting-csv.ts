/**
 * The accounting system's CSV of commitments (impegni) and payments (liquidazioni), read and
 * checked on its own: encoding, header, every field of every row. Pure: the checks against the
 * registry and the money already moved are in finance.import.ts.
 *
 * The format (also in the import route's summary): `;`-separated, UTF-8 with or without BOM (windows-1252 when it is not valid UTF-8),
 * first line exactly `tipo;anno;numero;data;importo;linea;impegno;atto_tipo;atto_numero;atto_data;
 * beneficiario_tipo;beneficiario;comune_istat;descrizione`; then one row per movement:
 * - tipo: `impegno` or `liquidazione`; anno: the financial year; numero: the accounting number,
 *   unique per tipo and anno; data: dd/mm/yyyy, within anno; importo: Italian format ("1.234,56");
 * - impegno: linea = the code of a budget line of anno; beneficiario_tipo (comune, ente,
 *   beneficiari), beneficiario, comune_istat (required for a Comune) and descrizione;
 * - liquidazione: impegno = the number of a commitment of anno, already registered or on an earlier
 *   row of the file; beneficiario defaults to the commitment's; linea, beneficiario_tipo and
 *   comune_istat may be left empty and otherwise must match the commitment; descrizione is ignored;
 * - atto_tipo, atto_numero, atto_data: the act that decided it, already in the registry.
 * Every row is checked before anything is written and every error comes back with its line (the
 * header is line 1). A row already registered with the same data is left as it is; with different
 * data it is an error: the import never changes what the accounting already recorded.
 */
import { isUtf8 } from 'node:buffer';
import { Readable } from 'node:stream';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { CsvError, parse } from 'csv-parse';
import iconv from 'iconv-lite';
import { z } from 'zod';
import { DomainError } from '../../http/errors.js';
import { assertSize, tooLarge } from '../../uploads/limits.js';
import { ACT_KINDS } from '../plan/plan.schemas.js';
import { CONTROL_RE, firstInvalidUtf8Line, lineAt, MOJIBAKE_RE } from '../territory/import-error.js';
import { PAYEE_KINDS } from './finance.schemas.js';
import { AmountError, parseEuroAmount } from './money.js';

export const IMPORT_HEADER = [
  'tipo',
  'anno',
  'numero',
  'data',
  'importo',
  'linea',
  'impegno',
  'atto_tipo',
  'atto_numero',
  'atto_data',
  'beneficiario_tipo',
  'beneficiario',
  'comune_istat',
  'descrizione',
] as const;
export type Column = (typeof IMPORT_HEADER)[number];
export type PayeeKind = (typeof PAYEE_KINDS)[number];

const Issue = z.object({ line: z.number().int(), field: z.string(), reason: z.string() });
export type ImportIssue = z.infer<typeof Issue>;
const Change = z.object({
  line: z.number().int(),
  kind: z.enum(['impegno', 'liquidazione']),
  year: z.number().int(),
  number: z.string(),
  action: z.enum(['insert', 'unchanged']),
  amountCents: z.number().int(),
  budgetLine: z.string(),
  commitment: z.string().nullable().describe('per una liquidazione: il numero dell’impegno'),
});
export type ImportChange = z.infer<typeof Change>;
export const ImportResult = z.object({
  dryRun: z.boolean(),
  changes: z.array(Change),
  errors: z.array(Issue),
  counts: z.object({
    commitments: z.number().int(),
    payments: z.number().int(),
    unchanged: z.number().int(),
  }),
});
export type ImportResult = z.infer<typeof ImportResult>;

interface RowBase {
  line: number;
  year: number;
  number: string;
  date: string;
  amountCents: number;
  act: string;
  actText: string;
  lineCode: string;
  payeeKind: PayeeKind | null;
  payeeName: string;
  comuneIstat: string | null;
}
export type Row =
  | (RowBase & { kind: 'impegno'; payeeKind: PayeeKind; description: string })
  | (RowBase & { kind: 'liquidazione'; commitment: string });
export interface ParsedFile {
  rows: Row[];
  errors: ImportIssue[];
  /** The line of every impegno in the file, valid or not, by `year|number`. */
  commitmentLines: Map<string, number>;
}

const MAX_CENTS = 100_000_000_000_00;
export const MAX_ERRORS = 200;

/**
 * What one import may hold: a year of an Ambito's movements is a few thousand rows. The lines and
 * separators are counted before parsing (a 5 MB line of `;` is five million fields), the rows
 * while parsing; the parse goes by slices, giving the event loop a turn after each.
 */
export const CSV_LIMITS = {
  file: 'Il file della contabilità',
  maxBytes: 5 * 1024 * 1024,
  maxLines: 25_000,
  maxSeparators: 500_000,
  maxRows: 20_000,
  /** A row is at most about 1,500 characters (the longest field, descrizione, is 1,000). */
  maxRecordChars: 10_000,
} as const;
const SLICE = 16 * 1024;
const fmt = (n: number) => n.toLocaleString('it-IT');
export const actKey = (kind: string, number: string, date: string) => `${kind}|${number}|${date}`;

/** Windows-1252 when not UTF-8, as spreadsheets on Italian Windows save CSV files. */
function decode(buf: Buffer, errors: ImportIssue[]): string | null {
  const fail = (line: number, reason: string) => {
    errors.push({ line, field: 'file', reason: `codifica non valida: ${reason}` });
    return null;
  };
  let text: string;
  if (isUtf8(buf)) text = buf.toString('utf8');
  else if (buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf)
    return fail(firstInvalidUtf8Line(buf) ?? 1, 'il file dichiara UTF-8 ma contiene byte non validi');
  else text = iconv.decode(buf, 'windows-1252');
  text = text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  const checks: Array<[RegExp, string]> = [
    [/\uFFFD/, 'carattere non decodificabile'],
    [MOJIBAKE_RE, 'testo UTF-8 letto come windows-1252 (file convertito due volte?)'],
    [CONTROL_RE, 'carattere di controllo'],
  ];
  for (const [re, reason] of checks) {
    const m = re.exec(text);
    if (m) return fail(lineAt(text, m.index), reason);
  }
  return text;
}

/** Lines and separators counted in one cheap pass, before the parser spends a call on each field. */
function checkShape(text: string): void {
  let lines = 1;
  let separators = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) lines++;
    else if (c === 59) separators++;
  }
  const { file, maxLines, maxSeparators, maxRows } = CSV_LIMITS;
  if (lines > maxLines)
    throw tooLarge(
      file,
      `contiene ${fmt(lines)} righe, il massimo è ${fmt(maxLines)} (al più ${fmt(maxRows)} movimenti per importazione): dividere il file`,
    );
  if (separators > maxSeparators)
    throw tooLarge(
      file,
      `contiene ${fmt(separators)} separatori «;», il massimo è ${fmt(maxSeparators)}: non sembra un file della contabilità`,
    );
}

/** The text in slices, with a turn of the event loop between them, so other requests go on. */
async function* slices(text: string): AsyncGenerator<string> {
  for (let i = 0; i < text.length; i += SLICE) {
    yield text.slice(i, i + SLICE);
    await nextTurn();
  }
}

/** Records with the physical line they start on (a quoted cell may span lines). */
async function readRecords(text: string): Promise<{
  records: Array<{ line: number; fields: string[] }>;
  error?: ImportIssue;
}> {
  checkShape(text);
  const records: Array<{ line: number; fields: string[] }> = [];
  let lastEnd = 0;
  let tooMany = false;
  const parser = parse({
    delimiter: ';',
    skip_empty_lines: true,
    skip_records_with_empty_values: true,
    relax_column_count: true,
    max_record_size: CSV_LIMITS.maxRecordChars,
    // Collected here rather than read from the stream: a parse error must not lose the rows before it.
    on_record: (record: string[], context) => {
      if (tooMany) return null;
      const newlines = record.reduce((n, f) => n + f.split('\n').length - 1, 0);
      records.push({ line: context.lines - newlines, fields: record });
      lastEnd = context.lines;
      // The header and one row past the limit: enough to say the file is too long.
      if (records.length > CSV_LIMITS.maxRows + 1) {
        tooMany = true;
        parser.destroy(
          tooLarge(
            CSV_LIMITS.file,
            `contiene più di ${fmt(CSV_LIMITS.maxRows)} movimenti, il massimo per un’importazione: dividere il file`,
          ),
        );
      }
      return null;
    },
  });
  const source = Readable.from(slices(text));
  try {
    source.pipe(parser);
    for await (const _ of parser);
  } catch (e) {
    if (!(e instanceof CsvError)) throw e;
    // The rows read so far are still checked; what follows cannot be told apart.
    const quote = e.code === 'CSV_QUOTE_NOT_CLOSED';
    const long = e.code === 'CSV_MAX_RECORD_SIZE';
    const error = {
      line: quote || long || typeof e.lines !== 'number' ? lastEnd + 1 : e.lines,
      field: 'file',
      reason: quote
        ? 'virgolette (") aperte e mai chiuse: il resto del file non è leggibile'
        : long
          ? `riga di oltre ${fmt(CSV_LIMITS.maxRecordChars)} caratteri: il resto del file non è leggibile`
          : 'virgolette (") in posizione non valida: il resto del file non è leggibile',
    };
    return { records, error };
  } finally {
    source.destroy();
    parser.destroy();
  }
  return { records };
}

function isoDate(text: string): string | null {
  const m = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(text);
  if (!m) return null;
  const iso = `${m[3]}-${m[2]?.padStart(2, '0')}-${m[1]?.padStart(2, '0')}`;
  const d = new Date(`${iso}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === iso ? iso : null;
}

function parseRow(line: number, fields: string[], file: ParsedFile): Row | null {
  const before = file.errors.length;
  const get = (c: Column) => (fields[IMPORT_HEADER.indexOf(c)] ?? '').trim();
  const err = (field: Column, reason: string) => file.errors.push({ line, field, reason });
  const text = (c: Column, min: number, max: number) => {
    const v = get(c);
    if (!v && min > 0) err(c, 'obbligatorio');
    else if (v && (v.length < min || v.length > max)) err(c, `da ${min} a ${max} caratteri`);
    return v;
  };
  const kind = get('tipo').toLowerCase();
  if (kind !== 'impegno' && kind !== 'liquidazione') err('tipo', 'indicare «impegno» o «liquidazione»');
  const year = /^\d{4}$/.test(get('anno')) ? Number(get('anno')) : 0;
  if (year < 2000 || year > 2100) err('anno', 'anno di quattro cifre tra 2000 e 2100');
  const number = text('numero', 1, 40);
  if (kind === 'impegno' && year && number && !file.commitmentLines.has(`${year}|${number}`))
    file.commitmentLines.set(`${year}|${number}`, line);
  const date = isoDate(get('data'));
  if (!date) err('data', 'data non valida: usare gg/mm/aaaa');
  else if (year && Number(date.slice(0, 4)) !== year) err('data', `la data non cade nell’anno ${year}`);
  let amountCents = 0;
  try {
    amountCents = parseEuroAmount(get('importo'));
    if (amountCents === 0) err('importo', 'l’importo deve essere maggiore di zero');
    else if (amountCents > MAX_CENTS) err('importo', 'importo oltre 100 miliardi di euro');
  } catch (e) {
    if (!(e instanceof AmountError)) throw e;
    err('importo', e.message);
  }
  const lineCode = get('linea');
  if (kind === 'impegno' && !lineCode)
    err('linea', 'obbligatoria per un impegno: il codice della linea di bilancio');
  else if (lineCode && !/^[A-Za-z0-9._/-]{1,40}$/.test(lineCode)) err('linea', 'codice di linea non valido');
  const commitment = get('impegno');
  if (kind === 'liquidazione' && !commitment)
    err('impegno', 'obbligatorio per una liquidazione: il numero dell’impegno');
  if (kind === 'impegno' && commitment && commitment !== number)
    err('impegno', 'da lasciare vuoto per un impegno');
  const actKind = get('atto_tipo');
  if (!(ACT_KINDS as readonly string[]).includes(actKind))
    err('atto_tipo', `uno tra: ${ACT_KINDS.join(', ')}`);
  const actNumber = text('atto_numero', 1, 40);
  const actDate = isoDate(get('atto_data'));
  if (!actDate) err('atto_data', 'data non valida: usare gg/mm/aaaa');
  const payeeKind = get('beneficiario_tipo') as PayeeKind;
  if (payeeKind && !PAYEE_KINDS.includes(payeeKind))
    err('beneficiario_tipo', `uno tra: ${PAYEE_KINDS.join(', ')}`);
  else if (!payeeKind && kind === 'impegno') err('beneficiario_tipo', 'obbligatorio per un impegno');
  const payeeName = text('beneficiario', kind === 'impegno' ? 2 : 0, 200);
  if (payeeName.length === 1) err('beneficiario', 'almeno 2 caratteri');
  const comuneIstat = get('comune_istat') || null;
  if (comuneIstat && !/^\d{6}$/.test(comuneIstat)) err('comune_istat', 'codice ISTAT di 6 cifre');
  else if (!comuneIstat && kind === 'impegno' && payeeKind === 'comune')
    err('comune_istat', 'per un Comune beneficiario indicare il codice ISTAT');
  const description = text('descrizione', 0, 1000);
  if (file.errors.length > before || !date || !actDate) return null;
  const base = { line, year, number, date, amountCents, lineCode, payeeName, comuneIstat };
  const act = {
    act: actKey(actKind, actNumber, actDate),
    actText: `${actKind} n. ${actNumber} del ${get('atto_data')}`,
  };
  return kind === 'impegno'
    ? { ...base, ...act, kind, payeeKind, description }
    : { ...base, ...act, kind: 'liquidazione', payeeKind: payeeKind || null, commitment };
}

/**
 * The file read and checked on its own, before any look at the database. Past its limits (size,
 * lines, rows) it is refused whole with a 413; otherwise every error comes back with its line.
 */
export async function parseAccountingCsv(buf: Buffer): Promise<ParsedFile> {
  assertSize(buf, CSV_LIMITS.file, CSV_LIMITS.maxBytes);
  const file: ParsedFile = { rows: [], errors: [], commitmentLines: new Map() };
  const text = decode(buf, file.errors);
  if (text === null) return file;
  const { records, error } = await readRecords(text);
  const [header, ...rows] = records;
  const expected = IMPORT_HEADER.join(';');
  if (!header) {
    file.errors.push(error ?? { line: 1, field: 'file', reason: 'file vuoto' });
    return file;
  }
  // A wrong header is the one error reported: the rows below it cannot be read by name.
  if (header.fields.map((f) => f.trim()).join(';') !== expected) {
    const comma = header.fields.length === 1 && (header.fields[0] ?? '').includes(',');
    file.errors.push({
      line: header.line,
      field: 'intestazione',
      reason: `intestazione non valida${comma ? ' (separatore «,» invece di «;»?)' : ''}: attesa «${expected}»`,
    });
    return file;
  }
  for (const [i, r] of rows.entries()) {
    if (i % 1000 === 999) await nextTurn();
    if (r.fields.length !== IMPORT_HEADER.length) {
      file.errors.push({
        line: r.line,
        field: 'riga',
        reason: `${r.fields.length} campi invece di ${IMPORT_HEADER.length} (separatore «;» mancante o in più?)`,
      });
      continue;
    }
    const row = parseRow(r.line, r.fields, file);
    if (row) file.rows.push(row);
  }
  if (error) file.errors.push(error);
  return file;
}

/** The services' field names as the file's columns. */
export const COLUMN_OF: Record<string, Column> = {
  amountCents: 'importo',
  year: 'anno',
  number: 'numero',
  date: 'data',
  budgetLineId: 'linea',
  commitmentId: 'impegno',
  actId: 'atto_numero',
  comuneIstat: 'comune_istat',
};

export function fileErrors(errors: ImportIssue[]): DomainError {
  const shown = errors.slice(0, MAX_ERRORS);
  const more = errors.length - shown.length;
  return new DomainError(
    'INVALID',
    `Il file contiene ${errors.length === 1 ? 'un errore' : `${errors.length} errori`}: nessun dato è stato importato`,
    [
      ...shown.map((e) => ({ field: `riga ${e.line}: ${e.field}`, reason: e.reason })),
      ...(more > 0 ? [{ field: 'file', reason: `altri ${more} errori non elencati` }] : []),
    ],
  );
}
