import type { Entry } from './index.ts';

/** GS1 and EPC scanning errors, by `gs1_` and the error code (`api/catalogue/gs1.ts`); `{ai}` is the field at fault. */
export const gs1 = {
  gs1_empty: { en: 'The code is empty.', it: 'Il codice è vuoto.' },
  gs1_syntax: {
    en: 'Not a GS1 element string: unexpected text at position {position}.',
    it: 'Non è una stringa GS1: testo inatteso alla posizione {position}.',
  },
  gs1_unknown_ai: {
    en: 'Unknown GS1 application identifier at "{value}".',
    it: 'Identificatore di applicazione GS1 sconosciuto in "{value}".',
  },
  gs1_wrong_length: {
    en: 'Field ({ai}) has {found} characters instead of {expected}.',
    it: 'Il campo ({ai}) ha {found} caratteri invece di {expected}.',
  },
  gs1_missing_separator: {
    en: 'Field ({ai}) is longer than {max} characters: a group separator (FNC1) is probably missing.',
    it: 'Il campo ({ai}) supera {max} caratteri: probabilmente manca un separatore di gruppo (FNC1).',
  },
  gs1_not_numeric: {
    en: 'Field ({ai}) must be digits only: "{value}".',
    it: 'Il campo ({ai}) deve contenere solo cifre: "{value}".',
  },
  gs1_invalid_characters: {
    en: 'Field ({ai}) holds characters GS1 does not allow: "{value}".',
    it: 'Il campo ({ai}) contiene caratteri non ammessi da GS1: "{value}".',
  },
  gs1_bad_check_digit: {
    en: 'Field ({ai}) {value} has a wrong check digit: it should be {expected}.',
    it: 'Il campo ({ai}) {value} ha la cifra di controllo errata: dovrebbe essere {expected}.',
  },
  gs1_bad_date: {
    en: 'Field ({ai}) is not a valid YYMMDD date: {value}.',
    it: 'Il campo ({ai}) non è una data AAMMGG valida: {value}.',
  },
  gs1_duplicate_ai: {
    en: 'Field ({ai}) appears twice with different values.',
    it: 'Il campo ({ai}) compare due volte con valori diversi.',
  },
  gs1_no_gtin: { en: 'The code carries no GTIN (01).', it: 'Il codice non contiene un GTIN (01).' },
  gs1_not_epc: {
    en: 'Not an SGTIN-96 EPC: 24 hexadecimal digits starting with 30 expected.',
    it: 'Non è un EPC SGTIN-96: servono 24 cifre esadecimali che iniziano con 30.',
  },
  gs1_bad_epc: {
    en: 'The SGTIN-96 EPC {value} does not decode: partition, company prefix or item reference out of range.',
    it: "L'EPC SGTIN-96 {value} non è decodificabile: partizione, prefisso aziendale o riferimento articolo fuori intervallo.",
  },
} as const satisfies Record<string, Entry>;
