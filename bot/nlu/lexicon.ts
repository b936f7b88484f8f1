import type { Intent, QuantityUnit, Urgency } from './types.ts';

/** Words that carry no meaning for matching items or wards (Italian and English). */
export const stopWords = new Set([
  'il', 'lo', 'la', 'i', 'gli', 'le', 'un', 'uno', 'una', 'di', 'del', 'della', 'dello', 'dei', 'degli', 'delle', 'da', 'dal', 'dalla', 'dai', 'dalle',
  'in', 'nel', 'nella', 'nei', 'nelle', 'a', 'al', 'alla', 'ai', 'alle', 'per', 'con', 'su', 'sul', 'sulla', 'e', 'ed', 'o', 'che', 'cosa', 'ci', 'ne',
  'mi', 'ti', 'si', 'me', 'ce', 'ho', 'ha', 'hanno', 'abbiamo', 'sono', 'e', 'sta', 'quale', 'quali', 'tutti', 'tutte', 'ancora', 'anche', 'piu', 'per',
  'favore', 'grazie', 'please', 'the', 'an', 'of', 'for', 'to', 'at', 'on', 'and', 'or', 'with', 'we', 'i', 'you', 'do', 'does', 'is', 'are', 'any',
  'some', 'my', 'our', 'me', 'there', 'have', 'has', 'be', 'it', 'this', 'that', 'what', 'which', 'in', 'into', 'from', 'by', 'can', 'could', 'left',
  'degli', 'qui', 'here', 'da', 'po', 'x', 'all', 'every', 'ogni', 'n', 'nr', 'numero', 'number', 'no', 'non', 'not', 'size', 'taglia', 'misura',
]);

/** Prepositions after which a short ward abbreviation (PS, TI, ER) counts even in lower case. */
export const locationPrepositions = new Set([
  'in', 'nel', 'nella', 'al', 'alla', 'per', 'della', 'del', 'dal', 'dalla', 'a', 'di', 'for', 'to', 'at', 'the', 'from', 'of', 'into', 'il', 'la', 'nell',
]);

/** Quantity units: packs (scatole, confezioni, boxes) or the item's own unit (pz, fiale, sacche, pairs). */
export const unitWords: Record<string, QuantityUnit> = Object.fromEntries([
  ...['confezione', 'confezioni', 'conf', 'cf', 'scatola', 'scatole', 'scatolo', 'box', 'boxes', 'pacco', 'pacchi', 'pack', 'packs', 'packet', 'packets',
    'cartone', 'cartoni', 'carton', 'cartons', 'case', 'cases', 'bombola', 'bombole', 'cylinder', 'cylinders', 'kit', 'kits', 'packages', 'package']
    .map((w) => [w, 'pack' as const]),
  ...['pz', 'pezzo', 'pezzi', 'pc', 'pcs', 'piece', 'pieces', 'unita', 'unit', 'units', 'fiala', 'fiale', 'ampoule', 'ampoules', 'amp', 'amps', 'flacone',
    'flaconi', 'flaconcino', 'flaconcini', 'bottle', 'bottles', 'vial', 'vials', 'sacca', 'sacche', 'sacchetta', 'sacchette', 'bag', 'bags', 'paio', 'paia',
    'pair', 'pairs', 'each', 'ea', 'compresse', 'tablets', 'dosi', 'doses']
    .map((w) => [w, 'unit' as const]),
]);

/** Units of measure that make the number before them a size or strength, never a quantity. */
export const measureWords = new Set(['ml', 'l', 'lt', 'litri', 'litre', 'litres', 'liter', 'liters', 'g', 'gr', 'mg', 'mcg', 'kg', 'cm', 'mm', 'm', 'ui', 'iu', 'fr', 'ch', 'cc', 'kcal', 'gauge', 'bar', 'percent', 'french']);
/** Words before a number that make it a size ("CH 14", "misura 7", "size 7", "siringhe da 10"). */
export const sizeMarkers = new Set(['ch', 'misura', 'taglia', 'size', 'da', 'fr', 'calibro', 'numero', 'n', 'nr']);

