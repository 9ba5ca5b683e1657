/**
 * PDF uploads (signed acts, application attachments) are stored, never rendered by the server:
 * they are checked at both ends of the structure without parsing it. A PDF starts with its
 * header ("%PDF-1.x" or "%PDF-2.0") and ends, within its last KB, with "%%EOF"; a file cut short
 * by an interrupted upload lacks the end.
 */
import { assertSize, unreadable } from './limits.js';

const HEADER = /^%PDF-[12]\.\d/;
const TAIL_BYTES = 1024;

/** What is wrong with `buf` as a PDF, in Italian, or undefined. */
export function pdfProblem(buf: Buffer): string | undefined {
  if (buf.length === 0) return 'il file è vuoto';
  if (!HEADER.test(buf.subarray(0, 8).toString('latin1'))) return 'il file non è un PDF';
  if (!buf.subarray(Math.max(0, buf.length - TAIL_BYTES)).includes('%%EOF', 0, 'latin1'))
    return 'il PDF è incompleto: manca la fine del file (caricamento interrotto?)';
  return undefined;
}

/** Refuses a PDF over `maxBytes` (413) or that is not a whole PDF (422), naming `file`. */
export function checkPdf(buf: Buffer, file: string, maxBytes: number): void {
  assertSize(buf, file, maxBytes);
  const problem = pdfProblem(buf);
  if (problem) throw unreadable(file, problem);
}
