import type { Locale } from './index.ts';

/*
 * The one catalogue of the names a person reads for codes: states, entities and permissions, in Italian and
 * English. Catalogue entries show their parameters through it (an entry's `labels`); the bot reads it too.
 */

export type Label = { it: string; en: string };

/**
 * Every state name a person can see, by the machine it belongs to (the group is the entity name the core
 * uses in its errors), in Italian (in the gender of its noun) and English. The one place channels read them.
 */
export const stateLabels = {
  lot: {
    available: { it: 'disponibile', en: 'available' },
    quarantined: { it: 'in quarantena', en: 'quarantined' },
    recalled: { it: 'richiamato', en: 'recalled' },
    expired: { it: 'scaduto', en: 'expired' },
  },
  request: {
    submitted: { it: 'inviata, in attesa di valutazione', en: 'submitted, waiting for evaluation' },
    in_progress: { it: 'in lavorazione', en: 'in progress' },
    completed: { it: 'evasa', en: 'fulfilled' },
    cancelled: { it: 'annullata', en: 'cancelled' },
  },
  'request line': {
    routed: { it: 'inoltrata', en: 'routed' },
    approved: { it: 'approvata', en: 'approved' },
    reduced: { it: 'ridotta', en: 'reduced' },
    rejected: { it: 'respinta', en: 'rejected' },
    picking: { it: 'in prelievo', en: 'being picked' },
    ordered: { it: 'ordinata al fornitore', en: 'ordered from the supplier' },
    partially_issued: { it: 'evasa in parte', en: 'partly issued' },
    issued: { it: 'evasa', en: 'issued' },
    cancelled: { it: 'annullata', en: 'cancelled' },
  },
  recall: {
    open: { it: 'aperto', en: 'open' },
    closed: { it: 'chiuso', en: 'closed' },
    lifted: { it: 'revocato', en: 'lifted' },
    escalated: { it: 'trasformato in richiamo', en: 'escalated to a recall' },
  },
  'recall kind': {
    quarantine: { it: 'quarantena', en: 'quarantine' },
    recall: { it: 'richiamo', en: 'recall' },
  },
  urgency: {
    normal: { it: 'normale', en: 'normal' },
    urgent: { it: 'urgente', en: 'urgent' },
    emergency: { it: 'emergenza', en: 'emergency' },
  },
  'issue note': {
    issued: { it: 'emessa', en: 'issued' },
    taken_in_charge: { it: 'presa in carico', en: 'taken in charge' },
    reversed: { it: 'stornata', en: 'reversed' },
  },
  'picking list': {
    proposed: { it: 'proposta', en: 'proposed' },
    confirmed: { it: 'confermata', en: 'confirmed' },
    cancelled: { it: 'annullata', en: 'cancelled' },
  },
  'purchase order': {
    PL: { it: 'pianificato (PL)', en: 'planned (PL)' },
    FP: { it: 'pianificato confermato (FP)', en: 'firm planned (FP)' },
    RR: { it: 'pronto al rilascio (RR)', en: 'ready for release (RR)' },
    OP: { it: 'aperto (OP)', en: 'open (OP)' },
    OD: { it: 'in ritardo (OD)', en: 'overdue (OD)' },
    CL: { it: 'chiuso (CL)', en: 'closed (CL)' },
    cancelled: { it: 'annullato', en: 'cancelled' },
  },
  proposal: {
    pending: { it: 'in attesa di conferma', en: 'pending' },
    confirmed: { it: 'confermata', en: 'confirmed' },
    cancelled: { it: 'annullata', en: 'cancelled' },
    expired: { it: 'scaduta', en: 'expired' },
  },
} as const satisfies Record<string, Record<string, Label>>;
export type StateGroup = keyof typeof stateLabels;