export const urgencyWords: Record<string, Urgency> = {
  urgente: 'urgent', urgenti: 'urgent', urgentissimo: 'urgent', urgentissima: 'urgent', urgenza: 'urgent', urgent: 'urgent', urgently: 'urgent', asap: 'urgent',
  subito: 'urgent', presto: 'urgent', immediately: 'urgent', immediatamente: 'urgent', priorita: 'urgent', priority: 'urgent', rush: 'urgent',
  emergenza: 'emergency', emergency: 'emergency', stat: 'emergency', emergenze: 'emergency', salvavita: 'emergency', critico: 'emergency',
};
/** Phrases meaning "no hurry" (the urgency is then explicitly normal). */
export const notUrgentPhrases = ['non urgente', 'non e urgente', 'not urgent', 'no rush', 'no hurry', 'nessuna fretta', 'senza fretta', 'non urgent'];
export const urgencyPhrases: Record<string, Urgency> = { 'codice rosso': 'emergency', 'quanto prima': 'urgent', 'il prima possibile': 'urgent', 'as soon as possible': 'urgent' };

/** Days in a period word: giorni/days, settimane/weeks, mesi/months, anni/years. */
export const periodDays: Record<string, number> = {
  giorno: 1, giorni: 1, gg: 1, day: 1, days: 1, settimana: 7, settimane: 7, week: 7, weeks: 7, fortnight: 14, mese: 30, mesi: 30, month: 30, months: 30,
  anno: 365, anni: 365, year: 365, years: 365,
};

/**
 * Cue words and phrases per intent with their weights. Phrases are matched on the folded, tokenised text
 * ("c e" is "c'è" after tokenisation drops the elided "c").
 */
