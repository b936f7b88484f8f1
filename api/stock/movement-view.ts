import type { Movement } from './ledger.ts';

/** A movement as every channel shows it (and as idempotent replays return it): JSON-safe, dates as ISO strings. */
export interface MovementView {
  id: number;
  kind: Movement['kind'];
  reversesId: number | null;
  itemId: string;
  lotId: string;
  quantity: number;
  fromLocationId: string | null;
  toLocationId: string | null;
  unitPrice: string | null;
  documentType: string | null;
  documentId: string | null;
  reason: string | null;
  actorId: string | null;
  channel: Movement['channel'];
  occurredAt: string;
  recordedAt: string;
}

export function toMovementView(m: Movement): MovementView {
  return {
    id: m.id,
    kind: m.kind,
    reversesId: m.reversesId,
    itemId: m.itemId,
    lotId: m.lotId,
    quantity: m.quantity,
    fromLocationId: m.fromLocationId,
    toLocationId: m.toLocationId,
    unitPrice: m.unitPrice,
    documentType: m.documentType,
    documentId: m.documentId,
    reason: m.reason,
    actorId: m.actorId,
    channel: m.channel,
    occurredAt: new Date(m.occurredAt).toISOString(),
    recordedAt: new Date(m.recordedAt).toISOString(),
  };
}

export interface MovementsResult {
  movements: MovementView[];
}
