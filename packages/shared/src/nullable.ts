import { Type, type Static, type TSchema } from 'typebox';

/**
 * A value or null, for request and response contracts.
 *
 * Written as a JSON Schema type list (`"type": ["integer", "null"]`) for scalars, not as
 * `anyOf: [X, null]`: the API's validator coerces scalars (a query string's "5" is the number 5), and
 * inside `anyOf` it tries the first branch first, so an explicit null became 0 for an integer and ""
 * for a string before the null branch was reached (a cost of 0 € instead of "not set"). With a type
 * list a value that already has one of the types is left alone.
 */
export function Nullable<T extends TSchema>(schema: T) {
  const type = (schema as { type?: unknown }).type;
  if (typeof type === 'string') return Type.Unsafe<Static<T> | null>({ ...schema, type: [type, 'null'] });
  // Objects, arrays and unions are never coerced from null; null first keeps it that way.
  return Type.Union([Type.Null(), schema]);
}
