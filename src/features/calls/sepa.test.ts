import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { create } from 'xmlbuilder2';
import {
  buildPain001,
  PAIN_001_NS,
  type Pain001Input,
  SepaError,
  sepaAmount,
  sepaId,
  sepaText,
} from './sepa.js';

const IBAN_A = 'IT60X0542811101000000123456';
const IBAN_B = 'IT42L1234512345123456789012';
const DE_IBAN = 'DE89370400440532013000';

const input = (over: Partial<Pain001Input> = {}): Pain001Input => ({
  messageId: 'PL-0123456789abcdef0123456789abcdef',
  paymentInfoId: 'B2-2026/2026-03',
  createdAt: new Date('2026-03-01T09:30:00Z'),
  executionDate: '2026-03-10',
  debtor: { name: 'Comune di Sesto San Giovanni – capofila', iban: IBAN_A },
  transfers: [
    {
      endToEndId: 'B2-2026/000001/202603',
      amountCents: 123_456,
      creditorName: 'Nicolò D’Àrpino',
      creditorIban: 'it42 l123 4512 3451 2345 6789 012',
      remittance: 'Bando B2-2026 - contributo 2026-03 - prot. B2-2026/000001',
    },
    {
      endToEndId: 'B2-2026/000002/202603',
      amountCents: 5,
      creditorName: 'Zoë Müller & Søn',
      creditorIban: DE_IBAN,
      remittance: 'Bando B2-2026',
    },
  ],
  ...over,
});

/** The element children of a DOM node, by local name. */
const kids = (el: Element): Element[] =>
  Array.from(el.childNodes).filter((n): n is Element => n.nodeType === 1);
const names = (el: Element) => kids(el).map((k) => k.localName);
function child(el: Element, name: string): Element {
  const found = kids(el).find((k) => k.localName === name);
  if (!found) throw new Error(`manca ${name} in ${el.localName}`);
  return found;
}
const text = (el: Element, ...path: string[]) => path.reduce(child, el).textContent ?? '';

function parse(xml: string): Element {
  return create(xml).root().node as unknown as Element;
}

describe('sepa text and amounts', () => {
  it('writes amounts from the digits, with two decimals', () => {
    expect(sepaAmount(123_456)).toBe('1234.56');
    expect(sepaAmount(5)).toBe('0.05');
    expect(sepaAmount(100)).toBe('1.00');
    expect(sepaAmount(99_999_999_999)).toBe('999999999.99');
  });

  it('transliterates names into the SEPA character set', () => {
    expect(sepaText('Nicolò D’Àrpino', 70)).toBe("Nicolo D'Arpino");
    expect(sepaText("Nicolò D'Àrpino", 70)).toBe("Nicolo D'Arpino");
    expect(sepaText('Zoë Müller & Søn', 70)).toBe('Zoe Muller + Son');
    expect(sepaText('Straße_№ 5 "A"', 70)).toBe('Strasse No 5 A');
    expect(sepaText('x'.repeat(80), 70)).toHaveLength(70);
  });

  it('keeps identifiers in the set, without «//» or a «/» at the ends, keeping the tail', () => {
    expect(sepaId('B2_test//000001/')).toBe('B2-test/000001');
    const long = sepaId(`${'A'.repeat(40)}/000123/202603`);
    expect(long).toHaveLength(35);
    expect(long.endsWith('/000123/202603')).toBe(true);
  });

  it('gives only allowed characters for any text (property)', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (s) => {
        const out = sepaText(s, 140);
        expect(out).toMatch(/^[A-Za-z0-9/\-?:().,'+ ]*$/);
        expect(out.length).toBeLessThanOrEqual(140);
      }),
    );
  });
});

