import { inArray } from 'drizzle-orm';
import { procurementSections } from '../../db/schema/index.ts';
import { authorize, can } from '../auth/permissions.ts';
import type { Context } from '../core/context.ts';
import { loadLocations, type LocationRow } from '../locations/load-location.ts';

export type SectionRow = typeof procurementSections.$inferSelect & { from: LocationRow | null };

/** Sections by id, each with the location it fulfils from. */
export async function loadSections(ctx: Context, ids: string[]): Promise<Map<string, SectionRow>> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return new Map();
  const sections = await ctx.db.select().from(procurementSections).where(inArray(procurementSections.id, unique));
  const places = await loadLocations(
    ctx,
    sections.flatMap((s) => (s.fulfilledFromId ? [s.fulfilledFromId] : [])),
  );
  return new Map(
    sections.map((s) => [s.id, { ...s, from: s.fulfilledFromId ? places.get(s.fulfilledFromId)! : null }]),
  );
}

/** Whether the actor processes (evaluates, fulfils) a section's lines: `requests.process` where it fulfils from. */
export const processes = (ctx: Context, section: SectionRow) =>
  section.from ? can(ctx.actor, 'requests.process', section.from) : can(ctx.actor, 'requests.process');

/**
 * Sections' staff may process a line when they hold `requests.process` where its section fulfils from; throws
 * otherwise.
 */
export async function authorizeSections(ctx: Context, sectionIds: string[]): Promise<Map<string, SectionRow>> {
  const sections = await loadSections(ctx, sectionIds);
  for (const s of sections.values()) {
    if (s.from) authorize(ctx.actor, 'requests.process', s.from);
    else authorize(ctx.actor, 'requests.process');
  }
  return sections;
}
