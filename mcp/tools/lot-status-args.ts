import { z } from 'zod';
import { lotStatuses, recallKinds, recallStatuses } from '../../db/schema/index.ts';
import { Id } from '../schemas.ts';
import { text } from '../../api/core/text.ts';

/** The arguments of `quarantine_lot` and `recall_lot` (the core's LotStatusChange, in the tools' spelling). */
export const lotStatusArgs = {
  lot_id: Id('lot'),
  reason: text().trim().min(1).max(500).describe('Why: the supplier\'s or authority\'s notice, a suspected defect (shown to the holding wards)'),
  reference: text().trim().min(1).max(120).optional().describe('The notice it follows, e.g. an AIFA recall number or the supplier\'s reference'),
  idempotency_key: text().trim().min(1).max(200).describe('A fresh unique string for this call (e.g. a UUID); send the same one only when retrying the same call'),
};

const Recall = z.looseObject({ id: z.string(), lotId: z.string(), kind: z.enum(recallKinds), status: z.enum(recallStatuses), reason: z.string(), reference: z.string().nullable(), openedAt: z.string() });

/** What setLotStatus returns: the lot's new status, the recall record opened (and one it closed), who was notified. */
export const LotStatusResult = z.looseObject({
  lot: z.looseObject({ id: z.string(), lotCode: z.string(), status: z.enum(lotStatuses), statusReason: z.string().nullable() }),
  recall: Recall,
  closedRecall: Recall.nullable(),
  notified: z.looseObject({ dashboard: z.number(), chat: z.number(), devices: z.number() }),
  replayed: z.boolean().optional().describe('true when this key was already used: the result of the first call, nothing changed now'),
});

/** A recall's progress (api/lots/recall-progress.ts) as get_recall returns it. */
export const RecallProgress = z.looseObject({
  recall: Recall,
  lot: z.looseObject({ id: z.string(), lotCode: z.string(), status: z.enum(lotStatuses) }),
  returnsTo: z.looseObject({ id: z.string(), code: z.string(), name: z.string() }).nullable(),
  holders: z.array(z.looseObject({
    location: z.looseObject({ id: z.string(), code: z.string(), name: z.string() }),
    detail: z.enum(['full', 'totals']).describe('totals: a location this user may not read in detail (its movements stay hidden)'),
    returnsTo: z.boolean(), atRecall: z.number(), consumedBefore: z.number(), returned: z.number(), onHand: z.number(), stillOut: z.number(),
  })),
  totals: z.looseObject({ outAtRecall: z.number(), consumedBefore: z.number(), returned: z.number(), stillOut: z.number(), holdersOut: z.number() }),
  closable: z.boolean(),
});
