import type { Entry } from './index.ts';

/**
 * How an answer speaks of a lot: its status sentence, who holds it, its trace and what expires (bot/conversation/
 * lot-words.ts, bot/conversation/lots.ts). `{word}` is a lot status already in the reader's language, in capitals.
 */
export const lots = {
  lot_subject: { it: 'Il lotto {lotCode} di {name}', en: 'Lot {lotCode} of {name}' },
  lot_available: { it: '{subject} è disponibile.', en: '{subject} is available.' },
  lot_available_until: {
    it: '{subject} è disponibile, scade il {expiry}.',
    en: '{subject} is available, expiring on {expiry}.',
  },
  lot_in_status: { it: '{subject} è {word}.', en: '{subject} is {word}.' },
  lot_expired_on: { it: '{subject} è {word} il {expiry}.', en: '{subject} is {word} on {expiry}.' },
  lot_in_status_why: { it: '{subject} è {word} ({why}).', en: '{subject} is {word} ({why}).' },
  lot_reason: { it: 'motivo: {reason}', en: 'reason: {reason}' },
  lot_reference: { it: 'rif. {reference}', en: 'ref. {reference}' },
  list_and: { it: '{list} e {last}', en: '{list} and {last}' },
  holders_more: {
    it: 'e altri {count} luoghi',
    en: 'and {count} more locations',
    one: { it: 'e un altro luogo', en: 'and 1 more location' },
  },
  places: {
    it: 'in {count} luoghi',
    en: 'at {count} locations',
    one: { it: 'in un luogo', en: 'at one location' },
  },
  lot_which: { it: 'Quale lotto? Dimmi il codice.', en: 'Which lot? Tell me its code.' },
  lot_not_found: { it: 'Non trovo il lotto {lotCode}.', en: 'I cannot find lot {lotCode}.' },
  lot_several_items: {
    it: 'Il lotto {lotCode} esiste per più articoli: quale?',
    en: 'Lot {lotCode} exists for several items: which one?',
  },

  // A lot's trace
  trace_nothing_left: {
    it: 'Nessuna giacenza ancora presente, {consumed} consumati.',
    en: 'Nothing left on hand, {consumed} consumed.',
  },
  trace_on_hand: {
    it: '{onHand} ancora presenti {places}: {holders}; {consumed} consumati.',
    en: '{onHand} still on hand {places}: {holders}; {consumed} consumed.',
  },
  trace_others_hidden: {
    it: 'Movimenti di altri {count} luoghi non mostrati: solo i totali.',
    en: 'Movements at {count} other locations not shown: totals only.',
    one: {
      it: 'Movimenti di un altro luogo non mostrati: solo i totali.',
      en: 'Movements at one other location not shown: totals only.',
    },
  },
  trace_title: {
    it: 'Tracciabilità lotto {lotCode} · {name} · scadenza {expiry}{flag}',
    en: 'Trace of lot {lotCode} · {name} · expiry {expiry}{flag}',
  },
  movement_receipt: { it: 'Carico', en: 'Receipt' },
  movement_issue: { it: 'Scarico', en: 'Issue' },
  movement_transfer: { it: 'Trasferimento', en: 'Transfer' },
  movement_consumption: { it: 'Consumo', en: 'Consumption' },
  movement_adjustment: { it: 'Rettifica', en: 'Adjustment' },
  movement_sale: { it: 'Vendita', en: 'Sale' },
  movement_return: { it: 'Reso', en: 'Return' },
  movement_reversal: { it: 'Storno', en: 'Reversal' },

  // What expires
  expiring_none: {
    it: 'Niente scade entro {days} giorni{scope}.',
    en: 'Nothing expires within {days} days{scope}.',
  },
  expiring_unusable: {
    it: '{count} lotti non sono più utilizzabili: scaduti, richiamati o in quarantena.',
    en: '{count} lots are no longer usable: expired, recalled or quarantined.',
    one: {
      it: 'Un lotto non è più utilizzabile: scaduto, richiamato o in quarantena.',
      en: 'One lot is no longer usable: expired, recalled or quarantined.',
    },
  },
  expiring: {
    it: '{count} lotti scadono entro {days} giorni{scope}. Il primo: {item}, lotto {lotCode}{flag}, {quantity}, il {expiry}.',
    en: '{count} lots expire within {days} days{scope}. First: {item}, lot {lotCode}{flag}, {quantity}, on {expiry}.',
    one: {
      it: 'Un lotto scade entro {days} giorni{scope}. Il primo: {item}, lotto {lotCode}{flag}, {quantity}, il {expiry}.',
      en: 'One lot expires within {days} days{scope}. First: {item}, lot {lotCode}{flag}, {quantity}, on {expiry}.',
    },
  },
  expiring_title: {
    it: 'In scadenza entro {days} giorni{scope}',
    en: 'Expiring within {days} days{scope}',
  },
} as const satisfies Record<string, Entry>;
