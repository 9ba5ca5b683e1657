import type { Content } from 'pdfmake/interfaces.js';
import { renderPdf } from '../../pdf.js';
import type { Receipt } from './calls.schemas.js';

const INSTANT = new Intl.DateTimeFormat('it-IT', {
  timeZone: 'Europe/Rome',
  day: '2-digit',
  month: '2-digit',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  fractionalSecondDigits: 3,
});

/** dd/mm/yyyy hh:mm:ss.mmm, Italian time: the instant the server accepted the application. */
export function formatInstant(iso: string): string {
  return INSTANT.format(new Date(iso)).replace(',', '');
}

/** The receipt as a PDF: protocol, instant to the millisecond and the hashes that prove the content. */
export function renderReceiptPdf(input: {
  receipt: Receipt;
  call: { code: string; title: string };
  applicant: { name: string; codiceFiscale: string };
}): Promise<Buffer> {
  const { receipt, call, applicant } = input;
  const row = (label: string, value: string): Content => ({
    columns: [
      { text: label, width: 170, bold: true },
      { text: value, font: 'Roboto' },
    ],
    margin: [0, 3, 0, 3],
  });
  return renderPdf({
    info: { title: `Ricevuta ${receipt.protocol}` },
    pageSize: 'A4',
    pageMargins: [50, 60, 50, 60],
    defaultStyle: { font: 'Roboto', fontSize: 10 },
    content: [
      { text: 'Ricevuta di presentazione della domanda', fontSize: 16, bold: true, margin: [0, 0, 0, 4] },
      { text: `${call.title} (${call.code})`, fontSize: 12, margin: [0, 0, 0, 16] },
      row('Numero di protocollo', receipt.protocol),
      row('Ricevuta il', `${formatInstant(receipt.receivedAt)} (ora italiana)`),
      row('Richiedente', `${applicant.name} – ${applicant.codiceFiscale}`),
      row('Impronta della ricevuta (SHA-256)', receipt.hash),
      row('Impronta dei dati inviati (SHA-256)', receipt.dataHash),
      {
        text:
          'La domanda è registrata nel protocollo dell’Ambito, in cui ogni voce è concatenata alla precedente: ' +
          'l’impronta permette di verificare che quanto inviato non sia stato modificato. ' +
          'L’ordine delle domande è quello dell’istante di ricezione indicato.',
        margin: [0, 18, 0, 0],
        fontSize: 9,
        color: '#444444',
      },
    ],
  });
}
