/**
 * Reading the plan workbook's cells: a sheet by its header names, a row's cells as text, codes,
 * numbers, dates, choices; every problem recorded with its sheet, row and column. Pure.
 */
import type ExcelJS from 'exceljs';
import { isSafeText, UNSAFE_TEXT_REASON } from '../../contract/text.js';
import type { FieldError } from '../../http/errors.js';
import { COLUMNS, cellRef, type SheetName, type Where } from './plan.xlsx.layout.js';

const CODE = /^[A-Za-z0-9._-]{1,20}$/;
const QUANTITY = /^-?\d{1,12}(\.\d{1,4})?$/;

const columnLetter = (n: number): string => {
  let s = '';
  for (let c = n; c > 0; c = Math.floor((c - 1) / 26)) s = String.fromCharCode(65 + ((c - 1) % 26)) + s;
  return s;
};

/** A cell's value without exceljs' wrappers (formulas, rich text, hyperlinks). */
function plain(value: ExcelJS.CellValue): unknown {
  if (value === null || value === undefined) return null;
  if (typeof value === 'object' && !(value instanceof Date)) {
    if ('result' in value) return plain(value.result as ExcelJS.CellValue);
    if ('richText' in value) return value.richText.map((t) => t.text).join('');
    if ('text' in value) return plain(value.text as ExcelJS.CellValue);
    if ('error' in value) return { error: value.error };
    return null;
  }
  return value;
}

