/**
 * SEPA credit-transfer initiation (ISO 20022 pain.001.001.03) for a payment list.
 *
 * Why .03 and not .09: Italian banks take corporate payment files through CBI, whose SEPA
 * credit-transfer standard (CBIPaymentRequest.00.04.00) is the pain.001.001.03 message of the
 * EPC customer-to-bank guidelines; every Italian bank's remote banking imports a plain
 * pain.001.001.03 «SEPA XML» file, while .09 (the 2019 ISO release the EPC moved to in
 * November 2023) is still optional in the customer-to-bank space and not accepted everywhere.
 * The file follows the EPC subset: one PmtInf, service level SEPA, charges SLEV, IBAN-only
 * (no BIC: «NOTPROVIDED» for the debtor agent), amounts in EUR with two decimals, texts in the
 * SEPA Latin character set. Check with the treasurer bank before the first upload.
 *
 * Pure: no I/O. Amounts are integer cents; the decimal point is placed on the digits.
 */
import { create } from 'xmlbuilder2';
import { centsDigits } from '../../format.js';
import { normaliseIban } from './applicant.js';

export const PAIN_001_NS = 'urn:iso:std:iso:20022:tech:xsd:pain.001.001.03';

/** The highest amount a SEPA credit transfer may carry: 999 999 999,99 €. */
const MAX_SEPA_CENTS = 99_999_999_999;

export interface Pain001Transfer {
  endToEndId: string;
  amountCents: number;
  creditorName: string;
  creditorIban: string;
  remittance: string;
}

export interface Pain001Input {
  /** Unique per file sent to the bank, at most 35 characters: a bank refuses a repeated one. */
  messageId: string;
  paymentInfoId: string;
  createdAt: Date;
  /** yyyy-mm-dd */
  executionDate: string;
  debtor: { name: string; iban: string };
  transfers: readonly Pain001Transfer[];
}

