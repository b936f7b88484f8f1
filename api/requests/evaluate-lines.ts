import { eq, sql } from 'drizzle-orm';
import { requestLines } from '../../db/schema/index.ts';
import { audit } from '../core/audit.ts';
import { withTransaction, type Context } from '../core/context.ts';
import { DomainError, notFound } from '../core/errors.ts';
import { onceForKey } from '../core/idempotency.ts';
import { parseInput } from '../core/validate.ts';
import { loadLocation } from '../locations/load-location.ts';
import { authorizeSections } from './sections.ts';
import { budgetFor, contractsFor, round2, type BudgetCheck, type ContractCheck } from './checks.ts';
import { moveLine, syncRequestStatus } from './line-status.ts';
import { loadRequest, requestIdsOfLines, type LineRow } from './load-request.ts';
import { requestView } from './request-view.ts';
import { EvaluateLinesInput } from './schemas.ts';

/**
 * Evaluates request lines (riscontro): approve, reduce (with reason) or reject (with reason). Approved
 * value is checked against the ward's budget for the period and approved quantity against the contract
 * in force; exceeding either needs an explicit, audited override. An emergency already fulfilled before
 * evaluation gets its evaluation recorded.
 */
export async function evaluateLines({ ctx, input }: { ctx: Context; input: unknown }) {
  const data = parseInput(EvaluateLinesInput, input);
  return withTransaction(ctx, async (tx) => {
    const lineIds = data.decisions.map((d) => d.lineId);
    const requestIds = await requestIdsOfLines(tx, lineIds);
    const requests: Awaited<ReturnType<typeof loadRequest>>[] = [];
    for (const id of requestIds) requests.push(await loadRequest(tx, id, { lock: true }));
    const lines = new Map(requests.flatMap((r) => r.lines.map((l) => [l.id, { line: l, request: r }] as const)));
    for (const id of lineIds) if (!lines.has(id)) throw notFound('request line', id);
    await authorizeSections(
      tx,
      [...lines.values()].filter((x) => lineIds.includes(x.line.id)).map((x) => x.line.sectionId),
    );
    return onceForKey(tx, 'requests.evaluate', data.idempotencyKey, data, async () => {
      const contracts = await contractsFor(tx, [...new Set([...lines.values()].map((x) => x.line.itemId))]);
      const budgets = new Map<string, BudgetCheck | null>();
      const exceeded: { field: string; message: string }[] = [];
      let firstExceeded: DomainError | undefined;
      const changed: LineRow[] = [];
      for (const [i, d] of data.decisions.entries()) {
        const { line, request } = lines.get(d.lineId)!;
        const quantity = d.decision === 'reject' ? 0 : d.decision === 'reduce' ? d.quantity : line.quantityRequested;
        if (d.decision === 'reduce' && d.quantity >= line.quantityRequested) {
          throw new DomainError('validation', 'validation', {
            fields: [
              {
                field: `decisions.${i}.quantity`,
                message: `a reduction must be below the ${line.quantityRequested} requested`,
              },
            ],
          });
        }
        if (line.decision !== null) {
          throw new DomainError('conflict', 'invalid_transition', {
            params: { entity: 'request line', from: line.decision, to: d.decision, event: 'evaluate' },
            fields: [{ field: `decisions.${i}.lineId`, message: 'already evaluated' }],
          });
        }
        if (quantity > 0) {
          const value = round2(quantity * Number(line.unitPrice ?? 0));
          // One budget lookup per destination, shared by all its lines (and their running total).
          if (!budgets.has(request.destinationId))
            budgets.set(
              request.destinationId,
              await budgetFor(tx, (await loadLocation(tx, request.destinationId)).path),
            );
          const budget = budgets.get(request.destinationId);
          if (budget && value > budget.remaining) {
            exceeded.push({
              field: `decisions.${i}`,
              message: `${value} € exceeds the ${budget.remaining} € left in the ward budget`,
            });
            firstExceeded ??= new DomainError('precondition_failed', 'budget_exceeded', {
              params: { value, remaining: budget.remaining },
              context: { budget: { ...budget } },
            });
          }
          if (budget) budget.remaining = round2(budget.remaining - value);
          const contract: ContractCheck | undefined = contracts.get(line.itemId);
          if (contract && quantity > contract.remaining) {
            exceeded.push({
              field: `decisions.${i}`,
              message: `${quantity} exceeds the ${contract.remaining} left on contract ${contract.reference}`,
            });
            firstExceeded ??= new DomainError('precondition_failed', 'contract_exceeded', {
              params: { reference: contract.reference, quantity, remaining: contract.remaining },
              context: { contract: { ...contract } },
            });
          }
          if (contract) contract.remaining -= quantity;
        }
        const decision = d.decision === 'approve' ? 'approved' : d.decision === 'reduce' ? 'reduced' : 'rejected';
        const changes = {
          quantityApproved: quantity,
          decision,
          decisionReason: d.reason ?? null,
          evaluatedBy: tx.actor.userId,
          evaluatedAt: tx.now(),
        } as const;
        let next: LineRow;
        if (line.status === 'routed')
          next = await moveLine(tx, request, line, 'evaluate', quantity === 0 ? 'rejected' : 'approved', changes);
        else if (
          line.fulfilledBeforeEvaluation &&
          line.status === 'partially_issued' &&
          line.quantityIssued >= quantity
        )
          next = await moveLine(tx, request, line, 'evaluate', 'issued', changes);
        // An emergency already in fulfilment (picked, ordered, issued): the evaluation is recorded afterwards.
        else if (line.fulfilledBeforeEvaluation || request.urgency === 'emergency')
          next = await recordOnly(tx, line, changes);
        else
          throw new DomainError('conflict', 'invalid_transition', {
            params: { entity: 'request line', from: line.status, to: decision, event: 'evaluate' },
            fields: [{ field: `decisions.${i}.lineId`, message: `line is ${line.status}` }],
          });
        changed.push(next);
        const entry = request.lines.findIndex((l) => l.id === line.id);
        request.lines[entry] = next;
      }
      if (firstExceeded && !data.override)
        throw new DomainError(firstExceeded.code, firstExceeded.key, {
          params: firstExceeded.params,
          fields: exceeded,
          context: firstExceeded.context,
        });
      for (const request of requests) await syncRequestStatus(tx, request, request.lines);
      await audit(tx, {
        action: 'requests.evaluate',
        entityType: 'request_line',
        entityId: changed.map((l) => l.id).join(','),
        detail: {
          decisions: data.decisions,
          ...(firstExceeded && data.override ? { override: data.override.reason, exceeded } : {}),
        },
      });
      return { requests: await Promise.all(requests.map((r) => requestView(tx, r.id))) };
    });
  });
}

/** The evaluation of an emergency line already in fulfilment: the decision is recorded, the status stays. */
async function recordOnly(ctx: Context, line: LineRow, changes: Partial<LineRow>): Promise<LineRow> {
  await ctx.db
    .update(requestLines)
    .set({ ...changes, updatedAt: sql`now()` })
    .where(eq(requestLines.id, line.id));
  return { ...line, ...changes };
}
