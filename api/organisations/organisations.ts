import { asc, eq } from 'drizzle-orm';
import { z } from 'zod';
import { organisationKinds, organisations } from '../../db/schema/index.ts';
import { authorize } from '../auth/permissions.ts';
import { audit } from '../core/audit.ts';
import { withTransaction, type Context } from '../core/context.ts';
import { notFound } from '../core/errors.ts';
import { insertUnique } from '../core/unique.ts';
import { parseInput } from '../core/validate.ts';
import { text } from '../core/text.ts';

export const Code = text()
  .trim()
  .min(1)
  .max(40)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'letters, digits, dot, dash or underscore');

export const CreateOrganisationInput = z.object({
  code: Code,
  name: text().trim().min(1).max(200),
  kind: z.enum(organisationKinds),
});
export type CreateOrganisationInput = z.infer<typeof CreateOrganisationInput>;

/**
 * Creates an organisation (an azienda sanitaria): a platform operation of the system actor (start-up, the CLI), never
 * of a token.
 */
export async function createOrganisation({ ctx, input }: { ctx: Context; input: unknown }) {
  const data = parseInput(CreateOrganisationInput, input);
  authorize(ctx.actor, 'organisations.write');
  return withTransaction(ctx, async (tx) => {
    const [row] = await insertUnique('organisation', 'code', data.code, () =>
      tx.db.insert(organisations).values(data).returning(),
    );
    await audit(tx, {
      action: 'organisations.create',
      entityType: 'organisation',
      entityId: row!.id,
      organisationId: row!.id,
      detail: data,
    });
    return row!;
  });
}

/** Every organisation: names are shared so that organisations can trade with each other. */
export async function listOrganisations({ ctx }: { ctx: Context }) {
  return ctx.db.select().from(organisations).orderBy(asc(organisations.code));
}

/** Every organisation's id, for the platform's own rounds (sweeps, the notification dispatcher). */
export async function organisationIds(db: Context['db']): Promise<string[]> {
  const rows = await db.select({ id: organisations.id }).from(organisations);
  return rows.map((r) => r.id);
}

export async function getOrganisation({ ctx, id }: { ctx: Context; id: string }) {
  const [row] = await ctx.db.select().from(organisations).where(eq(organisations.id, id));
  if (!row) throw notFound('organisation', id);
  return row;
}
