import type { Content, TableCell, TDocumentDefinitions } from 'pdfmake/interfaces.js';
import { formatDate, formatEuro } from '../../format.js';
import { renderPdf } from '../../pdf.js';
import type { ActionView, ActView, IndicatorView, PlanTree } from './plan.schemas.js';
import { ACTION_STATUS_LABELS, OBJECTIVE_KIND_LABELS, PLAN_STATUS_LABELS } from './plan.xlsx.js';

/** A decimal string ("1234.5") the Italian way ("1.234,5"). */
export function formatQuantity(value: string, unit?: IndicatorView['unit']): string {
  const [int = '0', dec] = value.split('.');
  const sign = int.startsWith('-') ? '-' : '';
  const digits = int.replace('-', '').replace(/\B(?=(\d{3})+(?!\d))/g, '.');
  const n = `${sign}${digits}${dec ? `,${dec}` : ''}`;
  switch (unit) {
    case 'percentuale':
      return `${n}%`;
    case 'euro':
      return `€ ${n}`;
    case 'ore':
      return `${n} ore`;
    case 'giorni':
      return `${n} giorni`;
    default:
      return n;
  }
}

const ORDINALS = [
  'Prima',
  'Seconda',
  'Terza',
  'Quarta',
  'Quinta',
  'Sesta',
  'Settima',
  'Ottava',
  'Nona',
  'Decima',
  'Undicesima',
  'Dodicesima',
];
export const editionLabel = (n: number) =>
  ORDINALS[n - 1] ? `${ORDINALS[n - 1]} edizione` : `Edizione ${n}`;

const ACT_KIND_LABELS: Record<ActView['kind'], string> = {
  delibera_assemblea: 'Delibera dell’Assemblea dei Sindaci',
  delibera_comune: 'Delibera comunale',
  determina_udp: 'Determina dell’Ufficio di Piano',
  dgr: 'Delibera della Giunta Regionale',
  decreto: 'Decreto',
  altro: 'Atto',
};
const actText = (a: ActView) =>
  `${ACT_KIND_LABELS[a.kind]} n. ${a.number} del ${formatDate(a.date)}${a.body ? ` (${a.body})` : ''}`;

const paragraphs = (text: string): Content[] =>
  text.trim()
    ? text.split(/\n\s*\n/).map((p) => ({ text: p.trim(), style: 'body' }) as Content)
    : [{ text: 'Non indicato.', style: 'empty' }];

const th = (text: string): TableCell => ({ text, style: 'th' });

function table(headers: string[], rows: TableCell[][], widths: (string | number)[]): Content {
  return {
    table: { headerRows: 1, dontBreakRows: true, widths, body: [headers.map(th), ...rows] },
    layout: 'lightHorizontalLines',
    style: 'table',
  };
}

function actionsTable(actions: ActionView[]): Content {
  return table(
    ['Codice', 'Azione', 'Responsabile', 'Partner', 'Periodo', 'Stato', 'Ore', 'Risorse'],
    actions.map((a) => [
      { text: a.code, bold: true },
      a.title,
      a.responsible,
      a.partners.join('; ') || '—',
      `${formatDate(a.startDate)} – ${formatDate(a.endDate)}`,
      ACTION_STATUS_LABELS[a.status],
      { text: String(a.staffHours), alignment: 'right' },
      a.resources.length
        ? { stack: a.resources.map((r) => `${r.fund}: ${formatEuro(r.amountCents)}`), alignment: 'right' }
        : '—',
    ]),
    [34, '*', 60, 60, 52, 40, 24, 74],
  );
}

