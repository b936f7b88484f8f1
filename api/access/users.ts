import { and, eq } from 'drizzle-orm';
import { z } from 'zod';
import { locations, roleAssignments, roles, users } from '../../db/schema/index.ts';
import { authorize, authorizeOrganisation } from '../auth/permissions.ts';
import { audit } from '../core/audit.ts';
import { withTransaction, type Context, type Grant } from '../core/context.ts';
import { notFound } from '../core/errors.ts';
import { insertUnique } from '../core/unique.ts';
import { parseInput } from '../core/validate.ts';
import { loadLocation } from '../locations/load-location.ts';
import { text } from '../core/text.ts';

export const CreateUserInput = z.object({
  username: text()
    .trim()
    .min(2)
    .max(80)
    .regex(/^[a-z0-9._@-]+$/, 'lower-case letters, digits, . _ @ -'),
  displayName: text().trim().min(1).max(200),
  locale: z.enum(['it', 'en']).default('it'),
  roles: z
    .array(z.object({ role: z.enum(roles), locationId: z.uuid().optional() }))
    .min(1)
    .max(20),
});
export type CreateUserInput = z.input<typeof CreateUserInput>;

/** Creates a user of the actor's organisation with roles, each optionally scoped to a location subtree. */
export async function createUser({ ctx, input }: { ctx: Context; input: unknown }) {
  const data = parseInput(CreateUserInput, input);
  authorize(ctx.actor, 'users.write');
  return withTransaction(ctx, async (tx) => {
    await authorizeGrants(
      tx,
      data.roles.map((r) => r.locationId ?? null),
    );
    const [user] = await insertUnique('user', 'username', data.username, () =>
      tx.db
        .insert(users)
        .values({
          organisationId: tx.actor.organisationId,
          username: data.username,
          displayName: data.displayName,
          locale: data.locale,
        })
        .returning(),
    );
    await tx.db.insert(roleAssignments).values(
      data.roles.map((r) => ({
        userId: user!.id,
        role: r.role,
        organisationId: tx.actor.organisationId,
        locationId: r.locationId ?? null,
      })),
    );
    await audit(tx, {
      action: 'users.create',
      entityType: 'user',
      entityId: user!.id,
      detail: { username: data.username, roles: data.roles },
    });
    return user!;
  });
}

/**
 * Throws unless the actor holds `users.write` at every place these grants cover: at the location of each, over the
 * whole organisation for one without a location. Roles, tokens and chat links act there, so whoever issues them must.
 */
export async function authorizeGrants(ctx: Context, locationIds: readonly (string | null)[]): Promise<void> {
  for (const id of new Set(locationIds)) {
    if (id === null) authorizeOrganisation(ctx.actor, 'users.write');
    else authorize(ctx.actor, 'users.write', await loadLocation(ctx, id));
  }
}

/** Throws unless the actor may issue credentials acting for the user (see `authorizeGrants`). */
export async function authorizeOverUser(ctx: Context, userId: string): Promise<void> {
  await authorizeGrants(
    ctx,
    (await loadGrants(ctx, userId)).map((g) => g.locationId),
  );
}

/** A user's grants with the location paths their scope is checked against. */
export async function loadGrants(ctx: Pick<Context, 'db'>, userId: string): Promise<Grant[]> {
  return ctx.db
    .select({
      role: roleAssignments.role,
      organisationId: roleAssignments.organisationId,
      locationId: roleAssignments.locationId,
      locationPath: locations.path,
    })
    .from(roleAssignments)
    .leftJoin(locations, eq(locations.id, roleAssignments.locationId))
    .where(eq(roleAssignments.userId, userId));
}

/** Finds an active user by username (CLI, Slack linking). */
export async function findUser(ctx: Pick<Context, 'db'>, username: string) {
  const [user] = await ctx.db
    .select()
    .from(users)
    .where(and(eq(users.username, username), eq(users.active, true)));
  if (!user) throw notFound('user', username);
  return user;
}

/** Every user of the platform, for the operator's command line (`npm run cli -- users`). */
export async function listAllUsers(db: Context['db']) {
  return db
    .select({ username: users.username, displayName: users.displayName, locale: users.locale, active: users.active })
    .from(users);
}
