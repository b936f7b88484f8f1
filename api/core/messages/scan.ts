import type { Entry } from './index.ts';

/**
 * What a scan or a cabinet's RFID snapshot tells a person about a pack: the flags of a scanned code, by `scan_`
 * and the flag (`api/lots/scan-code.ts`), and the problems of a tag Scorta could not use as it stands, by `tag_`
 * and the problem code (`api/devices/rfid-tags.ts`).
 */
export const scan = {
  scan_recalled: {
    en: 'Lot {lot} is RECALLED: do not use it, send it back.',
    it: 'Il lotto {lot} è RICHIAMATO: non usarlo, rendilo.',
  },
  scan_quarantined: {
    en: 'Lot {lot} is in quarantine: do not use it.',
    it: 'Il lotto {lot} è in quarantena: non usarlo.',
  },
  scan_expired: { en: 'Lot {lot} has expired: do not use it.', it: 'Il lotto {lot} è scaduto: non usarlo.' },
  scan_unknown_item: {
    en: 'No item of this organisation has GTIN {gtin}.',
    it: 'Nessun articolo di questa azienda ha il GTIN {gtin}.',
  },
  scan_unknown_lot: {
    en: 'Lot {lot} is not known for this item.',
    it: 'Il lotto {lot} non è noto per questo articolo.',
  },
  scan_expiry_mismatch: {
    en: 'The pack says expiry {expiry}, the lot on record {recorded}.',
    it: 'La confezione riporta scadenza {expiry}, il lotto registrato {recorded}.',
  },
  tag_unknown_gtin: { en: 'No item has GTIN {gtin}.', it: 'Nessun articolo ha GTIN {gtin}.' },
  tag_no_lot: {
    en: 'The tag names no lot (an EPC carries only GTIN and serial) for item {item}: not booked.',
    it: "Il tag non indica il lotto (un EPC porta solo GTIN e seriale) dell'articolo {item}: non registrato.",
  },
  tag_lot_mismatch: {
    en: 'Lot {lot} of item {item} has expiry {known}, the tag says {expiry}: not booked.',
    it: "Il lotto {lot} dell'articolo {item} scade il {known}, il tag dice {expiry}: non registrato.",
  },
  tag_not_on_books: {
    en: 'Lot {lot} of item {item} is on the books neither of the cabinet nor of {from}: not put away until its delivery is recorded.',
    it: "Il lotto {lot} dell'articolo {item} non risulta né nell'armadio né in {from}: non riposto finché la consegna non è registrata.",
  },
  tag_lot_unusable: {
    en: 'Lot {lot} of item {item} is {status} and is in the cabinet: take it out.',
    it: "Il lotto {lot} dell'articolo {item} è {status} ed è nell'armadio: va tolto.",
    labels: { status: 'lot' },
  },
  tag_consumption_not_booked: {
    en: 'A pack of lot {lot} of item {item} ({status}) left the cabinet: consumption not booked; record its return or its use.',
    it: "Una confezione del lotto {lot} dell'articolo {item} ({status}) è uscita dall'armadio: consumo non registrato; registrarne il reso o l'uso.",
    labels: { status: 'lot' },
  },
  tag_short_books: {
    en: 'Lot {lot} of item {item}: {gone} units left the cabinet, {books} on the books; {books} booked as consumption.',
    it: "Lotto {lot} dell'articolo {item}: {gone} unità uscite dall'armadio, {books} a sistema; registrate {books} come consumo.",
  },
} as const satisfies Record<string, Entry>;