export const isoOf = (d: Date) => d.toISOString().slice(0, 10);
const validIso = (iso: string) => {
  const d = new Date(`${iso}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && isoOf(d) === iso;
};

/** Reads a lookup by code or label, ignoring case and accents' absence is not forgiven. */
function byLabel<T extends string>(labels: Record<T, string> | readonly T[], text: string): T | undefined {
  const wanted = text.trim().toLowerCase();
  if (Array.isArray(labels)) return (labels as readonly T[]).find((v) => v.toLowerCase() === wanted);
  const entries = Object.entries(labels) as [T, string][];
  return entries.find(([k, l]) => k.toLowerCase() === wanted || l.toLowerCase() === wanted)?.[0];
}

export class SheetReader {
  readonly columns: Record<string, string> = {};
  private readonly index: Record<string, number> = {};
  ok = true;

  constructor(
    readonly name: SheetName,
    readonly ws: ExcelJS.Worksheet | undefined,
    private readonly errors: FieldError[],
  ) {
    if (!ws) {
      errors.push({ field: name, reason: `manca il foglio "${name}"` });
      this.ok = false;
      return;
    }
    const header = ws.getRow(1);
    const found = new Map<string, number>();
    header.eachCell((cell, col) => {
      const text = String(plain(cell.value) ?? '').trim();
      if (text) found.set(text.toLowerCase(), col);
    });
    for (const [i, h] of COLUMNS[name].entries()) {
      const col = found.get(h.toLowerCase());
      if (col === undefined) {
        errors.push({
          field: cellRef(name, 1, columnLetter(i + 1)),
          reason: `manca l’intestazione "${h}"`,
        });
        this.ok = false;
      } else {
        this.index[h] = col;
        this.columns[h] = columnLetter(col);
      }
    }
  }

  /** The data rows that are not entirely empty. */
  *rows(): Generator<RowReader> {
    if (!this.ok || !this.ws) return;
    for (let r = 2; r <= this.ws.rowCount; r++) {
      const row = this.ws.getRow(r);
      const values = Object.values(this.index).map((c) => plain(row.getCell(c).value));
      if (values.every((v) => v === null || (typeof v === 'string' && v.trim() === ''))) continue;
      yield new RowReader(this, row, r, this.index, this.errors);
    }
  }
}

export class RowReader {
  readonly at: Where;
  constructor(
    private readonly sheet: SheetReader,
    private readonly row: ExcelJS.Row,
    readonly rowNumber: number,
    private readonly index: Record<string, number>,
    private readonly errors: FieldError[],
  ) {
    this.at = { sheet: sheet.name, row: rowNumber };
  }

  error(header: string, reason: string): void {
    this.errors.push({
      field: cellRef(this.sheet.name, this.rowNumber, this.sheet.columns[header]),
      reason: `${header}: ${reason}`,
    });
  }

  raw(header: string): unknown {
    const col = this.index[header];
    return col === undefined ? null : plain(this.row.getCell(col).value);
  }

  text(header: string, o: { required?: boolean; max?: number } = {}): string {
    const v = this.raw(header);
    let s = '';
    if (v instanceof Date) s = isoOf(v);
    else if (v !== null && typeof v === 'object') {
      this.error(header, 'la cella contiene un errore di formula');
      return '';
    } else if (v !== null) s = String(v).trim();
    if (!s && o.required) this.error(header, 'obbligatorio');
    if (!isSafeText(s)) this.error(header, UNSAFE_TEXT_REASON);
    if (o.max && s.length > o.max) this.error(header, `al massimo ${o.max} caratteri`);
    return s;
  }

  code(header: string, o: { required?: boolean } = { required: true }): string {
    const s = this.text(header, o);
    if (s && !CODE.test(s))
      this.error(header, `codice non valido "${s}": da 1 a 20 caratteri tra lettere, cifre e . _ -`);
    return s;
  }

  number(header: string, o: { required?: boolean } = {}): number | null {
    const v = this.raw(header);
    if (v === null || (typeof v === 'string' && v.trim() === '')) {
      if (o.required) this.error(header, 'obbligatorio');
      return null;
    }
    const n =
      typeof v === 'number'
        ? v
        : typeof v === 'string'
          ? Number(
              v
                .trim()
                .replace(/\s|€/g, '')
                .replace(/\.(?=\d{3}(\D|$))/g, '')
                .replace(',', '.'),
            )
          : Number.NaN;
    if (!Number.isFinite(n)) {
      this.error(header, `numero non valido "${String(v instanceof Date ? isoOf(v) : v)}"`);
      return null;
    }
    return n;
  }

  /** An exact decimal as a string (at most 4 decimals), as the database keeps it. */
  quantity(header: string, o: { required?: boolean } = {}): string | null {
    const n = this.number(header, o);
    if (n === null) return null;
    const s = Number.isInteger(n) ? String(n) : String(Number(n.toFixed(4)));
    if (!QUANTITY.test(s)) {
      this.error(header, `numero non valido "${n}" (al massimo 12 cifre e 4 decimali)`);
      return null;
    }
    return s;
  }

  integer(header: string, o: { required?: boolean; min?: number; max?: number } = {}): number | null {
    const n = this.number(header, o);
    if (n === null) return null;
    if (!Number.isInteger(n)) this.error(header, `numero intero atteso, trovato ${n}`);
    else if (o.min !== undefined && n < o.min) this.error(header, `almeno ${o.min}`);
    else if (o.max !== undefined && n > o.max) this.error(header, `al massimo ${o.max}`);
    else return n;
    return null;
  }

  date(header: string, o: { required?: boolean } = {}): string | null {
    const v = this.raw(header);
    if (v === null || (typeof v === 'string' && v.trim() === '')) {
      if (o.required) this.error(header, 'obbligatorio');
      return null;
    }
    if (v instanceof Date) return isoOf(v);
    if (typeof v === 'number' && v > 0 && v < 100_000)
      return isoOf(new Date(Date.UTC(1899, 11, 30) + Math.round(v) * 86_400_000));
    const s = String(v).trim();
    const it = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(s);
    const iso = it ? `${it[3]}-${it[2]?.padStart(2, '0')}-${it[1]?.padStart(2, '0')}` : s;
    if (/^\d{4}-\d{2}-\d{2}$/.test(iso) && validIso(iso)) return iso;
    this.error(header, `data non valida "${s}": usare GG/MM/AAAA`);
    return null;
  }

  choice<T extends string>(
    header: string,
    labels: Record<T, string> | readonly T[],
    o: { required?: boolean; fallback?: T } = {},
  ): T | null {
    const s = this.text(header, { required: o.required && o.fallback === undefined });
    if (!s) return o.fallback ?? null;
    const found = byLabel(labels, s);
    if (found) return found;
    const allowed = Array.isArray(labels) ? labels : Object.values(labels);
    this.error(header, `valore sconosciuto "${s}" (ammessi: ${(allowed as string[]).join(', ')})`);
    return null;
  }

  bool(header: string): boolean {
    const v = this.raw(header);
    if (v === null || v === '' || v === false) return false;
    if (v === true) return true;
    const s = String(v).trim().toLowerCase();
    if (['sì', 'si', 's', 'x', 'vero', 'true', '1'].includes(s)) return true;
    if (['no', 'n', 'falso', 'false', '0', ''].includes(s)) return false;
    this.error(header, `valore non valido "${String(v)}" (ammessi: sì, no)`);
    return false;
  }
}

/** Whether a value was read (parsers return null and record the error otherwise). */
export const got = <T>(v: T | null): v is T => v !== null;