describe('buildPain001', () => {
  it('produces a pain.001.001.03 document whose control figures match the transfers', () => {
    const root = parse(buildPain001(input()));
    expect(root.localName).toBe('Document');
    expect(root.namespaceURI).toBe(PAIN_001_NS);
    expect(names(root)).toEqual(['CstmrCdtTrfInitn']);
    const initn = child(root, 'CstmrCdtTrfInitn');
    expect(names(initn)).toEqual(['GrpHdr', 'PmtInf']);
    const hdr = child(initn, 'GrpHdr');
    expect(names(hdr)).toEqual(['MsgId', 'CreDtTm', 'NbOfTxs', 'CtrlSum', 'InitgPty']);
    expect(text(hdr, 'MsgId')).toBe('PL-0123456789abcdef0123456789abcdef');
    expect(text(hdr, 'CreDtTm')).toBe('2026-03-01T10:30:00');
    expect(text(hdr, 'NbOfTxs')).toBe('2');
    expect(text(hdr, 'CtrlSum')).toBe('1234.61');

    const pmt = child(initn, 'PmtInf');
    // The element order of the pain.001.001.03 schema for PaymentInstructionInformation3.
    expect(names(pmt)).toEqual([
      'PmtInfId',
      'PmtMtd',
      'BtchBookg',
      'NbOfTxs',
      'CtrlSum',
      'PmtTpInf',
      'ReqdExctnDt',
      'Dbtr',
      'DbtrAcct',
      'DbtrAgt',
      'ChrgBr',
      'CdtTrfTxInf',
      'CdtTrfTxInf',
    ]);
    expect(text(pmt, 'PmtMtd')).toBe('TRF');
    expect(text(pmt, 'PmtTpInf', 'SvcLvl', 'Cd')).toBe('SEPA');
    expect(text(pmt, 'ReqdExctnDt')).toBe('2026-03-10');
    expect(text(pmt, 'Dbtr', 'Nm')).toBe('Comune di Sesto San Giovanni - capofila');
    expect(text(pmt, 'DbtrAcct', 'Id', 'IBAN')).toBe(IBAN_A);
    expect(text(pmt, 'DbtrAgt', 'FinInstnId', 'Othr', 'Id')).toBe('NOTPROVIDED');
    expect(text(pmt, 'ChrgBr')).toBe('SLEV');
    expect(text(pmt, 'CtrlSum')).toBe(text(hdr, 'CtrlSum'));

    const txs = kids(pmt).filter((k) => k.localName === 'CdtTrfTxInf');
    expect(txs.map(names)).toEqual([
      ['PmtId', 'Amt', 'Cdtr', 'CdtrAcct', 'RmtInf'],
      ['PmtId', 'Amt', 'Cdtr', 'CdtrAcct', 'RmtInf'],
    ]);
    const [first, second] = txs as [Element, Element];
    expect(text(first, 'PmtId', 'EndToEndId')).toBe('B2-2026/000001/202603');
    expect(text(first, 'Amt', 'InstdAmt')).toBe('1234.56');
    expect(child(child(first, 'Amt'), 'InstdAmt').getAttribute('Ccy')).toBe('EUR');
    expect(text(first, 'Cdtr', 'Nm')).toBe("Nicolo D'Arpino");
    expect(text(first, 'CdtrAcct', 'Id', 'IBAN')).toBe(IBAN_B);
    expect(text(first, 'RmtInf', 'Ustrd')).toBe('Bando B2-2026 - contributo 2026-03 - prot. B2-2026/000001');
    expect(text(second, 'Amt', 'InstdAmt')).toBe('0.05');
    expect(text(second, 'Cdtr', 'Nm')).toBe('Zoe Muller + Son');
  });

  it('adds up CtrlSum exactly for any amounts (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 10_000_000 }), { minLength: 1, maxLength: 40 }),
        (amounts) => {
          const xml = buildPain001(
            input({
              transfers: amounts.map((amountCents, i) => ({
                endToEndId: `E2E/${i}`,
                amountCents,
                creditorName: 'Mario Rossi',
                creditorIban: IBAN_B,
                remittance: 'Contributo',
              })),
            }),
          );
          const hdr = child(child(parse(xml), 'CstmrCdtTrfInitn'), 'GrpHdr');
          const total = amounts.reduce((a, b) => a + b, 0);
          expect(text(hdr, 'CtrlSum')).toBe(sepaAmount(total));
          expect(text(hdr, 'NbOfTxs')).toBe(String(amounts.length));
        },
      ),
      { numRuns: 50 },
    );
  });

  it('truncates a creditor name to 70 characters and a remittance to 140', () => {
    const [t] = input().transfers as [Pain001Input['transfers'][number]];
    const xml = buildPain001(
      input({ transfers: [{ ...t, creditorName: 'N'.repeat(90), remittance: 'r'.repeat(200) }] }),
    );
    const tx = child(child(child(parse(xml), 'CstmrCdtTrfInitn'), 'PmtInf'), 'CdtTrfTxInf');
    expect(text(tx, 'Cdtr', 'Nm')).toHaveLength(70);
    expect(text(tx, 'RmtInf', 'Ustrd')).toHaveLength(140);
  });

  it('refuses an invalid IBAN, a bad identifier, a bad amount or no transfer, naming the field', () => {
    const [t] = input().transfers as [Pain001Input['transfers'][number]];
    const fails = (over: Partial<Pain001Input>) => {
      try {
        buildPain001(input(over));
      } catch (e) {
        expect(e).toBeInstanceOf(SepaError);
        return (e as SepaError).field;
      }
      throw new Error('accettato');
    };
    expect(fails({ transfers: [{ ...t, creditorIban: 'IT00X0542811101000000123456' }] })).toBe(
      'transfers[0].creditorIban',
    );
    expect(fails({ debtor: { name: 'Comune', iban: 'IT60' } })).toBe('debtor.iban');
    expect(fails({ messageId: 'x'.repeat(36) })).toBe('messageId');
    expect(fails({ transfers: [{ ...t, endToEndId: 'a b' }] })).toBe('transfers[0].endToEndId');
    expect(fails({ transfers: [{ ...t, endToEndId: '/abc' }] })).toBe('transfers[0].endToEndId');
    expect(fails({ transfers: [{ ...t, amountCents: 0 }] })).toBe('transfers[0].amountCents');
    expect(fails({ transfers: [{ ...t, amountCents: 12.5 }] })).toBe('transfers[0].amountCents');
    expect(fails({ transfers: [{ ...t, creditorName: '★ ☆' }] })).toBe('transfers[0].creditorName');
    expect(fails({ transfers: [] })).toBe('transfers');
    expect(fails({ executionDate: '10/03/2026' })).toBe('executionDate');
  });
});
