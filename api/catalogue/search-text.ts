/**
 * Lower case, accents removed, punctuation folded to spaces: "Siringa 10 ml (Luer-Lock)" → "siringa 10 ml luer lock".
 */
export function normalizeText(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9.]+/g, ' ')
    .trim();
}

/**
 * The text an item is found by: code, GTIN, Italian and English names and every synonym, each normalised
 * and framed as `| part |`, so a search can tell a whole name or synonym from a fragment.
 */
export function itemSearchText(item: {
  code: string;
  gtin?: string | null;
  name: string;
  nameEn: string;
  synonyms: readonly string[];
}): string {
  const parts = [item.code, item.gtin ?? '', item.name, item.nameEn, ...item.synonyms]
    .map(normalizeText)
    .filter(Boolean);
  return `| ${parts.join(' | ')} |`;
}