function indicatorsTable(list: Array<IndicatorView & { ref: string }>): Content {
  const kind = { output: 'Realizzazione (output)', outcome: 'Risultato (outcome)' } as const;
  return table(
    ['Codice', 'Indicatore', 'Riferito a', 'Tipo', 'Unità', 'Baseline', 'Target', 'Ultimo valore'],
    list.map((i) => {
      const last = i.values.at(-1);
      return [
        { text: i.code, bold: true },
        { stack: [i.name, ...(i.evaluationTool ? [{ text: i.evaluationTool, style: 'note' }] : [])] },
        i.ref,
        kind[i.kind],
        `${i.unit}${i.lowerIsBetter ? ' (minore è meglio)' : ''}`,
        i.baseline === null
          ? '—'
          : `${formatQuantity(i.baseline, i.unit)}${i.baselineDate ? ` (${formatDate(i.baselineDate)})` : ''}`,
        i.targets.length
          ? { stack: i.targets.map((t) => `${t.year}: ${formatQuantity(t.target, i.unit)}`) }
          : '—',
        last ? `${formatQuantity(last.value, i.unit)} (${formatDate(last.measuredOn)})` : '—',
      ];
    }),
    [34, '*', 44, 50, 44, 50, 56, 60],
  );
}

/** Total planned resources by fund, in integer cents, sorted by fund. */
export function resourcesByFund(tree: PlanTree): Array<{ fund: string; amountCents: number }> {
  const totals = new Map<string, number>();
  for (const o of tree.objectives)
    for (const s of o.specific)
      for (const a of s.actions)
        for (const r of a.resources) totals.set(r.fund, (totals.get(r.fund) ?? 0) + r.amountCents);
  return [...totals.entries()]
    .sort(([a], [b]) => a.localeCompare(b, 'it'))
    .map(([fund, amountCents]) => ({ fund, amountCents }));
}

function objectivesPart(tree: PlanTree): Content[] {
  const out: Content[] = [];
  if (!tree.objectives.length) out.push({ text: 'Nessun obiettivo inserito.', style: 'empty' });
  for (const [n, o] of tree.objectives.entries()) {
    out.push({
      text: `2.${n + 1} ${o.code} – ${o.title}`,
      style: 'h2',
      tocItem: true,
      tocMargin: [12, 0, 0, 0],
      ...(n > 0 ? { pageBreak: 'before' as const } : {}),
    });
    out.push({
      table: {
        widths: [90, '*'],
        body: [
          [th('Tipo'), OBJECTIVE_KIND_LABELS[o.kind]],
          [th('Macro-area'), o.macroArea ? `${o.macroArea.code} – ${o.macroArea.name}` : '—'],
          [th('LEPS'), o.leps.join(', ') || '—'],
          [th('Bisogni'), o.needs || '—'],
        ],
      },
      layout: 'noBorders',
      style: 'table',
    });
    if (o.indicators.length)
      out.push(
        { text: 'Indicatori dell’obiettivo generale', style: 'h4' },
        indicatorsTable(o.indicators.map((i) => ({ ...i, ref: o.code }))),
      );
    for (const s of o.specific) {
      out.push({ text: `${s.code} – ${s.title}`, style: 'h3' });
      if (s.needs) out.push({ text: [{ text: 'Bisogni: ', bold: true }, s.needs], style: 'body' });
      if (s.actions.length) out.push({ text: 'Azioni', style: 'h4' }, actionsTable(s.actions));
      else out.push({ text: 'Nessuna azione.', style: 'empty' });
      const indicators = [
        ...s.indicators.map((i) => ({ ...i, ref: s.code })),
        ...s.actions.flatMap((a) => a.indicators.map((i) => ({ ...i, ref: a.code }))),
      ];
      if (indicators.length) out.push({ text: 'Indicatori', style: 'h4' }, indicatorsTable(indicators));
    }
  }
  const totals = resourcesByFund(tree);
  const sum = totals.reduce((s, t) => s + t.amountCents, 0);
  out.push(
    {
      text: `2.${tree.objectives.length + 1} Riepilogo delle risorse per fondo`,
      style: 'h2',
      tocItem: true,
      tocMargin: [12, 0, 0, 0],
      pageBreak: 'before',
    },
    {
      table: {
        headerRows: 1,
        widths: ['*', 120],
        body: [
          [th('Fondo'), { text: 'Importo', style: 'th', alignment: 'right' }],
          ...totals.map((t) => [
            t.fund,
            { text: formatEuro(t.amountCents), alignment: 'right' } as TableCell,
          ]),
          [
            { text: 'Totale', bold: true },
            { text: formatEuro(sum), bold: true, alignment: 'right' },
          ],
        ],
      },
      layout: 'lightHorizontalLines',
      style: 'table',
    },
  );
  return out;
}

