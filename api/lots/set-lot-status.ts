import { and, eq } from 'drizzle-orm';
import { z } from 'zod';
import { items, lotRecalls, lots, type LotStatus, type RecallKind } from '../../db/schema/index.ts';
import { authorize } from '../auth/permissions.ts';
import { audit } from '../core/audit.ts';
import { withTransaction, type Context } from '../core/context.ts';
import { DomainError } from '../core/errors.ts';
import { onceForKey } from '../core/idempotency.ts';
import { assertTransition } from '../core/state-machine.ts';
import { parseInput } from '../core/validate.ts';
import { IdempotencyKey } from '../stock/schemas.ts';
import { lastMovementOf, lotHolders } from './lot-ledger.ts';
import { loadLot } from './load-lot.ts';
import { writeRecallNotifications } from './recall-notifications.ts';
import { assertLotEvent, lotTransitions, recallTransitions } from './recall-transitions.ts';
import { recallView } from './recall-view.ts';
import { text } from '../core/text.ts';

export const LotStatusChange = z.object({
  lotId: z.uuid(),
  /** Why (the supplier's notice, a suspected defect, the end of an investigation). */
  reason: text().trim().min(1).max(500),
  /** The notice it follows: the supplier's or the authority's reference (e.g. an AIFA recall number). */
  reference: text().trim().min(1).max(120).optional(),
  idempotencyKey: IdempotencyKey.optional(),
});
export const SetLotStatusInput = LotStatusChange.extend({ event: z.enum(['quarantine', 'recall', 'lift']) });
export type SetLotStatusInput = z.input<typeof SetLotStatusInput>;

const conflict = (from: LotStatus, to: LotStatus, event: string) =>
  new DomainError('conflict', 'invalid_transition', {
    params: { entity: 'lot', from, to, event },
    context: { entity: 'lot', from, to, event },
  });

/**
 * Refuses now, in words, a status change the lot's status does not allow (and an actor who may not change
 * lot statuses): what a chat proposal checks before the user is asked to confirm. The action checks again.
 */
export async function checkLotStatusChange(
  ctx: Context,
  lotId: string,
  event: SetLotStatusInput['event'],
): Promise<void> {
  authorize(ctx.actor, 'lots.status');
  assertLotEvent(await loadLot(ctx, lotId), event);
}

/**
 * Quarantines, recalls or lifts the quarantine of a lot. The status table decides; the update is
 * conditional on the status read, so a concurrent change is a conflict, never overwritten. A quarantine
 * or recall opens a recall record marked at the lot's last movement and writes the notifications (holding
 * wards' chat and dashboards, lock commands for their cabinets) in the same transaction; lifting closes the
 * quarantine record and unlocks the bins. From the commit on, every stock action refuses the lot and FEFO
 * skips it (lot-rules.ts). Audited; idempotent with a key.
 */
export async function setLotStatus({ ctx, input }: { ctx: Context; input: SetLotStatusInput }) {
  const data = parseInput(SetLotStatusInput, input);
  authorize(ctx.actor, 'lots.status');
  return withTransaction(ctx, (tx) =>
    onceForKey(tx, `lots.${data.event}`, data.idempotencyKey, data, async () => {
      const lot = await loadLot(tx, data.lotId);
      const to = assertLotEvent(lot, data.event);
      assertTransition(lotTransitions, 'lot', lot.status, data.event, to);
      const [updated] = await tx.db
        .update(lots)
        .set({ status: to, statusReason: data.reason })
        .where(and(eq(lots.id, lot.id), eq(lots.status, lot.status)))
        .returning({ id: lots.id });
      if (!updated) throw conflict(lot.status, to, data.event);

      const now = tx.now();
      const [open] = await tx.db
        .select()
        .from(lotRecalls)
        .where(and(eq(lotRecalls.lotId, lot.id), eq(lotRecalls.status, 'open')));
      let closed: typeof open;
      if (open) {
        const event = data.event === 'lift' ? 'lift' : 'escalate';
        const next = event === 'lift' ? 'lifted' : 'escalated';
        assertTransition(recallTransitions, 'recall', open.status, event, next, [open.kind]);
        [closed] = await tx.db
          .update(lotRecalls)
          .set({ status: next, closedAt: now, closedBy: tx.actor.userId, closeNote: data.reason })
          .where(and(eq(lotRecalls.id, open.id), eq(lotRecalls.status, 'open')))
          .returning();
        if (!closed) throw conflict(lot.status, to, data.event);
      }
      let opened: typeof open;
      if (data.event !== 'lift') {
        const kind: RecallKind = data.event;
        [opened] = await tx.db
          .insert(lotRecalls)
          .values({
            organisationId: tx.actor.organisationId,
            lotId: lot.id,
            kind,
            reason: data.reason,
            reference: data.reference ?? null,
            ledgerMark: await lastMovementOf(tx, lot.id),
            openedAt: now,
            openedBy: tx.actor.userId,
          })
          .returning();
      }
      const [item] = await tx.db
        .select({ code: items.code, name: items.name, nameEn: items.nameEn, gtin: items.gtin })
        .from(items)
        .where(eq(items.id, lot.itemId));
      const record = (opened ?? closed)!;
      const notified = await writeRecallNotifications(tx, {
        kind: data.event === 'lift' ? 'quarantine_lifted' : data.event,
        recallId: record.id,
        lot,
        item: item!,
        reason: data.reason,
        reference: data.reference ?? null,
        holders: await lotHolders(tx, lot.id),
        command: data.event === 'lift' ? 'unlock_bins' : 'lock_bins',
      });
      await audit(tx, {
        action: `lots.${data.event}`,
        entityType: 'lot',
        entityId: lot.id,
        detail: {
          from: lot.status,
          to,
          reason: data.reason,
          reference: data.reference ?? null,
          recallId: record.id,
          closedRecallId: closed?.id ?? null,
          notified,
        },
      });
      return {
        lot: { id: lot.id, lotCode: lot.lotCode, status: to, statusReason: data.reason },
        recall: recallView(record),
        closedRecall: closed && opened ? recallView(closed) : null,
        notified,
      };
    }),
  );
}