/** A value the bank would refuse; `field` names it (with the transfer's index where there is one). */
export class SepaError extends Error {
  override readonly name = 'SepaError';
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

// Letters that are not a base letter plus accents: NFKD does not take them apart.
const LIGATURES: Record<string, string> = {
  ß: 'ss',
  æ: 'ae',
  Æ: 'AE',
  œ: 'oe',
  Œ: 'OE',
  ø: 'o',
  Ø: 'O',
  ł: 'l',
  Ł: 'L',
  đ: 'd',
  Đ: 'D',
  þ: 'th',
  Þ: 'TH',
  '’': "'",
  '‘': "'",
  '`': "'",
  '´': "'",
  '–': '-',
  '—': '-',
  '&': '+',
};
/** The EPC basic character set: what every bank in the SEPA area carries unchanged. */
const NOT_SEPA = /[^A-Za-z0-9/\-?:().,'+ ]/g;

/**
 * Text in the SEPA character set, at most `max` characters: accents become their base letter
 * («Nicolò D’Àrpino» → «Nicolo D'Arpino»), anything else outside the set becomes a space.
 */
export function sepaText(text: string, max: number): string {
  const latin = text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .replace(/[^\x20-\x7e]|[&`]/g, (c) => LIGATURES[c] ?? ' ');
  return latin.replace(NOT_SEPA, ' ').replace(/\s+/g, ' ').trim().slice(0, max).trim();
}

/**
 * An identifier in the SEPA set, at most `max` characters: no spaces, not starting or ending
 * with «/» and without «//» (EPC rules for references). When too long the tail is kept: a
 * protocol number's sequence, the unique part, is at its end.
 */
export function sepaId(text: string, max = 35): string {
  const clean = sepaText(text, 1000)
    .replace(/ /g, '-')
    .replace(/\/{2,}/g, '/')
    .replace(/^\/+|\/+$/g, '');
  return clean.slice(-max).replace(/^\/+/, '');
}

/** Integer cents as a SEPA amount, "1234.56" and "0.05", from the digits: never a float. */
export function sepaAmount(cents: number): string {
  const { sign, units, decimals } = centsDigits(cents);
  return `${sign}${units}.${decimals}`;
}

// The creation time as Italian banks show it: local time in Italy, no fractions, no zone.
const ROME = new Intl.DateTimeFormat('sv-SE', {
  timeZone: 'Europe/Rome',
  dateStyle: 'short',
  timeStyle: 'medium',
});

const SEPA_ID = /^[A-Za-z0-9/\-?:().,'+]{1,35}$/;

function checkId(field: string, value: string): string {
  if (!SEPA_ID.test(value) || value.startsWith('/') || value.endsWith('/') || value.includes('//'))
    throw new SepaError(
      field,
      `identificativo non valido per SEPA (al massimo 35 caratteri ammessi): ${value}`,
    );
  return value;
}

function checkIban(field: string, value: string): string {
  const iban = normaliseIban(value);
  if (!iban) throw new SepaError(field, 'IBAN non valido');
  return iban;
}

function checkName(field: string, value: string): string {
  const name = sepaText(value, 70);
  if (!name) throw new SepaError(field, 'nome vuoto dopo la conversione nei caratteri SEPA');
  return name;
}

/** The pain.001.001.03 document, UTF-8, for one debtor account and one execution date. */
export function buildPain001(input: Pain001Input): string {
  if (input.transfers.length === 0) throw new SepaError('transfers', 'nessun bonifico da disporre');
  if (!/^\d{4}-\d{2}-\d{2}$/.test(input.executionDate))
    throw new SepaError('executionDate', 'data di esecuzione non valida: usare AAAA-MM-GG');
  const messageId = checkId('messageId', input.messageId);
  const paymentInfoId = checkId('paymentInfoId', input.paymentInfoId);
  const debtorName = checkName('debtor.name', input.debtor.name);
  const debtorIban = checkIban('debtor.iban', input.debtor.iban);
  let totalCents = 0;
  const transfers = input.transfers.map((t, i) => {
    const at = `transfers[${i}]`;
    if (!Number.isSafeInteger(t.amountCents) || t.amountCents <= 0 || t.amountCents > MAX_SEPA_CENTS)
      throw new SepaError(`${at}.amountCents`, 'importo tra 0,01 e 999.999.999,99 euro, in centesimi interi');
    totalCents += t.amountCents;
    return {
      endToEndId: checkId(`${at}.endToEndId`, t.endToEndId),
      amount: sepaAmount(t.amountCents),
      name: checkName(`${at}.creditorName`, t.creditorName),
      iban: checkIban(`${at}.creditorIban`, t.creditorIban),
      remittance: sepaText(t.remittance, 140),
    };
  });
  if (!Number.isSafeInteger(totalCents))
    throw new SepaError('transfers', 'totale oltre il massimo gestibile');
  const count = String(transfers.length);
  const controlSum = sepaAmount(totalCents);
  const createdAt = ROME.format(input.createdAt).replace(' ', 'T');

  const doc = create({ version: '1.0', encoding: 'UTF-8' }).ele(PAIN_001_NS, 'Document');
  const root = doc.ele('CstmrCdtTrfInitn');
  const header = root.ele('GrpHdr');
  header.ele('MsgId').txt(messageId);
  header.ele('CreDtTm').txt(createdAt);
  header.ele('NbOfTxs').txt(count);
  header.ele('CtrlSum').txt(controlSum);
  header.ele('InitgPty').ele('Nm').txt(debtorName);
  const pmt = root.ele('PmtInf');
  pmt.ele('PmtInfId').txt(paymentInfoId);
  pmt.ele('PmtMtd').txt('TRF');
  pmt.ele('BtchBookg').txt('true');
  pmt.ele('NbOfTxs').txt(count);
  pmt.ele('CtrlSum').txt(controlSum);
  pmt.ele('PmtTpInf').ele('SvcLvl').ele('Cd').txt('SEPA');
  pmt.ele('ReqdExctnDt').txt(input.executionDate);
  pmt.ele('Dbtr').ele('Nm').txt(debtorName);
  pmt.ele('DbtrAcct').ele('Id').ele('IBAN').txt(debtorIban);
  pmt.ele('DbtrAgt').ele('FinInstnId').ele('Othr').ele('Id').txt('NOTPROVIDED');
  pmt.ele('ChrgBr').txt('SLEV');
  for (const t of transfers) {
    const tx = pmt.ele('CdtTrfTxInf');
    tx.ele('PmtId').ele('EndToEndId').txt(t.endToEndId);
    tx.ele('Amt').ele('InstdAmt', { Ccy: 'EUR' }).txt(t.amount);
    tx.ele('Cdtr').ele('Nm').txt(t.name);
    tx.ele('CdtrAcct').ele('Id').ele('IBAN').txt(t.iban);
    if (t.remittance) tx.ele('RmtInf').ele('Ustrd').txt(t.remittance);
  }
  return doc.end({ prettyPrint: true });
}
