import { McpError, type CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { expect } from 'vitest';
import { recordConsumption } from '../../api/stock/record-consumption.ts';
import type { RequestsHospital } from './requests.ts';
import { issueBetween } from './stock-moves.ts';

/** A tool's result with its structured content, read loosely by the tests. */
export type Result = CallToolResult & { structuredContent: any };

/** A tool result's text blocks, joined by newlines. */
export const text = (result: CallToolResult) => result.content.map((c) => (c.type === 'text' ? c.text : '')).join('\n');

/** The protocol error a call was refused with (it must be one). */
export const refusal = async (promise: Promise<unknown>) => {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(McpError);
  return error as McpError;
};

/** 60 gloves of lot G-EARLY issued to Cardiology's store and 28 consumed there (W = 3.5 a week). */
export async function useGlovesInCardiology(h: RequestsHospital) {
  await issueBetween(h.sys, h.warehouse.id, h.cardioStore.id, [{ itemId: h.gloves.id, quantity: 60 }]);
  await recordConsumption({
    ctx: h.sys,
    input: { locationId: h.cardioStore.id, lines: [{ itemId: h.gloves.id, quantity: 28 }] },
  });
}