/** The plan as a document: cover, index, the three parts and the resources by fund. */
export async function renderPlanPdf(tree: PlanTree): Promise<Buffer> {
  const cover: Content[] = [
    { text: tree.ambitoName, style: 'coverAmbito', margin: [0, 120, 0, 24] },
    { text: tree.title, style: 'coverTitle' },
    { text: `Piano di Zona ${tree.period}`, style: 'coverLine' },
    { text: editionLabel(tree.edition), style: 'coverLine' },
    {
      text: `Periodo di validità: ${formatDate(tree.startDate)} – ${formatDate(tree.extendedTo ?? tree.endDate)}`,
      style: 'coverLine',
    },
    { text: `Stato: ${PLAN_STATUS_LABELS[tree.status]}`, style: 'coverLine', margin: [0, 24, 0, 4] },
    ...(tree.approvalAct ? [{ text: `Approvato con ${actText(tree.approvalAct)}`, style: 'coverAct' }] : []),
    ...(tree.extendedTo
      ? [
          {
            text: `Prorogato al ${formatDate(tree.extendedTo)}${tree.extensionAct ? ` con ${actText(tree.extensionAct)}` : ''}`,
            style: 'coverAct',
          },
        ]
      : []),
    ...(tree.status === 'draft'
      ? [{ text: 'BOZZA – documento non approvato', style: 'draftMark', margin: [0, 40, 0, 0] }]
      : []),
  ] as Content[];

  const doc: TDocumentDefinitions = {
    info: { title: tree.title, author: tree.ambitoName, subject: `Piano di Zona ${tree.period}` },
    pageSize: 'A4',
    pageMargins: [40, 50, 40, 50],
    defaultStyle: { font: 'Roboto', fontSize: 10, lineHeight: 1.2 },
    header: (page) =>
      page > 1
        ? { text: `${tree.ambitoName} – ${tree.title}`, style: 'running', margin: [40, 20, 40, 0] }
        : '',
    footer: (page, pages) => ({
      text: `Pagina ${page} di ${pages}`,
      alignment: 'center',
      style: 'running',
      margin: [0, 15, 0, 0],
    }),
    content: [
      ...cover,
      {
        toc: { title: { text: 'Indice', style: 'h1' }, numberStyle: { bold: true } },
        pageBreak: 'before',
      },
      { text: '1. Sistema di governance', style: 'h1', tocItem: true, pageBreak: 'before' },
      ...paragraphs(tree.governance),
      { text: '2. Obiettivi di programmazione', style: 'h1', tocItem: true, pageBreak: 'before' },
      ...objectivesPart(tree),
      { text: '3. Dati e metodologia', style: 'h1', tocItem: true, pageBreak: 'before' },
      ...paragraphs(tree.methodology),
    ],
    styles: {
      coverAmbito: { fontSize: 16, alignment: 'center', color: '#444444' },
      coverTitle: { fontSize: 26, bold: true, alignment: 'center', margin: [0, 0, 0, 16] },
      coverLine: { fontSize: 13, alignment: 'center', margin: [0, 2, 0, 2] },
      coverAct: { fontSize: 11, alignment: 'center', italics: true, margin: [0, 2, 0, 2] },
      draftMark: { fontSize: 14, bold: true, alignment: 'center', color: '#b00020' },
      h1: { fontSize: 18, bold: true, margin: [0, 0, 0, 12] },
      h2: { fontSize: 14, bold: true, margin: [0, 12, 0, 6] },
      h3: { fontSize: 12, bold: true, margin: [0, 10, 0, 4] },
      h4: { fontSize: 10, bold: true, margin: [0, 8, 0, 4], color: '#333333' },
      body: { margin: [0, 0, 0, 6], alignment: 'justify' },
      empty: { italics: true, color: '#666666', margin: [0, 0, 0, 6] },
      note: { fontSize: 7, italics: true, color: '#555555' },
      table: { fontSize: 8, margin: [0, 2, 0, 8] },
      th: { bold: true, fillColor: '#eeeeee' },
      running: { fontSize: 8, color: '#666666' },
    },
  };
  return renderPdf(doc);
}