export const intentCues: Record<Exclude<Intent, 'out_of_scope'>, Record<string, number>> & { out_of_scope: Record<string, number> } = {
  stock_query: {
    quante: 2, quanti: 2, quanto: 1.5, quanta: 2, giacenza: 2.5, giacenze: 2.5, disponibilita: 2.5, disponibile: 2, disponibili: 2, ce: 1.5, 'ci sono': 1.5,
    abbiamo: 1, restano: 1.5, rimangono: 1.5, resta: 1, 'how many': 2, 'how much': 2, stock: 1.5, 'in stock': 1, 'do we have': 2, 'is there': 1.5,
    'are there': 1.5, availability: 2.5, available: 2, left: 1, scorta: 1, mostrami: 1, 'show me': 1, check: 0.5, any: 0.5,
  },
  request_items: {
    ordina: 3, ordinare: 3, ordinate: 3, ordinami: 3, richiedi: 3, richiedere: 3, servono: 3, serve: 2, bisogno: 3, manda: 3, mandate: 3, mandami: 3,
    invia: 3, inviate: 3, inviami: 3, porta: 2, portate: 2, portami: 2, vorrei: 2.5, rifornimento: 2, rifornire: 2, order: 2.5, request: 1.5, send: 3,
    need: 3, 'get me': 3, bring: 2.5, reorder: 3, restock: 3, richiesta: 1, ordine: 1,
  },
  trace_lot: {
    traccia: 3, tracciare: 3, tracciabilita: 3, trace: 3, traceability: 3, track: 3, 'dove e finito': 3, finito: 1.5, 'where did': 2.5, 'end up': 2,
    'chi ha ricevuto': 3, 'who received': 3, ricevuto: 1.5, received: 1.5, reparti: 1.5, wards: 1.5, storia: 2.5, storico: 2.5, history: 2.5,
    movimenti: 2.5, movements: 2.5, got: 1, andato: 1.5, go: 1,
  },
  recall_lot: {
    richiama: 4, richiamo: 4, richiamare: 4, richiamato: 4, recall: 4, recalled: 4, ritira: 3.5, ritirare: 3.5, ritiro: 3.5, withdraw: 3.5, pull: 3,
  },
  quarantine_lot: {
    quarantena: 4, quarantine: 4, blocca: 3.5, bloccare: 3.5, block: 3.5, sospendi: 3.5, suspend: 3.5, isola: 3.5, isolate: 3.5, segrega: 3.5,
    'on hold': 3.5, hold: 3,
  },
  request_status: {
    stato: 2.5, status: 2.5, 'a che punto': 3, 'where is': 2, 'where s': 2, arrivata: 2, arrivate: 2, arriva: 2, arrive: 2, evasa: 2.5, fulfilled: 2.5,
    approvata: 2.5, approved: 2.5, shipped: 2.5, partita: 2, novita: 2, news: 2, richieste: 1, requests: 1, happening: 1.5, richiesta: 1, request: 1,
    'my order': 2, 'mio ordine': 2, 'my request': 1,
  },
  expiring: {
    scade: 3, scadono: 3, scadenza: 3, scadenze: 3, scaduti: 3, scaduto: 3, scaduta: 3, scadute: 3, expire: 3, expires: 3, expiring: 3, expiry: 3,
    expiries: 3, expired: 3,
  },
  patient_supplies: {
    paziente: 2.5, patient: 2.5, domicilio: 2, domiciliari: 2, domiciliare: 2, home: 1.5, casa: 1.5, copertura: 2.5, cover: 2.5, autonomia: 2.5,
    'run out': 2.5, finiscono: 2, bastano: 2, 'days of supply': 2.5, last: 1, pazienti: 1.5, patients: 1.5, 'resta senza': 2.5, 'restano senza': 2.5,
    'rimane senza': 2.5, 'rimangono senza': 2.5, 'running out': 2.5, 'runs out': 2.5, forniture: 1, 'home care': 1, finisce: 2,
    finira: 2, finiranno: 2, esaurisce: 2, esauriscono: 2,
  },
  help: {
    aiuto: 4, aiutami: 4, help: 4, 'cosa sai fare': 5, 'cosa puoi fare': 5, 'what can you do': 5, 'come funziona': 5, 'how does this work': 5,
    'how does it work': 5, comandi: 4, commands: 4, 'come si': 5, 'come faccio': 5, 'how do i': 5, 'how can i': 5, 'non so come': 5,
    'know how to': 5, 'dai una mano': 4, istruzioni: 2, 'cosa posso chiedert': 5, 'cosa posso chiederti': 5, 'cosa posso chiedere': 5, 'what can i ask': 5,
  },
  out_of_scope: {
    ciao: 1, hello: 1, hi: 1, hey: 1, buongiorno: 1, buonasera: 1, buonanotte: 1, arrivederci: 1, bye: 1, goodbye: 1, 'good morning': 1,
    'good night': 1, 'good evening': 1, 'good afternoon': 1, grazie: 1, thanks: 1, 'thank you': 1, poesia: 5, poem: 5,
    barzelletta: 5, joke: 5, 'che tempo': 5, weather: 5, game: 4, robot: 4, 'sei un': 3, 'are you a': 4, 'who won': 5, 'chi ha vinto': 5,
  },
};

/** Text that tries to steer or subvert the assistant, or asks for bulk destruction: always out of scope, never a write. */
export const injectionPatterns: RegExp[] = [
  /\bignor[aei]\b.*\b(istruzion|regol|instruction|rule|prompt)/,
  /\b(ignore|ignora|disregard|forget|dimentica)\b.*\b(previous|above|prior|rules?|instructions?|regole|istruzioni|precedenti|system|sistema|prompt)\b/,
  /\b(approva|approve|autorizza|authori[sz]e|conferma|confirm|evadi|fulfil+)\b.*\b(tutt[eio]|all|every|ogni)\b/,
  /\b(system|sistema)\s*:/,
  /\b(developer|sviluppatore|god|admin) mode\b|\bmodalita (sviluppatore|admin)/,
  /\b(you are now|ora sei|sei ora|act as|fingi di)\b/,
  /\b(drop|truncate|alter)\s+table\b|;\s*--|\bdelete\s+from\b/,
  /\b(delete|remove|erase|wipe|cancella|elimina|azzera|svuota)\b.*\b(all|every|tutt[eio]|ogni|stock|giacenz|richiest|request|database|lotti|lots)\b/,
  /\b(azzera|wipe)\b/,
  /\b(admin rights|permessi di amministratore|privilegi|privileges|password|token|credenziali|credentials)\b/,
  /\bset (every|all) stock\b/,
];

