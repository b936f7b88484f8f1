import { DomainError } from './errors.ts';

/** One allowed move of a state machine; `only` narrows it to a fact of the entity (e.g. an emergency). */
export interface Transition<S extends string, E extends string, F extends string = never> {
  from: S;
  on: E;
  to: S;
  only?: F;
}

/** Whether `table` allows `from` → `to` on `event`, given the entity's facts. */
export function allows<S extends string, E extends string, F extends string>(
  table: readonly Transition<S, E, F>[],
  from: S,
  on: E,
  to: S,
  facts: readonly F[] = [],
): boolean {
  return table.some(
    (t) => t.from === from && t.on === on && t.to === to && (t.only === undefined || facts.includes(t.only)),
  );
}

/** Throws a `conflict` naming the entity and both states unless the table allows the move. */
export function assertTransition<S extends string, E extends string, F extends string>(
  table: readonly Transition<S, E, F>[],
  entity: string,
  from: S,
  on: E,
  to: S,
  facts: readonly F[] = [],
): void {
  if (!allows(table, from, on, to, facts)) {
    throw new DomainError('conflict', 'invalid_transition', {
      params: { entity, from, to, event: on },
      context: { entity, from, to, event: on },
    });
  }
}
