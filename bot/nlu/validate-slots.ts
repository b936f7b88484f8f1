import { renderBoth } from '../../api/core/messages/index.ts';
import type { SlotIssue } from './types.ts';

/** The most a chat or voice request may ask for in one line; more is refused as a likely slip. */
export const maxQuantity = 100_000;

/**
 * Why a requested quantity cannot be used as it is (zero, negative, a fraction, implausibly large), in Italian and
 * English.
 */
export function checkQuantity(quantity: number): SlotIssue[] {
  if (quantity <= 0) {
    return [
      {
        slot: 'quantity',
        code: 'not_positive',
        message: renderBoth('quantity_not_positive', { quantity }),
      },
    ];
  }
  if (!Number.isInteger(quantity)) {
    return [
      {
        slot: 'quantity',
        code: 'not_integer',
        message: renderBoth('quantity_not_integer', { quantity }),
      },
    ];
  }
  if (quantity > maxQuantity) {
    return [
      {
        slot: 'quantity',
        code: 'too_large',
        message: renderBoth('quantity_too_large', { quantity, max: maxQuantity }),
      },
    ];
  }
  return [];
}

/** More than one quantity in one request: the parser proposes one line only, so it asks for one line at a time. */
export const severalLines: SlotIssue = {
  slot: 'quantity',
  code: 'several_lines',
  message: renderBoth('several_lines'),
};
