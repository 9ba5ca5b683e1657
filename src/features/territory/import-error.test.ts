import { isUtf8 } from 'node:buffer';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { firstInvalidUtf8Line, ImportError, lineAt, MOJIBAKE_RE, normalizeHeader } from './import-error.js';

describe('ImportError', () => {
  it('carries line, reason and field, and formats the message', () => {
    const err = new ImportError(12, 'codice ISTAT "01A001" non valido (attese 6 cifre)', 'istatCode');
    expect(err).toBeInstanceOf(Error);
    expect(err.name).toBe('ImportError');
    expect(err.message).toBe('line 12: codice ISTAT "01A001" non valido (attese 6 cifre)');
    expect(err).toMatchObject({ line: 12, field: 'istatCode' });
    expect(new ImportError(1, 'file vuoto').field).toBeUndefined();
  });
});

describe('helpers', () => {
  it('firstInvalidUtf8Line agrees with Buffer.isUtf8 and finds the line', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        expect(firstInvalidUtf8Line(bytes) === null).toBe(isUtf8(bytes));
      }),
      { numRuns: 2000 },
    );
    fc.assert(
      fc.property(fc.array(fc.string({ unit: 'grapheme' }), { maxLength: 5 }), (strings) => {
        expect(firstInvalidUtf8Line(Buffer.from(strings.join('\n'), 'utf8'))).toBeNull();
      }),
    );
    expect(firstInvalidUtf8Line(Buffer.from('a\nb\nAgli\xe8\n', 'latin1'))).toBe(3);
    expect(firstInvalidUtf8Line(Buffer.from([0xed, 0xa0, 0x80]))).toBe(1); // UTF-16 surrogate
    expect(firstInvalidUtf8Line(Buffer.from([0xc0, 0xaf]))).toBe(1); // overlong
  });

  it('lineAt counts 1-based lines', () => {
    expect(lineAt('abc', 1)).toBe(1);
    expect(lineAt('a\nb\nc', 4)).toBe(3);
    expect(lineAt('a\nb\nc', 3)).toBe(2);
  });

  it('normalizeHeader folds case, accents, apostrophes and whitespace', () => {
    expect(
      normalizeHeader("Denominazione dell'Unità territoriale sovracomunale \r\n(valida a fini statistici)"),
    ).toBe("denominazione dell'unita territoriale sovracomunale (valida a fini statistici)");
    expect(normalizeHeader('\uFEFF  ETÀ ')).toBe('eta');
    expect(normalizeHeader('Dell’Unità')).toBe("dell'unita");
  });

  it('MOJIBAKE_RE flags UTF-8 read as Latin-1 but not real names', () => {
    for (const bad of ['AgliÃ¨', 'NabreÅ¾ina', 'CittÃ\u00a0', 'dâ€™Ivrea', '1Â° gennaio']) {
      expect(MOJIBAKE_RE.test(bad), bad).toBe(true);
    }
    for (const good of [
      'Agliè',
      'Devin Nabrežina',
      'Števerjan',
      'Città',
      "Albiano d'Ivrea",
      'ÈÉÌÒÙ Ü ß',
      '1° gennaio',
    ]) {
      expect(MOJIBAKE_RE.test(good), good).toBe(false);
    }
  });
});
