import type { TSchema } from 'typebox';
import { Value } from 'typebox/value';

/**
 * Contract checks for routes whose JSON is built outside their response schema (by PostgreSQL, or cached as
 * bytes) and sent as is, so Fastify's serialiser never compares the two.
 */

/**
 * The schema with every object closed (`additionalProperties: false` unless it says otherwise): a field the
 * SQL adds but the schema does not list would be dropped by the serialiser on an ordinary route, so here it
 * is a contract break too.
 */
export function closed(schema: TSchema): TSchema {
  return JSON.parse(JSON.stringify(schema), (_key, value: unknown) => {
    if (value && typeof value === 'object' && !Array.isArray(value)) {
      const o = value as Record<string, unknown>;
      if (o.type === 'object' && !('additionalProperties' in o)) return { ...o, additionalProperties: false };
    }
    return value;
  }) as TSchema;
}

/** Each way `body` breaks the (closed) schema, as `<path> <message>`; empty when it keeps it. */
export function schemaErrors(schema: TSchema, body: unknown): string[] {
  const strict = closed(schema);
  if (Value.Check(strict, body)) return [];
  return [...Value.Errors(strict, body)].map((e) => `${e.instancePath || '/'} ${e.message}`);
}

/** The response body parsed from JSON, failing with the raw text when it is not JSON. */
export function jsonOf(payload: string): unknown {
  try {
    return JSON.parse(payload);
  } catch {
    throw new Error(`not JSON: ${payload.slice(0, 200)}`);
  }
}