/** The names of the things the core's errors speak of (`{entity}`), in Italian and English. */
export const entityLabels: Record<string, Label> = {
  api_token: { it: 'token API', en: 'API token' },
  category: { it: 'categoria', en: 'category' },
  device: { it: 'dispositivo', en: 'device' },
  'issue note': { it: 'bolla di scarico', en: 'issue note' },
  item: { it: 'articolo', en: 'item' },
  location: { it: 'luogo', en: 'location' },
  lot: { it: 'lotto', en: 'lot' },
  movement: { it: 'movimento', en: 'movement' },
  organisation: { it: 'azienda', en: 'organisation' },
  patient: { it: 'paziente', en: 'patient' },
  'picking list': { it: 'proposta di scarico', en: 'picking list' },
  proposal: { it: 'proposta', en: 'proposal' },
  'purchase order': { it: "ordine d'acquisto", en: 'purchase order' },
  recall: { it: 'richiamo', en: 'recall' },
  request: { it: 'richiesta', en: 'request' },
  'request line': { it: 'riga di richiesta', en: 'request line' },
  route: { it: 'percorso', en: 'route' },
  section: { it: 'sezione ordinante', en: 'purchasing section' },
  supplier: { it: 'fornitore', en: 'supplier' },
  'supply plan': { it: 'piano di fornitura', en: 'supply plan' },
  user: { it: 'utente', en: 'user' },
};

/**
 * What a permission lets one do (`{action}` of the forbidden messages), as a verb phrase that follows "to" /
 * "di": "You are not allowed to issue stock here", "Non hai il permesso di scaricare merce qui".
 */
export const actionLabels: Record<string, Label> = {
  'catalogue.read': { it: 'consultare il catalogo', en: 'read the catalogue' },
  'catalogue.write': { it: 'modificare il catalogo', en: 'change the catalogue' },
  'locations.read': { it: 'consultare i luoghi', en: 'read locations' },
  'locations.write': { it: 'gestire luoghi e dispositivi', en: 'manage locations and devices' },
  'organisations.write': { it: 'creare o modificare aziende', en: 'create or change organisations' },
  'users.write': { it: 'gestire utenti, ruoli e token', en: 'manage users, roles and tokens' },
  'stock.read': { it: 'consultare le giacenze', en: 'read stock' },
  'stock.receive': { it: 'caricare merce', en: 'receive goods' },
  'stock.issue': { it: 'scaricare merce', en: 'issue stock' },
  'stock.transfer': { it: 'trasferire merce', en: 'transfer stock' },
  'stock.consume': { it: 'registrare consumi', en: 'record consumption' },
  'stock.put_away': { it: 'riporre merce in un armadio', en: 'put stock away in a cabinet' },
  'stock.adjust': { it: 'rettificare giacenze', en: 'adjust stock' },
  'stock.return': { it: 'rendere merce', en: 'return stock' },
  'movement.reverse': { it: 'stornare un movimento', en: 'reverse a movement' },
  'lots.read': { it: 'consultare i lotti e la loro tracciabilità', en: 'read lots and their trace' },
  'lots.status': {
    it: 'mettere in quarantena, richiamare o sbloccare lotti',
    en: 'quarantine, recall or release lots',
  },
  'requests.emit': { it: 'inviare una richiesta', en: 'send a request' },
  'requests.exceed_cap': {
    it: 'superare il limite di quantità di una richiesta',
    en: 'exceed the quantity cap of a request',
  },
  'requests.read': { it: 'consultare questa richiesta', en: 'read this request' },
  'requests.receive': {
    it: 'prendere in carico merce o annullare una richiesta',
    en: 'take goods in charge or cancel a request',
  },
  'requests.cancel': { it: 'annullare questa richiesta', en: 'cancel this request' },
  'requests.process': { it: 'valutare ed evadere richieste', en: 'evaluate and fulfil requests' },
  'orders.manage': { it: "gestire gli ordini d'acquisto", en: 'manage purchase orders' },
  'homecare.read': { it: 'consultare i pazienti in assistenza domiciliare', en: 'read home-care patients' },
  'homecare.plan': { it: 'pianificare le forniture di un paziente', en: "plan a patient's supplies" },
  'alerts.read': { it: 'consultare gli avvisi dei dispositivi', en: 'read device alerts' },
  'reports.read': { it: 'consultare i report dei costi', en: 'read cost reports' },
};

/** A state's label in the reader's language; a value the catalogue does not know is shown as it is. */
export function stateLabel(group: string, value: string, locale: Locale): string {
  return (stateLabels as Record<string, Record<string, Label>>)[group]?.[value]?.[locale] ?? value;
}
