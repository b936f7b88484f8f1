import { can } from '../auth/permissions.ts';
import type { Context } from '../core/context.ts';
import { forbidden } from '../core/errors.ts';
import { loadLocation } from '../locations/load-location.ts';
import { loadRequest } from './load-request.ts';
import { requestView } from './request-view.ts';
import { loadSections, processes } from './sections.ts';

/** One request: for its ward's staff, and for the staff of any section it was routed to. */
export async function getRequest({ ctx, id }: { ctx: Context; id: string }) {
  const request = await loadRequest(ctx, id);
  if (!can(ctx.actor, 'requests.receive', await loadLocation(ctx, request.destinationId))) {
    const sections = await loadSections(
      ctx,
      request.lines.map((l) => l.sectionId),
    );
    if (![...sections.values()].some((s) => processes(ctx, s))) throw forbidden('requests.read');
  }
  return requestView(ctx, id);
}
