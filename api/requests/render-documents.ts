import type { IssueNoteStatus, PurchaseOrderStatus } from '../../db/schema/index.ts';
import { render, type CatalogueKey, type Locale } from '../core/messages/index.ts';
import { localDate } from '../core/time.ts';

/*
 * Printable documents: pure functions from a view to a complete HTML page for A4 paper. No scripts, no
 * external resources (fonts, images, stylesheets): the page must print the same offline and under a
 * `default-src 'none'` policy. Labels are bilingual, the reader's language first (Italian by default), from the
 * catalogue's `documents` section.
 */

interface Place {
  code: string;
  name: string;
}
interface Described {
  code: string;
  name: string;
  nameEn: string;
  unit: string;
}

/** An issue note as printed: the core's view with the organisation that issues it. */
export interface IssueNoteDocument {
  organisation: { name: string };
  number: string;
  status: IssueNoteStatus;
  issuedAt: string;
  takenAt: string | null;
  reversedAt: string | null;
  reason: string | null;
  from: Place;
  to: Place;
  lines: { quantity: number; item: Described; lot: { lotCode: string; expiry: string | null } }[];
}

/** A purchase order as printed: the core's detail view with the organisation that orders. */
export interface PurchaseOrderDocument {
  organisation: { name: string };
  number: string;
  status: PurchaseOrderStatus;
  createdAt: string;
  expectedAt: string | null;
  supplier: { code: string; name: string };
  deliverTo: Place;
  lines: { quantity: number; quantityReceived: number; unitPrice: string | null; item: Described }[];
}

/** A label of the document: a catalogue key, printed in the reader's language and the other one after it. */
type Label = CatalogueKey;

