import { and, asc, eq } from 'drizzle-orm';
import { z } from 'zod';
import { itemCategories, procurementSections, suppliers } from '../../db/schema/index.ts';
import { authorize } from '../auth/permissions.ts';
import { audit } from '../core/audit.ts';
import { withTransaction, type Context } from '../core/context.ts';
import { notFound } from '../core/errors.ts';
import { insertUnique } from '../core/unique.ts';
import { parseInput } from '../core/validate.ts';
import { loadLocation } from '../locations/load-location.ts';
import { Code } from '../organisations/organisations.ts';
import { text } from '../core/text.ts';

const Name = text().trim().min(1).max(200);

export const CreateSectionInput = z.object({
  code: Code,
  name: Name,
  nameEn: Name.optional(),
  fulfilledFromId: z.uuid().optional(),
});
export const CreateCategoryInput = z.object({
  code: Code,
  name: Name,
  nameEn: Name.optional(),
  sectionId: z.uuid().optional(),
});
export const CreateSupplierInput = z.object({
  code: Code,
  name: Name,
  vatNumber: text()
    .trim()
    .regex(/^[A-Z]{0,2}\d{8,13}$/, 'a VAT number')
    .optional(),
  leadTimeDays: z.number().int().min(0).max(365).optional(),
});

/** Creates a procurement section (sezione ordinante), fulfilled from a warehouse or pharmacy. */
export async function createSection({ ctx, input }: { ctx: Context; input: unknown }) {
  const data = parseInput(CreateSectionInput, input);
  authorize(ctx.actor, 'catalogue.write');
  return withTransaction(ctx, async (tx) => {
    if (data.fulfilledFromId) await loadLocation(tx, data.fulfilledFromId);
    const [row] = await insertUnique('section', 'code', data.code, () =>
      tx.db
        .insert(procurementSections)
        .values({ ...data, organisationId: tx.actor.organisationId })
        .returning(),
    );
    await audit(tx, {
      action: 'catalogue.create_section',
      entityType: 'section',
      entityId: row!.id,
      detail: { code: data.code },
    });
    return row!;
  });
}

/** Creates an item category and names the section competent for it. */
export async function createCategory({ ctx, input }: { ctx: Context; input: unknown }) {
  const data = parseInput(CreateCategoryInput, input);
  authorize(ctx.actor, 'catalogue.write');
  return withTransaction(ctx, async (tx) => {
    if (data.sectionId) {
      const [section] = await tx.db
        .select({ id: procurementSections.id })
        .from(procurementSections)
        .where(
          and(
            eq(procurementSections.id, data.sectionId),
            eq(procurementSections.organisationId, tx.actor.organisationId),
          ),
        );
      if (!section) throw notFound('section', data.sectionId);
    }
    const [row] = await insertUnique('category', 'code', data.code, () =>
      tx.db
        .insert(itemCategories)
        .values({ ...data, organisationId: tx.actor.organisationId })
        .returning(),
    );
    await audit(tx, {
      action: 'catalogue.create_category',
      entityType: 'category',
      entityId: row!.id,
      detail: { code: data.code },
    });
    return row!;
  });
}

/** Registers a supplier of the organisation. */
export async function createSupplier({ ctx, input }: { ctx: Context; input: unknown }) {
  const data = parseInput(CreateSupplierInput, input);
  authorize(ctx.actor, 'catalogue.write');
  return withTransaction(ctx, async (tx) => {
    const [row] = await insertUnique('supplier', 'code', data.code, () =>
      tx.db
        .insert(suppliers)
        .values({ ...data, organisationId: tx.actor.organisationId })
        .returning(),
    );
    await audit(tx, {
      action: 'catalogue.create_supplier',
      entityType: 'supplier',
      entityId: row!.id,
      detail: { code: data.code },
    });
    return row!;
  });
}

export async function listSections({ ctx }: { ctx: Context }) {
  authorize(ctx.actor, 'catalogue.read');
  return ctx.db
    .select()
    .from(procurementSections)
    .where(eq(procurementSections.organisationId, ctx.actor.organisationId))
    .orderBy(asc(procurementSections.code));
}

export async function listCategories({ ctx }: { ctx: Context }) {
  authorize(ctx.actor, 'catalogue.read');
  return ctx.db
    .select()
    .from(itemCategories)
    .where(eq(itemCategories.organisationId, ctx.actor.organisationId))
    .orderBy(asc(itemCategories.code));
}

export async function listSuppliers({ ctx }: { ctx: Context }) {
  authorize(ctx.actor, 'catalogue.read');
  return ctx.db
    .select()
    .from(suppliers)
    .where(eq(suppliers.organisationId, ctx.actor.organisationId))
    .orderBy(asc(suppliers.code));
}
