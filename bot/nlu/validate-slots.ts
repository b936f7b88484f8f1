import type { SlotIssue } from './types.ts';

/** The most a chat or voice request may ask for in one line; more is refused as a likely slip. */
export const maxQuantity = 100_000;

/** Why a requested quantity cannot be used as it is (zero, negative, a fraction, implausibly large), in Italian and English. */
export function checkQuantity(quantity: number): SlotIssue[] {
  if (quantity <= 0) {
    return [
      {
        slot: 'quantity',
        code: 'not_positive',
        message: {
          it: `La quantità deve essere maggiore di zero (hai scritto ${quantity}).`,
          en: `The quantity must be more than zero (you wrote ${quantity}).`,
        },
      },
    ];
  }
  if (!Number.isInteger(quantity)) {
    return [
      {
        slot: 'quantity',
        code: 'not_integer',
        message: {
          it: `La quantità deve essere un numero intero (hai scritto ${quantity}).`,
          en: `The quantity must be a whole number (you wrote ${quantity}).`,
        },
      },
    ];
  }
  if (quantity > maxQuantity) {
    return [
      {
        slot: 'quantity',
        code: 'too_large',
        message: {
          it: `${quantity} è oltre il massimo di ${maxQuantity} per riga: controlla la quantità.`,
          en: `${quantity} is over the ${maxQuantity} per line limit: check the quantity.`,
        },
      },
    ];
  }
  return [];
}

/** More than one quantity in one request: the parser proposes one line only, so it asks for one line at a time. */
export const severalLines: SlotIssue = {
  slot: 'quantity',
  code: 'several_lines',
  message: {
    it: 'Ho letto più quantità: indicami un articolo alla volta.',
    en: 'I read more than one quantity: please ask for one item at a time.',
  },
};
