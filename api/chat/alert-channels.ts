import { and, eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import { chatChannels, chatProviders, locations } from '../../db/schema/index.ts';
import { authorize } from '../auth/permissions.ts';
import { audit } from '../core/audit.ts';
import { withTransaction, type Context } from '../core/context.ts';
import { parseInput } from '../core/validate.ts';
import { loadLocation } from '../locations/load-location.ts';
import { text } from '../core/text.ts';

export const SetAlertChannelInput = z.object({
  locationId: z.uuid(),
  provider: z.enum(chatProviders).default('slack'),
  workspace: text().max(100).default(''),
  channelId: text().trim().min(1).max(100),
});
export type SetAlertChannelInput = z.input<typeof SetAlertChannelInput>;

/** Sends a location's alerts (under-stock requests, recalls) to a chat channel; replaces its previous channel. */
export async function setAlertChannel({ ctx, input }: { ctx: Context; input: SetAlertChannelInput }) {
  const data = parseInput(SetAlertChannelInput, input);
  return withTransaction(ctx, async (tx) => {
    const location = await loadLocation(tx, data.locationId);
    authorize(tx.actor, 'locations.write', location);
    const [row] = await tx.db
      .insert(chatChannels)
      .values(data)
      .onConflictDoUpdate({
        target: [chatChannels.locationId, chatChannels.provider, chatChannels.workspace],
        set: { channelId: data.channelId },
      })
      .returning();
    await audit(tx, {
      action: 'chat.alert_channel',
      entityType: 'location',
      entityId: location.id,
      detail: { provider: data.provider, workspace: data.workspace, channelId: data.channelId },
    });
    return { ...row!, location: { code: location.code, name: location.name } };
  });
}

/**
 * The chat channels a location's alerts go to: those set on the location itself or on any location above it
 * (a cabinet's under-stock reaches its ward's channel), nearest first.
 */
export async function listAlertChannels({
  ctx,
  input,
}: {
  ctx: Context;
  input: { locationId: string; provider?: (typeof chatProviders)[number] };
}) {
  authorize(ctx.actor, 'locations.read');
  const target = await loadLocation(ctx, parseInput(z.object({ locationId: z.uuid() }), input).locationId);
  return ctx.db
    .select({
      channelId: chatChannels.channelId,
      workspace: chatChannels.workspace,
      provider: chatChannels.provider,
      locationCode: locations.code,
      locationName: locations.name,
    })
    .from(chatChannels)
    .innerJoin(locations, eq(locations.id, chatChannels.locationId))
    .where(
      and(
        eq(locations.organisationId, ctx.actor.organisationId),
        sql`${target.path} like ${locations.path} || '%'`,
        input.provider ? eq(chatChannels.provider, input.provider) : undefined,
      ),
    )
    .orderBy(sql`length(${locations.path}) desc`);
}
