import { assistant } from './assistant.ts';
import { documents } from './documents.ts';
import { errors } from './errors.ts';
import { gs1 } from './gs1.ts';
import { http } from './http.ts';
import { actionLabels, entityLabels, stateLabel, type StateGroup } from './labels.ts';
import { lots } from './lots.ts';
import { scan } from './scan.ts';
import { units } from './units.ts';

/*
 * The one bilingual catalogue of what a person reads, and the one function that renders it. The section files
 * beside this one are plain tables: `errors.ts` (the core's error messages), `labels.ts` (state, entity and
 * permission names), `gs1.ts` (scanning errors), `scan.ts` (a scanned code's flags, an RFID tag's problems),
 * `assistant.ts` (chat, voice and Slack texts, proposals), `lots.ts` (how an answer speaks of a lot), `units.ts`
 * (units of measure in words), `http.ts` (HTTP problem titles), `documents.ts` (printed documents' labels).
 * Nothing outside this folder carries its own Italian and English texts or fills `{name}` parameters itself.
 */

export type Locale = 'it' | 'en';

/**
 * How a message shows a parameter that names a state, an entity or a permission: `entity` (an entity name),
 * `action` (what a permission lets one do), a state group,
 * or `state` (a state of the machine its `{entity}` parameter names). Other parameters are shown as given.
 */
export type ParamLabel = 'entity' | 'state' | 'action' | StateGroup;

/**
 * One entry: the text in Italian and English, `{name}` being a parameter. `labels` names the parameters shown
 * through the labels (a state, an entity, a permission). `one` is the text for a `count` parameter of 1 (a
 * plural entry: "un lotto scade" / "3 lotti scadono").
 */
export interface Entry {
  it: string;
  en: string;
  labels?: Record<string, ParamLabel>;
  one?: { it: string; en: string };
}

export type Params = Record<string, string | number>;

/** Every message a person reads from the core's errors (the keys a `DomainError` carries). */
export const messages = errors;
export type MessageKey = keyof typeof messages;

/** The sections of the catalogue, by name: each key is in exactly one of them. */
export const sections = { errors, gs1, scan, assistant, lots, units, http, documents } as const;

/** Every entry of every section. */
export const catalogue = { ...errors, ...gs1, ...scan, ...assistant, ...lots, ...units, ...http, ...documents };
export type CatalogueKey = keyof typeof catalogue;

const entries: Record<string, Entry> = catalogue;

/** Whether `key` names an entry (for keys built at run time, like a unit's). */
export const isCatalogueKey = (key: string): key is CatalogueKey => Object.hasOwn(entries, key);

/** A parameter of `key` as the reader sees it: a state or entity name in the reader's language, others as given. */
function paramText(key: CatalogueKey, name: string, params: Params, locale: Locale): string {
  const value = String(params[name]);
  const label = entries[key]!.labels?.[name];
  if (label === undefined) return value;
  if (label === 'entity') return entityLabels[value]?.[locale] ?? value;
  if (label === 'action') return actionLabels[value]?.[locale] ?? value;
  return stateLabel(label === 'state' ? String(params.entity) : label, value, locale);
}

/**
 * The text of `key` in `locale`, its `{name}` parameters filled (through their labels where it has them); a
 * parameter not given stays visible as `{name}`. A plural entry takes its `one` text when `count` is 1.
 */
export function render(key: CatalogueKey, locale: Locale, params: Params = {}): string {
  const entry = entries[key]!;
  const template = entry.one && params.count === 1 ? entry.one[locale] : entry[locale];
  return template.replace(/\{(\w+)\}/g, (_, name: string) =>
    params[name] === undefined ? `{${name}}` : paramText(key, name, params, locale),
  );
}

/** `key` in both languages, for a text carried as data (`{ it, en }`) that the reader's channel picks from. */
export const renderBoth = (key: CatalogueKey, params: Params = {}) => ({
  it: render(key, 'it', params),
  en: render(key, 'en', params),
});

/**
 * Picks Italian or English from an Accept-Language header or a user's preference; Italian first.
 * Choices rank by their q-value (default 1, `q=0` excludes), then by their order in the header.
 */
export function pickLocale(preference: string | null | undefined, fallback: Locale = 'it'): Locale {
  if (!preference) return fallback;
  let best: { tag: Locale; q: number } | undefined;
  for (const part of preference.toLowerCase().split(',')) {
    const [range = '', ...options] = part.split(';').map((s) => s.trim());
    const tag = range.slice(0, 2);
    const q = Number(options.find((o) => o.startsWith('q='))?.slice(2) ?? 1);
    if ((tag === 'it' || tag === 'en') && q > 0 && (!best || q > best.q)) best = { tag, q };
  }
  return best?.tag ?? fallback;
}
