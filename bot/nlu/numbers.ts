import type { Token } from './normalize.ts';

const itUnits: Record<string, number> = {
  zero: 0,
  uno: 1,
  un: 1,
  una: 1,
  due: 2,
  tre: 3,
  quattro: 4,
  cinque: 5,
  sei: 6,
  sette: 7,
  otto: 8,
  nove: 9,
  dieci: 10,
  undici: 11,
  dodici: 12,
  tredici: 13,
  quattordici: 14,
  quindici: 15,
  sedici: 16,
  diciassette: 17,
  diciotto: 18,
  diciannove: 19,
};
const itTens: Record<string, number> = {
  venti: 20,
  trenta: 30,
  quaranta: 40,
  cinquanta: 50,
  sessanta: 60,
  settanta: 70,
  ottanta: 80,
  novanta: 90,
};

/** Value of one Italian number word, compounds included: "ventiquattro" 24, "centocinquanta" 150, "duemila" 2000. */
export function italianNumberWord(word: string): number | null {
  if (word === '') return null;
  if (word in itUnits) return itUnits[word]!;
  if (word === 'cento') return 100;
  if (word === 'mille') return 1000;
  const mila = word.indexOf('mila');
  if (mila > 0) {
    const head = italianNumberWord(word.slice(0, mila));
    const tail = word.slice(mila + 4);
    const rest = tail ? italianNumberWord(tail) : 0;
    return head !== null && head > 1 && rest !== null ? head * 1000 + rest : null;
  }
  if (word.startsWith('mille')) {
    const rest = italianNumberWord(word.slice(5));
    return rest === null ? null : 1000 + rest;
  }
  const cento = word.indexOf('cento');
  if (cento >= 0) {
    const head = cento === 0 ? 1 : italianNumberWord(word.slice(0, cento));
    const tail = word.slice(cento + 5);
    const rest = tail ? italianNumberWord(tail) : 0;
    return head !== null && head >= 1 && head < 10 && rest !== null && rest < 100 ? head * 100 + rest : null;
  }
  for (const [ten, value] of Object.entries(itTens)) {
    // "ventuno", "trentotto": the tens drop their last vowel before uno and otto.
    for (const prefix of [ten, ten.slice(0, -1)]) {
      if (!word.startsWith(prefix)) continue;
      const tail = word.slice(prefix.length);
      if (tail === '') return prefix === ten ? value : null;
      const unit = itUnits[tail];
      const elidedOk = prefix !== ten ? tail === 'uno' || tail === 'otto' : tail !== 'uno' && tail !== 'otto';
      if (unit !== undefined && unit >= 1 && unit <= 9 && elidedOk && tail !== 'un' && tail !== 'una')
        return value + unit;
    }
  }
  return null;
}

const enSmall: Record<string, number> = {
  zero: 0,
  one: 1,
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  seven: 7,
  eight: 8,
  nine: 9,
  ten: 10,
  eleven: 11,
  twelve: 12,
  thirteen: 13,
  fourteen: 14,
  fifteen: 15,
  sixteen: 16,
  seventeen: 17,
  eighteen: 18,
  nineteen: 19,
};
const enTens: Record<string, number> = {
  twenty: 20,
  thirty: 30,
  forty: 40,
  fourty: 40,
  fifty: 50,
  sixty: 60,
  seventy: 70,
  eighty: 80,
  ninety: 90,
};

/** Articles that mean "one" only before a unit or "dozen": "a box", "una scatola", "un pacco". */
export const articles = new Set(['a', 'an', 'un', 'una', 'uno']);

export interface NumberMatch {
  value: number;
  /** Index just past the last token of the number. */
  end: number;
  /** Written with digits. */
  digits: boolean;
}

const dozen = (w: string | undefined) => w === 'dozen' || w === 'dozens' || w === 'dozzina' || w === 'dozzine';

/**
 * Reads a number starting at token `i`: digits ("20", "2.5"), Italian and English words ("venti",
 * "ventiquattro", "thirty five", "one hundred and fifty", "two hundred"), dozens ("a dozen", "mezza dozzina",
 * "half a dozen"), "un paio di", and a sign ("-5", "meno cinque", "minus five"). Bare articles are not numbers.
 */
export function readNumber(tokens: readonly Token[], i: number): NumberMatch | null {
  const w = (k: number) => tokens[k]?.norm;
  if (w(i) === 'meno' || w(i) === 'minus') {
    const inner = readNumber(tokens, i + 1);
    return inner ? { ...inner, value: -inner.value } : null;
  }
  const first = w(i);
  if (first === undefined) return null;
  if (/^\d+(\.\d+)?$/.test(first)) {
    const value = Number(first) * (tokens[i]!.negative ? -1 : 1);
    if (dozen(w(i + 1))) return { value: value * 12, end: i + 2, digits: true };
    return { value, end: i + 1, digits: true };
  }
  if (first === 'half' && articles.has(w(i + 1) ?? '') && dozen(w(i + 2)))
    return { value: 6, end: i + 3, digits: false };
  if (first === 'mezza' && dozen(w(i + 1))) return { value: 6, end: i + 2, digits: false };
  if (first === 'un' && w(i + 1) === 'paio' && w(i + 2) === 'di') return { value: 2, end: i + 2, digits: false };
  if (articles.has(first) && dozen(w(i + 1))) return { value: 12, end: i + 2, digits: false };
  if (articles.has(first) && (w(i + 1) === 'hundred' || w(i + 1) === 'thousand')) return readEnglish(tokens, i + 1, 1);
  if (articles.has(first)) return null;
  const it = italianNumberWord(first);
  if (it !== null) {
    if (dozen(w(i + 1))) return { value: it * 12, end: i + 2, digits: false };
    return { value: it, end: i + 1, digits: false };
  }
  return readEnglish(tokens, i, 0);
}

function readEnglish(tokens: readonly Token[], i: number, carried: number): NumberMatch | null {
  const w = (k: number) => tokens[k]?.norm ?? '';
  let total = 0;
  let current = carried;
  let k = i;
  let any = carried > 0;
  for (;;) {
    const word = w(k);
    if (word in enSmall) current += enSmall[word]!;
    else if (word in enTens) {
      current += enTens[word]!;
      if (w(k + 1) in enSmall && enSmall[w(k + 1)]! > 0 && enSmall[w(k + 1)]! < 10) current += enSmall[w(++k)]!;
    } else if (word === 'hundred' && any) current = (current || 1) * 100;
    else if (word === 'thousand' && any) {
      total += (current || 1) * 1000;
      current = 0;
    } else if (word === 'and' && any && (w(k + 1) in enSmall || w(k + 1) in enTens)) {
      k++;
      continue;
    } else break;
    any = true;
    k++;
  }
  if (!any || k === i) return null;
  const value = total + current;
  if (dozen(w(k))) return { value: value * 12, end: k + 1, digits: false };
  return { value, end: k, digits: false };
}
