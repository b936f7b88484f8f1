import { z } from 'zod';
import { snakeCase } from './errors.ts';

type Shape = Record<string, z.ZodType>;
type Def = {
  type: string;
  shape?: Shape;
  element?: z.ZodType;
  innerType?: z.ZodType;
  defaultValue?: unknown;
  checks?: { _zod: { def: { check: string } } }[];
};
const def = (schema: z.ZodType) => (schema as unknown as { _zod: { def: Def } })._zod.def;

/** Keeps the description (and other metadata) of `from` on its rebuilt copy. */
function withMeta<T extends z.ZodType>(from: z.ZodType, to: T): T {
  const meta = z.globalRegistry.get(from);
  return meta ? (to.meta(meta) as T) : to;
}

/**
 * Checks that stay valid once the keys inside a container are renamed: lengths and sizes, not refinements
 * (`lines.refine(l => l.itemId …)` reads camelCase keys; the core still applies it when it re-parses the input).
 */
function portableChecks(schema: z.ZodType) {
  return (def(schema).checks ?? []).filter((c) => c._zod.def.check !== 'custom') as unknown as z.core.$ZodCheck<
    unknown[]
  >[];
}

/** One schema in the tools' spelling: objects get snake_case keys, deeply; leaves are the core's own schemas. */
function snake(schema: z.ZodType): z.ZodType {
  const d = def(schema);
  switch (d.type) {
    case 'object':
      return withMeta(schema, z.object(snakeShape(d.shape!)));
    case 'array': {
      const checks = portableChecks(schema);
      const array = z.array(snake(d.element!));
      return withMeta(schema, checks.length ? array.check(...checks) : array);
    }
    case 'optional':
      return withMeta(schema, snake(d.innerType!).optional());
    case 'nullable':
      return withMeta(schema, snake(d.innerType!).nullable());
    case 'default':
      return withMeta(schema, snake(d.innerType!).default(d.defaultValue as never));
    default:
      return schema;
  }
}

/**
 * `{ destinationId, lines: [{ itemId }] }` → `{ destination_id, lines: [{ item_id }] }`, with the same checks, defaults
 * and descriptions.
 */
function snakeShape(shape: Shape): Shape {
  return Object.fromEntries(Object.entries(shape).map(([key, value]) => [snakeCase(key), snake(value)]));
}

/**
 * A tool's input shape derived from a core zod object schema (one source of truth: the core's limits, e.g. the
 * quantity maximum, reach the model), in the tools' snake_case spelling. `describe` adds or replaces field
 * descriptions the model needs (keyed by the core's camelCase name), `omit` drops fields a tool does not take.
 * Tools pass their arguments back to the core through `coreInput`, which reverses the spelling.
 */
export function toolArgs<S extends Shape>(
  core: z.ZodObject<S>,
  options: { omit?: (keyof S)[]; describe?: Partial<Record<keyof S, string>> } = {},
  // biome-ignore lint/suspicious/noExplicitAny: the SDK types each tool handler's arguments from these shapes
): Record<string, z.ZodType<any>> {
  const shape: Shape = {};
  for (const [key, value] of Object.entries(core.shape)) {
    if (options.omit?.includes(key)) continue;
    const text = options.describe?.[key];
    shape[key] = text ? value.describe(text) : value;
  }
  return snakeShape(shape);
}
