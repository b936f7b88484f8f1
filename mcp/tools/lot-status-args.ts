import { z } from 'zod';
import { lotStatuses, recallKinds, recallStatuses } from '../../api/core/vocabularies.ts';
import { LotStatusChange } from '../../api/lots/set-lot-status.ts';
import { toolArgs } from '../tool-args.ts';

/** The arguments of `quarantine_lot` and `recall_lot`: the core's LotStatusChange, in the tools' spelling. */
export const lotStatusArgs = toolArgs(LotStatusChange, {
  omit: ['idempotencyKey'],
  describe: {
    lotId: "The lot's id (find_lot finds it by its code)",
    reason: "Why: the supplier's or authority's notice, a suspected defect (shown to the holding wards)",
    reference: "The notice it follows, e.g. an AIFA recall number or the supplier's reference",
  },
});

const Recall = z.looseObject({
  id: z.string(),
  lotId: z.string(),
  kind: z.enum(recallKinds),
  status: z.enum(recallStatuses),
  reason: z.string(),
  reference: z.string().nullable(),
  openedAt: z.string(),
});

/** A recall's progress (api/lots/recall-progress.ts) as get_recall returns it. */
export const RecallProgress = z.looseObject({
  recall: Recall,
  lot: z.looseObject({ id: z.string(), lotCode: z.string(), status: z.enum(lotStatuses) }),
  returnsTo: z.looseObject({ id: z.string(), code: z.string(), name: z.string() }).nullable(),
  holders: z.array(
    z.looseObject({
      location: z.looseObject({ id: z.string(), code: z.string(), name: z.string() }),
      detail: z
        .enum(['full', 'totals'])
        .describe('totals: a location this user may not read in detail (its movements stay hidden)'),
      returnsTo: z.boolean(),
      atRecall: z.number(),
      consumedBefore: z.number(),
      returned: z.number(),
      onHand: z.number(),
      stillOut: z.number(),
    }),
  ),
  totals: z.looseObject({
    outAtRecall: z.number(),
    consumedBefore: z.number(),
    returned: z.number(),
    stillOut: z.number(),
    holdersOut: z.number(),
  }),
  closable: z.boolean(),
});
