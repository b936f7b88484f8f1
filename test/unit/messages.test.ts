import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DomainError, errorCodes, insufficientStock, invalid } from '../../api/core/errors.ts';
import { permissions } from '../../api/auth/permissions.ts';
import { actionLabels, entityLabels, stateLabel, stateLabels } from '../../api/core/messages/labels.ts';
import {
  catalogue,
  messages,
  pickLocale,
  render,
  sections,
  type CatalogueKey,
  type Entry,
} from '../../api/core/messages/index.ts';
import {
  issueNoteStatuses,
  lineStatuses,
  lotStatuses,
  pickingListStatuses,
  proposalStatuses,
  purchaseOrderStatuses,
  recallKinds,
  recallStatuses,
  requestStatuses,
  urgencies,
  evaluationDecisions,
} from '../../db/schema/index.ts';

const params = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!).sort();
const keys = Object.keys(messages);
/** Every key of every section of the catalogue, with its section. */
const allKeys = Object.entries(sections).flatMap(([section, table]) =>
  Object.keys(table).map((key) => [section, key as CatalogueKey] as const),
);
const entry = (key: CatalogueKey): Entry => catalogue[key];
const labelsOf = (key: CatalogueKey) => entry(key).labels ?? {};

describe('messages', () => {
  it('has every key in exactly one section', () => {
    expect(allKeys.length).toBe(Object.keys(catalogue).length);
    expect(allKeys.length).toBeGreaterThan(keys.length);
  });

  it.each(allKeys)('%s: %s has Italian and English with the same {params}', (_, key) => {
    const { it: italian, en, one } = entry(key);
    expect(italian.trim()).not.toBe('');
    expect(en.trim()).not.toBe('');
    expect(italian).not.toBe(en);
    expect(params(italian)).toEqual(params(en));
    if (one) {
      // A plural: its `count` form and its form for one, each the same in both languages.
      expect(params(en)).toContain('count');
      expect(one.it).not.toBe(one.en);
      expect(params(one.it)).toEqual(params(one.en));
      expect(params(one.en).filter((p) => p !== 'count')).toEqual(params(en).filter((p) => p !== 'count'));
    }
    for (const name of Object.keys(labelsOf(key))) expect(params(en)).toContain(name);
    // A status or an entity is a code word (recalled, request line): it must be shown through a label.
    const named = params(en).filter(
      (p) => p === 'status' || p === 'entity' || (params(en).includes('entity') && (p === 'from' || p === 'to')),
    );
    expect(named.filter((p) => !labelsOf(key)[p])).toEqual([]);
  });

  it.each(allKeys)('%s: %s renders with its params in both languages, no brace left', (_, key) => {
    const given = Object.fromEntries(params(entry(key).en).map((p) => [p, p === 'entity' ? 'lot' : `v-${p}`]));
    for (const locale of ['it', 'en'] as const) {
      for (const values of entry(key).one ? [given, { ...given, count: 1 }] : [given]) {
        const text = render(key, locale, values);
        expect(text).not.toMatch(/[{}]/);
        for (const [name, value] of Object.entries(values))
          if (!labelsOf(key)[name] && name !== 'count') expect(text).toContain(String(value));
      }
    }
  });

  it.each(allKeys.filter(([, k]) => Object.keys(labelsOf(k)).length > 0))(
    "%s: %s shows every state or entity it names in the reader's language",
    (_, key) => {
      const labels = labelsOf(key);
      const entities = labels.entity || Object.values(labels).includes('state') ? Object.keys(entityLabels) : ['lot'];
      const table = (label: string) =>
        label === 'action' ? actionLabels : label === 'entity' ? entityLabels : undefined;
      for (const entity of entities) {
        const group = (stateLabels as Record<string, Record<string, unknown>>)[entity];
        for (const [name, label] of Object.entries(labels)) {
          const values =
            label === 'entity'
              ? [entity]
              : label === 'action'
                ? Object.keys(actionLabels)
                : Object.keys(
                    label === 'state'
                      ? (group ?? {})
                      : (stateLabels as Record<string, Record<string, unknown>>)[label]!,
                  );
          for (const value of values) {
            const given = Object.fromEntries(params(entry(key).en).map((p) => [p, p === 'entity' ? entity : 'X']));
            given[name] = value;
            const it = render(key, 'it', given);
            const en = render(key, 'en', given);
            // A code value (recalled, in_progress, issue note) never reaches an Italian reader as is.
            const shown = table(label)
              ? table(label)![value]!
              : {
                  it: stateLabel(label === 'state' ? entity : label, value, 'it'),
                  en: stateLabel(label === 'state' ? entity : label, value, 'en'),
                };
            expect(it).toContain(shown.it);
            expect(en).toContain(shown.en);
            expect(it).not.toMatch(/_|\b[a-z]+\.[a-z]+\b/);
            expect(en).not.toMatch(/_|\b[a-z]+\.[a-z]+\b/);
          }
        }
      }
    },
  );

  it('leaves no inline Italian and English text outside the catalogue, nor a fill function of its own', () => {
    // An `it:` or `en:` text starting a property, a `tr(` helper, or a ternary on the locale choosing a text (the
    // other locale's name, `=== 'it' ? 'en' : 'it'`, is no text).
    const inline = /\btr\(|(?:[{,]\s*|^\s*)(?:it|en): ['"`]|=== 'it' \? ['"`](?!(?:en|it)['"`])/m;
    // Filling `{name}` parameters is the catalogue's `render`, nobody else's.
    const fill = /\\\{\(\\w\+\)\\\}/;
    const catalogueDir = join(import.meta.dirname, '../../api/core/messages');
    const found: string[] = [];
    const walk = (dir: string) => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        const path = join(dir, entry.name);
        if (path === catalogueDir) continue;
        if (entry.isDirectory()) walk(path);
        else if (path.endsWith('.ts')) {
          const source = readFileSync(path, 'utf8');
          if (inline.test(source) || fill.test(source)) found.push(path);
        }
      }
    };
    for (const dir of ['../../bot', '../../api', '../../iot', '../../mcp']) walk(join(import.meta.dirname, dir));
    expect(found).toEqual([]);
  });

  it('covers every error code with a generic message', () => {
    for (const code of errorCodes.filter((c) => c !== 'conflict' && c !== 'precondition_failed')) {
      expect(keys).toContain(code === 'not_found' ? 'not_found' : code);
    }
  });
});

/** Every state a person can see, from the schema, with the label group the bot and the errors read. */
const visibleStates: [string, readonly string[]][] = [
  ['lot', lotStatuses],
  ['request', requestStatuses],
  ['request line', [...lineStatuses, ...evaluationDecisions]],
  ['recall', recallStatuses],
  ['recall kind', recallKinds],
  ['urgency', urgencies],
  ['issue note', issueNoteStatuses],
  ['picking list', pickingListStatuses],
  ['purchase order', purchaseOrderStatuses],
  ['proposal', proposalStatuses],
];
/** Labels that may read the same in both languages (none today: a code like "PL" is explained in words). */
const sameInBothLanguages = new Set<string>();

describe('state labels', () => {
  it.each(visibleStates.flatMap(([group, values]) => values.map((v) => [group, v] as const)))(
    '%s %s has an Italian and an English label',
    (group, value) => {
      const italian = stateLabel(group, value, 'it');
      const en = stateLabel(group, value, 'en');
      expect(italian.trim()).not.toBe('');
      expect(en.trim()).not.toBe('');
      expect(italian).not.toMatch(/_/);
      expect(en).not.toMatch(/_/);
      if (!sameInBothLanguages.has(`${group}/${value}`)) expect(italian).not.toBe(en);
    },
  );

  it('labels no state the schema does not have', () => {
    for (const [group, labels] of Object.entries(stateLabels)) {
      const known = visibleStates.find(([g]) => g === group)?.[1] ?? [];
      expect(Object.keys(labels).filter((v) => !known.includes(v))).toEqual([]);
    }
  });

  it('says in both languages what every permission lets one do (the {action} of a refusal)', () => {
    const names = [...Object.keys(permissions), 'requests.read', 'requests.cancel'];
    expect(names.filter((n) => !actionLabels[n]?.it || !actionLabels[n]?.en)).toEqual([]);
    for (const n of names) expect(actionLabels[n]!.it).not.toBe(actionLabels[n]!.en);
    expect(render('forbidden', 'it', { action: 'stock.issue' })).toBe('Non hai il permesso di scaricare merce qui.');
    expect(render('forbidden', 'en', { action: 'stock.issue' })).toBe('You are not allowed to issue stock here.');
  });

  it('names in both languages every entity the core speaks of in its errors', () => {
    const used = new Set<string>();
    const walk = (dir: string) => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        const path = join(dir, entry.name);
        if (entry.isDirectory()) walk(path);
        else if (path.endsWith('.ts') && !path.includes(join('core', 'messages'))) {
          const source = readFileSync(path, 'utf8');
          for (const m of source.matchAll(
            /(?:notFound|insertUnique)\('([^']+)'|assertTransition\(\w+, '([^']+)'|entity: '([^']+)'/g,
          ))
            used.add((m[1] ?? m[2] ?? m[3])!);
        }
      }
    };
    walk(join(import.meta.dirname, '../../api'));
    expect(used.size).toBeGreaterThan(10);
    const missing = [...used].filter((e) => !entityLabels[e]?.it || !entityLabels[e]?.en);
    expect(missing).toEqual([]);
    for (const entity of used)
      if (entity !== 'patient') expect(entityLabels[entity]!.it).not.toBe(entityLabels[entity]!.en);
  });
});

describe('render', () => {
  it('fills parameters in either language and leaves unknown ones visible', () => {
    expect(render('insufficient_stock', 'it', { requested: 5, available: 2 })).toBe(
      'Giacenza insufficiente: richiesti 5, disponibili 2.',
    );
    expect(render('insufficient_stock', 'en', { requested: 5, available: 2 })).toBe(
      'Not enough stock: 5 requested, 2 available.',
    );
    expect(render('insufficient_stock', 'en', { requested: 5 })).toBe(
      'Not enough stock: 5 requested, {available} available.',
    );
  });

  it('gives domain errors a message per locale and the failing fields', () => {
    const error = invalid('lines.0.expiry', 'lot_expired', { lotCode: 'L1', expiry: '2026-11-22' });
    expect(error).toBeInstanceOf(DomainError);
    expect(error.code).toBe('validation');
    expect(error.fields).toEqual([{ field: 'lines.0.expiry', message: 'Lot L1 expired on 2026-11-22.' }]);
    expect(error.localized('it')).toBe('Il lotto L1 è scaduto il 2026-11-22.');
    expect(error.message).toBe('Lot L1 expired on 2026-11-22. (lines.0.expiry: Lot L1 expired on 2026-11-22.)');
  });

  it('makes insufficient stock a conflict carrying lot, requested and available', () => {
    const error = insufficientStock({ lotId: 'lot', itemId: 'item', locationId: 'loc', requested: 5, available: 2 });
    expect(error).toMatchObject({
      code: 'conflict',
      key: 'insufficient_stock',
      params: { requested: 5, available: 2 },
      context: { lotId: 'lot', requested: 5, available: 2 },
    });
    expect(error.localized('it')).toBe('Giacenza insufficiente: richiesti 5, disponibili 2.');
  });
});

describe('pickLocale', () => {
  it.each([
    [undefined, 'it'],
    [null, 'it'],
    ['', 'it'],
    ['it', 'it'],
    ['en', 'en'],
    ['it-IT,it;q=0.9,en-US;q=0.8,en;q=0.7', 'it'],
    ['en-US,en;q=0.9', 'en'],
    ['EN-GB', 'en'],
    ['fr-FR,fr;q=0.9,en;q=0.8,it;q=0.7', 'en'], // the first language we speak
    ['de-DE, it;q=0.5', 'it'],
    ['de, fr', 'it'], // none we speak: the fallback
    ['*', 'it'],
    // q-values rank the choices, whatever their order in the header; q=0 means "not this one".
    ['en;q=0.2, it;q=0.8', 'it'],
    ['it;q=0.4, en', 'en'],
    ['it;q=0, en;q=0.1', 'en'],
    ['it;q=0', 'it'],
    [' en ; q=0.9 , it ; q=0.5 ', 'en'],
  ])('%j → %s', (header, locale) => {
    expect(pickLocale(header)).toBe(locale);
  });

  it('falls back to the given locale', () => {
    expect(pickLocale(undefined, 'en')).toBe('en');
    expect(pickLocale('de', 'en')).toBe('en');
    expect(pickLocale('it;q=0', 'en')).toBe('en');
    expect(pickLocale('it', 'en')).toBe('it');
  });
});