/**
 * Clinical work that is not logistics: booking an exam or a visit, reading or recording vital signs and
 * measurements. Out of scope when a patient is named (the text is folded: lower case, no accents).
 */
export const clinicalPatterns: RegExp[] = [
  /\b(prenot\w*|fiss(a|are|ami|iamo)|programm(a|are|ami)|book\w*|schedul\w*|arrange)\b.*\b(tac|tc|rm|risonanz\w*|ecograf\w*|radiograf\w*|rx|visit[ae]|esam[ei]|prelievo|analisi|appuntament\w*|ct|mri|scan|x ?ray|ultrasound|exam|blood tests?|appointment|consult\w*|visit)\b/,
  /\b(pressione|saturazione|temperatura|febbre|frequenza (cardiaca|respiratoria)|battito|parametri vitali|blood pressure|saturation|spo2|temperature|fever|heart rate|pulse|respiratory rate|vital signs|vitals)\b/,
  /\b(registra|segna|annota|misura|rileva|record|log|measure|chart)\b.*\b(glicemia|peso|diuresi|dolore|weight|blood sugar|glucose level|pain score)\b/,
  /\b(prescriv\w*|prescri(be|ption)|diagnos\w*)\b/,
];

/** Words that mark a language for choosing the reply; shared words (in, no, stock) count for neither. */
export const languageMarkers: Record<'it' | 'en', Set<string>> = {
  it: new Set([
    'il', 'lo', 'la', 'gli', 'le', 'di', 'del', 'della', 'dei', 'delle', 'da', 'dal', 'nel', 'nella', 'al', 'alla', 'per', 'con', 'che', 'cosa', 'ci',
    'sono', 'abbiamo', 'quante', 'quanti', 'quanto', 'quanta', 'ordina', 'servono', 'mi', 'ho', 'ha', 'e', 'giacenza', 'scade', 'scadono', 'lotto',
    'richiesta', 'paziente', 'giorni', 'entro', 'prossimi', 'prossime', 'urgente', 'scatole', 'confezioni', 'pezzi', 'siringhe', 'guanti', 'aiuto',
    'ciao', 'grazie', 'dove', 'chi', 'stato', 'quarantena', 'richiama', 'metti', 'blocca', 'traccia', 'manda', 'vorrei', 'ancora', 'quando', 'come',
    'questo', 'questa', 'mese', 'settimana', 'fiale', 'sacche', 'garze', 'delle', 'dello', 'tutte', 'tutti', 'una', 'uno', 'un', 'non', 'sei', 'fare',
  ]),
  en: new Set([
    'the', 'of', 'for', 'to', 'at', 'how', 'many', 'much', 'do', 'does', 'we', 'have', 'is', 'are', 'any', 'order', 'send', 'need', 'lot', 'batch',
    'request', 'patient', 'days', 'within', 'next', 'urgent', 'boxes', 'packs', 'pieces', 'syringes', 'gloves', 'help', 'hello', 'thanks', 'where',
    'who', 'status', 'quarantine', 'recall', 'put', 'block', 'trace', 'please', 'what', 'when', 'this', 'month', 'week', 'left', 'my', 'i', 'you', 'can',
    'and', 'with', 'there', 'has', 'been', 'did', 'will', 'expire', 'expires', 'expiring', 'expired', 'from', 'me', 'show', 'get', 'which', 'a', 'an',
  ]),
};

/** A request verb under negation ("non ordinare", "don't order") is not a request. */
export const negatedRequest = /\b(non|don|dont|do not|never|mai)( piu)? (ordin\w*|mand\w*|invi\w*|richied\w*|order|send|request)\b/;
