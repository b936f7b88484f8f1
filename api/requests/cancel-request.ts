import { authorize, can } from '../auth/permissions.ts';
import { audit } from '../core/audit.ts';
import { withTransaction, type Context } from '../core/context.ts';
import { DomainError, forbidden, notFound } from '../core/errors.ts';
import { parseInput } from '../core/validate.ts';
import { loadLocation } from '../locations/load-location.ts';
import { moveLine, syncRequestStatus } from './line-status.ts';
import { loadRequest } from './load-request.ts';
import { requestView } from './request-view.ts';
import { CancelInput } from './schemas.ts';
import { loadSections, processes } from './sections.ts';

/**
 * Cancels a request, or some of its lines, while nothing of them has been issued, picked or ordered.
 * The ward cancels its own; a section cancels the lines it processes.
 */
export async function cancelRequest({ ctx, input }: { ctx: Context; input: unknown }) {
  const data = parseInput(CancelInput, input);
  return withTransaction(ctx, async (tx) => {
    const request = await loadRequest(tx, data.requestId, { lock: true });
    for (const id of data.lineIds ?? [])
      if (!request.lines.some((l) => l.id === id)) throw notFound('request line', id);
    const targets = request.lines.filter((l) =>
      data.lineIds ? data.lineIds.includes(l.id) : l.status !== 'cancelled' && l.status !== 'rejected',
    );
    const destination = await loadLocation(tx, request.destinationId);
    if (!can(tx.actor, 'requests.receive', destination)) {
      const sections = await loadSections(
        tx,
        targets.map((l) => l.sectionId),
      );
      if (![...sections.values()].every((s) => processes(tx, s))) throw forbidden('requests.cancel');
      if (sections.size === 0) authorize(tx.actor, 'requests.receive', destination);
    }
    if (targets.length === 0)
      throw new DomainError('conflict', 'nothing_to_fulfil', { context: { requestId: request.id } });
    for (const line of targets) {
      if (line.quantityIssued > 0) {
        throw new DomainError('conflict', 'invalid_transition', {
          params: { entity: 'request line', from: line.status, to: 'cancelled', event: 'cancel' },
          fields: [{ field: 'lineIds', message: `line ${line.lineNo} has already been issued` }],
        });
      }
      request.lines[request.lines.indexOf(line)] = await moveLine(tx, request, line, 'cancel', 'cancelled', {
        decisionReason: data.reason,
      });
    }
    await syncRequestStatus(tx, request, request.lines);
    await audit(tx, {
      action: 'requests.cancel',
      entityType: 'request',
      entityId: request.id,
      detail: { lines: targets.map((l) => l.lineNo), reason: data.reason },
    });
    return requestView(tx, request.id);
  });
}
