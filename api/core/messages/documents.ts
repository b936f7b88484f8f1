import type { Entry } from './index.ts';

/**
 * The labels of a printed document (`api/requests/render-documents.ts`), by `doc_`: its kind, its facts and
 * columns, and its status as printed, by `doc_issue_note_` or `doc_purchase_order_` and the status code.
 */
export const documents = {
  doc_issue_note: { it: 'Bolla di scarico', en: 'Issue note' },
  doc_purchase_order: { it: "Ordine d'acquisto", en: 'Purchase order' },
  doc_number: { it: 'Numero', en: 'Number' },
  doc_date: { it: 'Data', en: 'Date' },
  doc_status: { it: 'Stato', en: 'Status' },
  doc_from: { it: 'Da', en: 'From' },
  doc_to: { it: 'A', en: 'To' },
  doc_supplier: { it: 'Fornitore', en: 'Supplier' },
  doc_deliver_to: { it: 'Luogo di consegna', en: 'Delivery address' },
  doc_expected: { it: 'Consegna prevista', en: 'Expected delivery' },
  doc_code: { it: 'Codice', en: 'Code' },
  doc_description: { it: 'Descrizione', en: 'Description' },
  doc_lot: { it: 'Lotto', en: 'Lot' },
  doc_expiry: { it: 'Scadenza', en: 'Expiry' },
  doc_quantity: { it: 'Quantità', en: 'Quantity' },
  doc_received: { it: 'Ricevuti', en: 'Received' },
  doc_unit: { it: 'U.M.', en: 'Unit' },
  doc_unit_price: { it: 'Prezzo unitario', en: 'Unit price' },
  doc_amount: { it: 'Importo', en: 'Amount' },
  doc_total: { it: 'Totale ordine', en: 'Order total' },
  doc_taken_at: { it: 'Presa in carico il', en: 'Taken in charge on' },
  doc_reversed_at: { it: 'Stornata il', en: 'Reversed on' },
  doc_delivered_by: { it: 'Consegnato da', en: 'Delivered by' },
  doc_received_by: { it: 'Ricevuto da', en: 'Received by' },
  doc_signature: { it: 'Nome, data e firma', en: 'Name, date and signature' },
  doc_no_lines: { it: 'Nessuna riga', en: 'No lines' },
  doc_issue_note_issued: { it: 'Emessa, in transito', en: 'Issued, in transit' },
  doc_issue_note_taken_in_charge: { it: 'Presa in carico', en: 'Taken in charge' },
  doc_issue_note_reversed: { it: 'Stornata', en: 'Reversed' },
  doc_purchase_order_PL: { it: 'Pianificato (PL)', en: 'Planned (PL)' },
  doc_purchase_order_FP: { it: 'Pianificato confermato (FP)', en: 'Firm planned (FP)' },
  doc_purchase_order_RR: { it: 'Pronto al rilascio (RR)', en: 'Ready for release (RR)' },
  doc_purchase_order_OP: { it: 'Aperto (OP)', en: 'Open (OP)' },
  doc_purchase_order_OD: { it: 'In ritardo (OD)', en: 'Overdue (OD)' },
  doc_purchase_order_CL: { it: 'Chiuso (CL)', en: 'Closed (CL)' },
  doc_purchase_order_cancelled: { it: 'Annullato', en: 'Cancelled' },
} as const satisfies Record<string, Entry>;
