import { constraintName, sqlState } from './context.ts';
import { DomainError } from './errors.ts';

/** Runs an insert and turns a unique violation into a `conflict` naming the duplicated field. */
export async function insertUnique<T>(entity: string, field: string, value: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (sqlState(error) !== '23505') throw error;
    const name = constraintName(error) ?? '';
    const dupField = name.includes('gtin') ? 'gtin' : field;
    throw new DomainError('conflict', 'duplicate', {
      params: { entity, value },
      fields: [{ field: dupField, message: `${entity} ${value} already exists.` }],
    });
  }
}
