import { and, asc, eq, ilike, isNull, or, sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import { locationKinds, locations, type LocationKind } from '../../db/schema/index.ts';
import { authorize, authorizeOrganisation } from '../auth/permissions.ts';
import { audit } from '../core/audit.ts';
import { withTransaction, type Context } from '../core/context.ts';
import { DomainError } from '../core/errors.ts';
import { containsPattern } from '../core/like.ts';
import { decodeCursor, encodeCursor, Limit } from '../core/pagination.ts';
import { insertUnique } from '../core/unique.ts';
import { parseInput } from '../core/validate.ts';
import { Code } from '../organisations/organisations.ts';
import { loadLocation } from './load-location.ts';
import { text } from '../core/text.ts';

/** Where each kind of location may stand in the tree (null: at the root). */
export const allowedParents: Record<LocationKind, readonly (LocationKind | null)[]> = {
  warehouse: [null, 'warehouse'],
  pharmacy: [null, 'warehouse'],
  ward: [null],
  ward_store: ['ward'],
  cabinet: ['ward', 'ward_store', 'pharmacy', 'warehouse'],
  home: ['ward'],
  transit: [],
};

export const CreateLocationInput = z
  .object({
    parentId: z.uuid().optional(),
    kind: z.enum(locationKinds),
    code: Code,
    name: text().trim().min(1).max(200),
    nameEn: text().trim().min(1).max(200).optional(),
    aliases: z.array(text().trim().min(1).max(60)).max(30).default([]),
    patientCode: text()
      .trim()
      .regex(/^[A-Z0-9-]{3,20}$/, 'a pseudonymous code (A-Z, 0-9, -), never a name')
      .optional(),
  })
  .refine((l) => (l.kind === 'home') === (l.patientCode !== undefined), {
    path: ['patientCode'],
    message: 'required for a home, and only for a home',
  });
export type CreateLocationInput = z.input<typeof CreateLocationInput>;

/** Adds a location to the actor's organisation tree, under a parent of an allowed kind. */
export async function createLocation({ ctx, input }: { ctx: Context; input: unknown }) {
  const data = parseInput(CreateLocationInput, input);
  return withTransaction(ctx, async (tx) => {
    const parent = data.parentId ? await loadLocation(tx, data.parentId) : null;
    if (parent) authorize(tx.actor, 'locations.write', parent);
    else authorizeOrganisation(tx.actor, 'locations.write');
    if (!allowedParents[data.kind].includes(parent?.kind ?? null)) {
      throw new DomainError('validation', 'parent_kind', {
        params: { kind: data.kind, parentKind: parent?.kind ?? 'root' },
        fields: [
          { field: 'parentId', message: `A ${data.kind} cannot be placed under ${parent?.kind ?? 'the root'}.` },
        ],
      });
    }
    const id = crypto.randomUUID();
    const [row] = await insertUnique('location', 'code', data.code, () =>
      tx.db
        .insert(locations)
        .values({
          ...data,
          id,
          organisationId: tx.actor.organisationId,
          parentId: parent?.id ?? null,
          path: `${parent?.path ?? '/'}${id}/`,
        })
        .returning(),
    );
    await audit(tx, {
      action: 'locations.create',
      entityType: 'location',
      entityId: id,
      detail: { code: data.code, kind: data.kind },
    });
    return row!;
  });
}

export const ListLocationsInput = z.object({
  kind: z.enum(locationKinds).optional(),
  parentId: z.uuid().optional(),
  roots: z.boolean().optional(),
  q: text().trim().min(1).max(100).optional(),
  limit: Limit,
  cursor: text().optional(),
});
export type ListLocationsInput = z.input<typeof ListLocationsInput>;

/** The organisation's locations, filtered by kind, parent or a name / code / alias fragment. */
export async function listLocations({ ctx, input }: { ctx: Context; input: ListLocationsInput }) {
  const data = parseInput(ListLocationsInput, input);
  authorize(ctx.actor, 'locations.read');
  const where: (SQL | undefined)[] = [eq(locations.organisationId, ctx.actor.organisationId)];
  if (data.kind) where.push(eq(locations.kind, data.kind));
  if (data.parentId) where.push(eq(locations.parentId, data.parentId));
  if (data.roots) where.push(isNull(locations.parentId));
  if (data.q) {
    const pattern = containsPattern(data.q);
    where.push(
      or(
        ilike(locations.name, pattern),
        ilike(locations.code, pattern),
        ilike(locations.nameEn, pattern),
        sql`array_to_string(${locations.aliases}, ' ') ilike ${pattern}`,
      ),
    );
  }
  const offset = decodeCursor(data.cursor, z.number().int().nonnegative()) ?? 0;
  const rows = await ctx.db
    .select()
    .from(locations)
    .where(and(...where))
    .orderBy(asc(locations.path))
    .limit(data.limit + 1)
    .offset(offset);
  return {
    data: rows.slice(0, data.limit),
    nextCursor: rows.length > data.limit ? encodeCursor(offset + data.limit) : null,
  };
}

/** One location of the actor's organisation. */
export async function getLocation({ ctx, id }: { ctx: Context; id: string }) {
  authorize(ctx.actor, 'locations.read');
  return loadLocation(ctx, id);
}