/** Escapes text for HTML content and quoted attribute values. */
export function escapeHtml(value: unknown): string {
  return String(value ?? '').replace(
    /[&<>"']/g,
    (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch]!,
  );
}

/** `2027-03-31` or a timestamp as dd/mm/yyyy (timestamps on the hospital's calendar day, Europe/Rome). */
export function formatDate(value: string | null): string {
  if (!value) return '—';
  const [y, m, d] = (/^\d{4}-\d{2}-\d{2}$/.test(value) ? value : localDate(new Date(value))).split('-');
  return `${d}/${m}/${y}`;
}

const euro = (fractionDigits: number) =>
  new Intl.NumberFormat('it-IT', {
    style: 'currency',
    currency: 'EUR',
    useGrouping: 'always',
    minimumFractionDigits: 2,
    maximumFractionDigits: fractionDigits,
  });
const money = euro(2);
const price = euro(4);
const count = new Intl.NumberFormat('it-IT', { useGrouping: 'always' });
const cents = (value: number) => Math.round(value * 100) / 100;

/** A label in the reader's language, the other one after it, smaller. */
function label(l: Label, locale: Locale): string {
  const other: Locale = locale === 'it' ? 'en' : 'it';
  return `${escapeHtml(render(l, locale))} <span class="alt" lang="${other}">${escapeHtml(render(l, other))}</span>`;
}

const style = `
@page { size: A4; margin: 15mm 14mm 18mm; }
* { box-sizing: border-box; }
body { margin: 0; font: 10pt/1.35 "Helvetica Neue", Arial, sans-serif; color: #000; background: #fff; }
main { max-width: 182mm; margin: 0 auto; padding: 6mm 0; }
header { display: flex; justify-content: space-between; align-items: flex-start; border-bottom: 1.5pt solid #000; padding-bottom: 3mm; margin-bottom: 4mm; }
h1 { font-size: 16pt; margin: 0 0 1mm; }
.org { font-size: 12pt; font-weight: bold; }
.alt { font-weight: normal; font-size: 0.78em; color: #444; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: 1mm 4mm; margin: 0; }
dt { font-weight: bold; }
dd { margin: 0; white-space: nowrap; }
.parties { display: grid; grid-template-columns: 1fr 1fr; gap: 4mm; margin-bottom: 5mm; }
.party { border: 0.75pt solid #000; padding: 2.5mm 3mm; }
.party h2 { font-size: 9pt; margin: 0 0 1mm; text-transform: uppercase; letter-spacing: 0.03em; }
table { width: 100%; border-collapse: collapse; margin-bottom: 6mm; }
thead { display: table-header-group; }
tr { break-inside: avoid; page-break-inside: avoid; }
th, td { border: 0.75pt solid #000; padding: 1.5mm 2mm; text-align: left; vertical-align: top; }
th { background: #eee; font-size: 8.5pt; }
th.num, td.num { text-align: right; }
td.num, td.code { white-space: nowrap; }
th .alt { display: block; }
tfoot td { font-weight: bold; }
.banner { border: 1.5pt solid #000; padding: 2mm 3mm; margin-bottom: 4mm; font-weight: bold; }
.signatures { display: grid; grid-template-columns: 1fr 1fr; gap: 8mm; break-inside: avoid; page-break-inside: avoid; margin-top: 10mm; }
.signature { border: 0.75pt solid #000; height: 28mm; padding: 2mm 3mm; }
.signature h2 { font-size: 9pt; margin: 0; }
.signature p { margin: 1mm 0 0; font-size: 8pt; color: #444; }
@media screen { body { background: #f3f3f3; } main { background: #fff; padding: 12mm 14mm; margin: 8mm auto; box-shadow: 0 0 4mm #bbb; } }
@media print { main { padding: 0; } }
`;

function page(locale: Locale, title: string, body: string): string {
  return `<!doctype html>
<html lang="${locale}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${escapeHtml(title)}</title><style>${style}</style></head>
<body><main>
${body}
</main></body></html>
`;
}

function heading(locale: Locale, organisation: string, kind: Label, rows: [Label, string][]): string {
  const facts = rows.map(([l, v]) => `<dt>${label(l, locale)}</dt><dd>${v}</dd>`).join('');
  return `<header><div><div class="org">${escapeHtml(organisation)}</div><h1>${label(kind, locale)}</h1></div><dl>${facts}</dl></header>`;
}

const party = (l: Label, locale: Locale, p: { code: string; name: string }) =>
  `<section class="party"><h2>${label(l, locale)}</h2><div>${escapeHtml(p.name)}</div><div>${escapeHtml(p.code)}</div></section>`;

/** A column: its label and how its cells read (free text, a code or date kept on one line, a number). */
type Column = [Label, 'text' | 'code' | 'num'];

function table(locale: Locale, columns: Column[], rows: string[][], foot = ''): string {
  const head = columns
    .map(([l, kind]) => `<th${kind === 'num' ? ' class="num"' : ''}>${label(l, locale)}</th>`)
    .join('');
  const body = rows.length
    ? rows
        .map(
          (cells) =>
            `<tr>${cells.map((cell, i) => `<td${columns[i]![1] === 'text' ? '' : ` class="${columns[i]![1]}"`}>${cell}</td>`).join('')}</tr>`,
        )
        .join('\n')
    : `<tr><td colspan="${columns.length}">${label('doc_no_lines', locale)}</td></tr>`;
  return `<table><thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody>${foot}</table>`;
}

const signatures = (locale: Locale) =>
  `<section class="signatures">${(['doc_delivered_by', 'doc_received_by'] as const).map((l) => `<div class="signature"><h2>${label(l, locale)}</h2><p>${label('doc_signature', locale)}</p></div>`).join('')}</section>`;

const itemName = (item: Described, locale: Locale) => escapeHtml(locale === 'en' ? item.nameEn : item.name);

/** An issue note (bolla di scarico) ready to print: from → to, each lot with its expiry, and signature boxes. */
export function renderIssueNote(note: IssueNoteDocument, locale: Locale): string {
  const facts: [Label, string][] = [
    ['doc_number', escapeHtml(note.number)],
    ['doc_date', formatDate(note.issuedAt)],
    ['doc_status', escapeHtml(render(`doc_issue_note_${note.status}`, locale))],
  ];
  if (note.takenAt) facts.push(['doc_taken_at', formatDate(note.takenAt)]);
  if (note.reversedAt) facts.push(['doc_reversed_at', formatDate(note.reversedAt)]);
  const banner =
    note.status === 'reversed'
      ? `<p class="banner">${label('doc_issue_note_reversed', locale)}${note.reason ? ` — ${escapeHtml(note.reason)}` : ''}</p>`
      : '';
  const rows = note.lines.map((l) => [
    escapeHtml(l.item.code),
    itemName(l.item, locale),
    escapeHtml(l.lot.lotCode),
    formatDate(l.lot.expiry),
    count.format(l.quantity),
    escapeHtml(l.item.unit),
  ]);
  const columns: Column[] = [
    ['doc_code', 'code'],
    ['doc_description', 'text'],
    ['doc_lot', 'code'],
    ['doc_expiry', 'code'],
    ['doc_quantity', 'num'],
    ['doc_unit', 'code'],
  ];
  return page(
    locale,
    `${render('doc_issue_note', locale)} ${note.number}`,
    [
      heading(locale, note.organisation.name, 'doc_issue_note', facts),
      banner,
      `<div class="parties">${party('doc_from', locale, note.from)}${party('doc_to', locale, note.to)}</div>`,
      table(locale, columns, rows),
      signatures(locale),
    ].join('\n'),
  );
}

/** A purchase order ready to print: supplier and delivery place, priced lines and the order total in euro. */
export function renderPurchaseOrder(order: PurchaseOrderDocument, locale: Locale): string {
  const facts: [Label, string][] = [
    ['doc_number', escapeHtml(order.number)],
    ['doc_date', formatDate(order.createdAt)],
    ['doc_status', escapeHtml(render(`doc_purchase_order_${order.status}`, locale))],
    ['doc_expected', formatDate(order.expectedAt)],
  ];
  const priced = order.lines.map((l) => ({
    ...l,
    amount: l.unitPrice === null ? null : cents(l.quantity * Number(l.unitPrice)),
  }));
  const total = cents(priced.reduce((sum, l) => sum + (l.amount ?? 0), 0));
  const rows = priced.map((l) => [
    escapeHtml(l.item.code),
    itemName(l.item, locale),
    count.format(l.quantity),
    escapeHtml(l.item.unit),
    count.format(l.quantityReceived),
    l.unitPrice === null ? '—' : price.format(Number(l.unitPrice)),
    l.amount === null ? '—' : money.format(l.amount),
  ]);
  const columns: Column[] = [
    ['doc_code', 'code'],
    ['doc_description', 'text'],
    ['doc_quantity', 'num'],
    ['doc_unit', 'code'],
    ['doc_received', 'num'],
    ['doc_unit_price', 'num'],
    ['doc_amount', 'num'],
  ];
  const foot = `<tfoot><tr><td colspan="${columns.length - 1}" class="num">${label('doc_total', locale)}</td><td class="num">${money.format(total)}</td></tr></tfoot>`;
  return page(
    locale,
    `${render('doc_purchase_order', locale)} ${order.number}`,
    [
      heading(locale, order.organisation.name, 'doc_purchase_order', facts),
      `<div class="parties">${party('doc_supplier', locale, order.supplier)}${party('doc_deliver_to', locale, { code: order.deliverTo.code, name: `${order.organisation.name} — ${order.deliverTo.name}` })}</div>`,
      table(locale, columns, rows, foot),
      signatures(locale),
    ].join('\n'),
  );
}
