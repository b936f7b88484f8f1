/** GS1 mod-10 check digit of the digits before it (weights 3, 1, 3, … from the right). */
export function gtinCheckDigit(body: string): number {
  let sum = 0;
  for (let i = 0; i < body.length; i++) sum += Number(body[body.length - 1 - i]) * (i % 2 === 0 ? 3 : 1);
  return (10 - (sum % 10)) % 10;
}

/** Whether a GTIN (any length, digits only) carries a correct check digit. */
export function gtinIsValid(gtin: string): boolean {
  return /^\d{8,14}$/.test(gtin) && gtinCheckDigit(gtin.slice(0, -1)) === Number(gtin.at(-1));
}
