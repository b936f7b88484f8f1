import { and, eq, isNull } from 'drizzle-orm';
import type { Context } from '../api/core/context.ts';
import { setSupplyPlan } from '../api/homecare/set-supply-plan.ts';
import { sweepHomeDeliveries } from '../api/homecare/sweep-deliveries.ts';
import { demoHomeProfile, type DemoOrganisation } from './catalogue.ts';
import { supplyPlans } from '../db/schema/index.ts';

type Lookup = (code: string) => string | undefined;

/**
 * The demo's patients were enrolled this many days before today: their simulated history is their use under the plan.
 */
const enrolledDaysAgo = 60;

/**
 * The supply plans of the demo's chronic patients (ULSS6's home-care team): each patient's daily profile
 * becomes their plan — P-001 and P-002 four glucose tests a day (4 strips, 4 lancets), P-003 liquid oxygen,
 * P-004 catheter care, P-005 enteral nutrition. Plans are set through the core action, then dated back to the
 * enrolment (a demo-only shortcut: real plans start when they are set) so the forecast compares the simulated
 * history with them; a last delivery check emits the home deliveries already due. Runs inside the loader's
 * transaction; does nothing for an organisation without homes.
 */
export async function demoSupplyPlans(
  ctx: Context,
  org: DemoOrganisation,
  location: Lookup,
  item: Lookup,
): Promise<number> {
  let count = 0;
  for (const home of org.locations.filter((l) => l.kind === 'home' && l.patientCode)) {
    const homeId = location(home.code);
    const profile = demoHomeProfile[home.patientCode as keyof typeof demoHomeProfile] ?? [];
    if (!homeId) continue;
    for (const line of profile) {
      const itemId = item(line.itemCode);
      if (!itemId) continue;
      await setSupplyPlan({
        ctx,
        input: {
          locationId: homeId,
          itemId,
          dailyQuantity: line.dailyUnits,
          note: 'Piano terapeutico alla presa in carico',
        },
      });
      count++;
    }
  }
  if (count === 0) return 0;
  const enrolled = new Date(ctx.now().getTime() - enrolledDaysAgo * 86_400_000);
  await ctx.db
    .update(supplyPlans)
    .set({ createdAt: enrolled })
    .where(and(eq(supplyPlans.organisationId, ctx.actor.organisationId), isNull(supplyPlans.endedAt)));
  await sweepHomeDeliveries({ ctx });
  return count;
}
