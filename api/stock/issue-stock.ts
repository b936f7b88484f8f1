import type { Context } from '../core/context.ts';
import { authorizeMove } from '../auth/permissions.ts';
import { audit, movementIds } from '../core/audit.ts';
import { DomainError } from '../core/errors.ts';
import { onceForKey } from '../core/idempotency.ts';
import { parseInput } from '../core/validate.ts';
import { withTransaction } from '../core/context.ts';
import { loadLocations } from '../locations/load-location.ts';
import { moveStock } from './move-stock.ts';
import { toMovementView, type MovementsResult } from './movement-view.ts';
import { IssueStockInput, ReturnStockInput, TransferStockInput } from './schemas.ts';

type Between = 'issue' | 'transfer' | 'return';
const rules = {
  issue: { schema: IssueStockInput, permission: 'stock.issue', requireUsable: true },
  transfer: { schema: TransferStockInput, permission: 'stock.transfer', requireUsable: true },
  return: { schema: ReturnStockInput, permission: 'stock.return', requireUsable: false },
} as const;

async function moveBetween(
  kind: Between,
  { ctx, input }: { ctx: Context; input: unknown },
): Promise<MovementsResult & { replayed: boolean }> {
  const rule = rules[kind];
  const data = parseInput(rule.schema, input);
  return withTransaction(ctx, async (tx) => {
    const byId = await loadLocations(tx, [data.fromLocationId, data.toLocationId]);
    const from = byId.get(data.fromLocationId)!;
    const to = byId.get(data.toLocationId)!;
    if (from.id === to.id)
      throw new DomainError('validation', 'same_location', {
        fields: [{ field: 'toLocationId', message: 'Source and destination must differ.' }],
      });
    authorizeMove(tx.actor, rule.permission, from, to);
    return onceForKey(tx, `stock.${kind}`, data.idempotencyKey, data, async () => {
      const posted = await moveStock(tx, { kind, ...data, requireUsable: rule.requireUsable });
      await audit(tx, {
        action: `stock.${kind}`,
        entityType: 'movement',
        entityId: String(posted[0]!.id),
        detail: { ...movementIds(posted), from: from.id, to: to.id },
      });
      return { movements: posted.map(toMovementView) };
    });
  });
}

/**
 * Issues stock from a warehouse or pharmacy to a location of the same organisation (scarico). FEFO when no lot is
 * named.
 */
export const issueStock = (args: { ctx: Context; input: unknown }) => moveBetween('issue', args);

/**
 * Moves stock between two locations of one organisation (ward store → cabinet, warehouse → warehouse); wards only
 * inside their subtree.
 */
export const transferStock = (args: { ctx: Context; input: unknown }) => moveBetween('transfer', args);

/**
 * Sends stock back to a warehouse or pharmacy (wards and home care: only there); lots in any status may be returned
 * (recalls, expiries).
 */
export const returnStock = (args: { ctx: Context; input: unknown }) => moveBetween('return', args);
