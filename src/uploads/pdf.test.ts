import { describe, expect, it } from 'vitest';
import { DomainError } from '../http/errors.js';
import { checkPdf, pdfProblem } from './pdf.js';

const PDF = Buffer.from('%PDF-1.7\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n');

describe('the PDF upload check', () => {
  it('takes a whole PDF, trailing bytes after its end included', () => {
    expect(pdfProblem(PDF)).toBeUndefined();
    expect(pdfProblem(Buffer.concat([PDF, Buffer.alloc(500, 0x20)]))).toBeUndefined();
  });

  it('names what is wrong: empty, not a PDF, cut short', () => {
    expect(pdfProblem(Buffer.alloc(0))).toBe('il file è vuoto');
    expect(pdfProblem(Buffer.from('<html>%PDF-1.4</html>'))).toBe('il file non è un PDF');
    expect(pdfProblem(Buffer.from('%PDF-x'))).toBe('il file non è un PDF');
    const cut = Buffer.concat([PDF.subarray(0, 20), Buffer.alloc(4096, 0x41)]);
    expect(pdfProblem(cut)).toBe('il PDF è incompleto: manca la fine del file (caricamento interrotto?)');
  });

  it('refuses an over-size PDF with a 413 naming the file and the limit', () => {
    const big = Buffer.concat([PDF, Buffer.alloc(2 * 1024 * 1024)]);
    const error = (() => {
      try {
        checkPdf(big, 'Il PDF dell’atto', 1024 * 1024);
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).code).toBe('TOO_LARGE');
    expect((error as DomainError).message).toBe('Il PDF dell’atto: il file occupa 2 MB, il massimo è 1 MB');
  });
});
