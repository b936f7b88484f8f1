import { and, eq } from 'drizzle-orm';
import { suppliers } from '../../db/schema/index.ts';
import { authorize } from '../auth/permissions.ts';
import { audit, movementIds } from '../core/audit.ts';
import { withTransaction, type Context } from '../core/context.ts';
import { notFound } from '../core/errors.ts';
import { onceForKey } from '../core/idempotency.ts';
import { parseInput } from '../core/validate.ts';
import { loadItems } from '../catalogue/load-item.ts';
import { loadLocation } from '../locations/load-location.ts';
import { findOrCreateLot } from '../lots/load-lot.ts';
import { postMovements } from './ledger.ts';
import { toMovementView, type MovementsResult } from './movement-view.ts';
import { ReceiveGoodsInput } from './schemas.ts';

/**
 * Receives goods at a location (carico): each line names its lot code, expiry and price; unknown lots
 * are created, known ones must match their expiry. One receipt movement per line.
 */
export async function receiveGoods({
  ctx,
  input,
}: {
  ctx: Context;
  input: unknown;
}): Promise<MovementsResult & { replayed: boolean }> {
  const data = parseInput(ReceiveGoodsInput, input);
  return withTransaction(ctx, async (tx) => {
    const location = await loadLocation(tx, data.locationId);
    authorize(tx.actor, 'stock.receive', location);
    return onceForKey(tx, 'stock.receive', data.idempotencyKey, data, async () => {
      if (data.supplierId) {
        const [supplier] = await tx.db
          .select({ id: suppliers.id })
          .from(suppliers)
          .where(and(eq(suppliers.id, data.supplierId), eq(suppliers.organisationId, location.organisationId)));
        if (!supplier) throw notFound('supplier', data.supplierId);
      }
      await loadItems(
        tx,
        data.lines.map((l) => l.itemId),
      );
      const drafts = [];
      for (const [index, line] of data.lines.entries()) {
        const unitPrice = line.unitPrice === undefined ? null : line.unitPrice.toFixed(4);
        const lot = await findOrCreateLot(
          tx,
          {
            itemId: line.itemId,
            lotCode: line.lotCode,
            expiry: line.expiry ?? null,
            supplierId: data.supplierId ?? null,
            unitPrice,
          },
          `lines.${index}`,
        );
        drafts.push({
          kind: 'receipt' as const,
          itemId: line.itemId,
          lotId: lot.id,
          quantity: line.quantity,
          fromLocationId: null,
          toLocationId: location.id,
          unitPrice: unitPrice ?? lot.purchasePrice,
          documentType: data.documentType ?? null,
          documentId: data.documentId ?? null,
          idempotencyKey: data.idempotencyKey ?? null,
          ...(data.occurredAt ? { occurredAt: new Date(data.occurredAt) } : {}),
        });
      }
      const posted = await postMovements(tx, drafts);
      await audit(tx, {
        action: 'stock.receive',
        entityType: 'movement',
        entityId: String(posted[0]!.id),
        detail: { ...movementIds(posted), location: location.id, documentId: data.documentId },
      });
      return { movements: posted.map(toMovementView) };
    });
  });
}
