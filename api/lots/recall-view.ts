import type { lotRecalls } from '../../db/schema/index.ts';
import { iso } from '../core/time.ts';

export type RecallRow = typeof lotRecalls.$inferSelect;

/** A recall record as channels show it. */
export function recallView(r: RecallRow) {
  return {
    id: r.id,
    lotId: r.lotId,
    kind: r.kind,
    status: r.status,
    reason: r.reason,
    reference: r.reference,
    ledgerMark: r.ledgerMark,
    openedAt: iso(r.openedAt),
    openedBy: r.openedBy,
    closedAt: iso(r.closedAt),
    closedBy: r.closedBy,
    closeNote: r.closeNote,
  };
}
export type RecallView = ReturnType<typeof recallView>;
