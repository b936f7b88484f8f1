import type { Entry } from './index.ts';

/** A quantity with its unit in words, by `unit_` and the unit's code in lower case: "20 pezzi", "1 vial". */
export const units = {
  unit_pz: { it: '{count} pezzi', en: '{count} pieces', one: { it: '{count} pezzo', en: '{count} piece' } },
  unit_fl: { it: '{count} fiale', en: '{count} vials', one: { it: '{count} fiala', en: '{count} vial' } },
  unit_conf: { it: '{count} confezioni', en: '{count} packs', one: { it: '{count} confezione', en: '{count} pack' } },
  unit_fiala: { it: '{count} fiale', en: '{count} ampoules', one: { it: '{count} fiala', en: '{count} ampoule' } },
  unit_cf: { it: '{count} confezioni', en: '{count} packs', one: { it: '{count} confezione', en: '{count} pack' } },
  unit_paio: { it: '{count} paia', en: '{count} pairs', one: { it: '{count} paio', en: '{count} pair' } },
  unit_l: { it: '{count} litri', en: '{count} litres', one: { it: '{count} litro', en: '{count} litre' } },
  unit_ui: { it: '{count} unità', en: '{count} units', one: { it: '{count} unità', en: '{count} unit' } },
  unit_sacca: { it: '{count} sacche', en: '{count} bags', one: { it: '{count} sacca', en: '{count} bag' } },
  unit_flacone: { it: '{count} flaconi', en: '{count} bottles', one: { it: '{count} flacone', en: '{count} bottle' } },
  unit_cpr: { it: '{count} compresse', en: '{count} tablets', one: { it: '{count} compressa', en: '{count} tablet' } },
  unit_rotolo: { it: '{count} rotoli', en: '{count} rolls', one: { it: '{count} rotolo', en: '{count} roll' } },
  unit_bombola: {
    it: '{count} bombole',
    en: '{count} cylinders',
    one: { it: '{count} bombola', en: '{count} cylinder' },
  },
} as const satisfies Record<string, Entry>;
