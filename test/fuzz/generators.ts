import fc from 'fast-check';

/**
 * fast-check generators for hostile HTTP input: schema-shaped values (so a request gets past the first
 * validation and reaches the use-case), then one mutation of the kind an attacker would try.
 */

export type JsonSchema = {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  enum?: unknown[];
  const?: unknown;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  format?: string;
  additionalProperties?: boolean | JsonSchema;
};

const UUID = '0b8e5b1e-3c4f-4d1a-9f3e-2a6b7c8d9e0f';

/** Strings that have broken parsers, encoders or databases somewhere. */
export const HOSTILE_STRINGS = [
  '',
  ' ',
  'a\u0000b',
  '\u0000',
  '\u0001\u001f\u007f',
  'line\r\nInjected: header',
  '\ud800',
  'x\udfffy',
  '\uffff\ufffe',
  '../../etc/passwd',
  '..\\..\\windows',
  '%00',
  '%',
  '%zz',
  '%E0%A4%A',
  '<script>alert(1)</script>',
  '<a@b.example>',
  "'; drop table users; --",
  '$\u007b7*7}{{7*7}}', // template-injection probes
  '\u202e\u200b\ufeff',
  '😀'.repeat(50),
  'x'.repeat(70_000),
  'data:,%E0%A4%A',
  'data:image/png;base64,!!!',
  'javascript:alert(1)',
  'http://[::1',
  'https://127.0.0.1:0/',
  '1e400',
  '-0',
  'NaN',
  '9'.repeat(40),
  '2026-02-30T25:61:61Z',
  '-271821-04-20T00:00:00Z',
  '+275760-09-13T00:00:00Z',
  UUID.toUpperCase(),
  'not-a-uuid',
] as const;

export const BOUNDARY_NUMBERS = [
  0,
  -0,
  -1,
  1,
  0.5,
  -2_147_483_649,
  2_147_483_648,
  Number.MAX_SAFE_INTEGER + 2,
  -Number.MAX_SAFE_INTEGER - 2,
  1e308,
  -1e308,
  5e-324,
] as const;

/** Path segments: traversal, encoded slashes, invalid UTF-8, lone surrogates, overlong and odd spellings. */
export const HOSTILE_SEGMENTS = [
  '..',
  '.',
  '%2e%2e',
  '..%2F..%2Fetc%2Fpasswd',
  '%2F',
  'a%2Fb',
  '%5C..%5C',
  '%00',
  'a%00b',
  '%ff%fe',
  '%C0%AE%C0%AE',
  '%ED%A0%80',
  '%F0%9F%98%80',
  '%',
  '%zz',
  '%25',
  '%20',
  'x'.repeat(300),
  '-1',
  '0',
  '99999999999999999999999',
  UUID,
  '%3Cscript%3E',
  'a;b=c',
  '~',
] as const;

const base64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** Cursors no list issued: wrong arity, wrong types, out-of-range times and numbers, not base64 at all. */
export const FORGED_CURSORS = [
  base64url([]),
  base64url(['x']),
  base64url([1]),
  base64url([null, null]),
  base64url(['not-a-date', 'not-a-uuid']),
  base64url(['2026-01-01T00:00:00Z', 'not-a-uuid']),
  base64url(['-271821-04-20T00:00:00Z', UUID]),
  base64url(['+275760-09-13T00:00:00Z', UUID]),
  base64url(['t', Number.MAX_SAFE_INTEGER + 2, UUID]),
  base64url(['q', 1e308, UUID]),
  base64url(['t', -1, 'x']),
  base64url([-1, -1]),
  base64url([9.5, 'x']),
  base64url(['9'.repeat(40), '9'.repeat(40)]),
  base64url({ a: 1 }),
  base64url('string'),
  '!!!not-base64!!!',
  '',
  'A'.repeat(5000),
] as const;

export const hostileString = fc.constantFrom(...HOSTILE_STRINGS);
export const hostileSegment = fc.constantFrom(...HOSTILE_SEGMENTS);

/** A cursor: one of the crafted ones or a random JSON array, base64url-encoded as real ones are. */
export const forgedCursor = fc.oneof(
  fc.constantFrom(...FORGED_CURSORS),
  fc
    .array(fc.oneof(fc.string(), fc.double(), fc.integer(), fc.constant(UUID)), { maxLength: 4 })
    .map(base64url),
);

/** Any JSON value of the wrong shape for a field. */
export const anyJson: fc.Arbitrary<unknown> = fc.oneof(
  hostileString,
  fc.constantFrom(...BOUNDARY_NUMBERS),
  fc.constantFrom(null, true, false, [], {}, [[]], { toString: 1 }, { __proto__: { x: 1 } }),
  fc.jsonValue({ maxDepth: 2 }),
);

function stringFor(schema: JsonSchema): fc.Arbitrary<string> {
  const min = schema.minLength ?? 0;
  const max = Math.min(schema.maxLength ?? 40, 40);
  switch (schema.format) {
    case 'uuid':
      return fc.uuid();
    case 'email':
      return fc.constantFrom('ada@example.org', 'x@y.example', 'fuzz+1@example.com');
    case 'uri':
    case 'url':
      return fc.constantFrom('https://example.org/cb', 'https://a.example/x?y=1');
    case 'date-time':
      return fc.constantFrom('2026-03-01T10:00:00Z', '2026-03-01T10:00:00.123+02:00');
    case 'date':
      return fc.constantFrom('2026-03-01');
  }
  return fc.string({ minLength: min, maxLength: Math.max(min, max), unit: 'grapheme-ascii' });
}

/** A value that fits the schema (as far as this small interpreter understands it). */
export function valueFor(schema: JsonSchema | undefined, depth = 0): fc.Arbitrary<unknown> {
  if (!schema || depth > 4) return fc.constant(null);
  if (schema.const !== undefined) return fc.constant(schema.const);
  if (schema.enum) return fc.constantFrom(...schema.enum);
  const union = schema.anyOf ?? schema.oneOf;
  if (union && union.length > 0) return fc.oneof(...union.map((s) => valueFor(s, depth + 1)));
  const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== 'null') : schema.type;
  switch (type) {
    case 'string':
      return stringFor(schema);
    case 'integer':
      return fc.integer({ min: schema.minimum ?? -1000, max: schema.maximum ?? 1000 });
    case 'number':
      return fc.double({ min: schema.minimum ?? -1000, max: schema.maximum ?? 1000, noNaN: true });
    case 'boolean':
      return fc.boolean();
    case 'array':
      return fc.array(valueFor(schema.items, depth + 1), {
        minLength: schema.minItems ?? 0,
        maxLength: Math.min(schema.maxItems ?? 3, 3),
      });
    case 'object': {
      const props = schema.properties ?? {};
      const required = new Set(schema.required ?? []);
      const model: Record<string, fc.Arbitrary<unknown>> = {};
      for (const [name, sub] of Object.entries(props)) model[name] = valueFor(sub, depth + 1);
      return fc.record(model, {
        requiredKeys: Object.keys(props).filter((k) => required.has(k)),
      });
    }
  }
  return anyJson;
}

/** One attacker's change to a schema-shaped object body. */
export type Mutation =
  | { kind: 'none' }
  | { kind: 'drop'; key: string }
  | { kind: 'extra'; key: string; value: unknown }
  | { kind: 'replace'; key: string; value: unknown };

export function mutationFor(schema: JsonSchema | undefined): fc.Arbitrary<Mutation> {
  const keys = Object.keys(schema?.properties ?? {});
  const key = keys.length > 0 ? fc.constantFrom(...keys) : fc.constant('name');
  return fc.oneof(
    { weight: 1, arbitrary: fc.constant<Mutation>({ kind: 'none' }) },
    { weight: 1, arbitrary: key.map((k): Mutation => ({ kind: 'drop', key: k })) },
    {
      weight: 1,
      arbitrary: fc
        .tuple(fc.constantFrom('extra', '__proto__', 'constructor', 'id', 'admin', '\u0000'), anyJson)
        .map(([k, value]): Mutation => ({ kind: 'extra', key: k, value })),
    },
    {
      weight: 4,
      arbitrary: fc.tuple(key, anyJson).map(([k, value]): Mutation => ({ kind: 'replace', key: k, value })),
    },
  );
}

export function applyMutation(value: unknown, mutation: Mutation): unknown {
  if (mutation.kind === 'none' || typeof value !== 'object' || value === null || Array.isArray(value))
    return value;
  const copy: Record<string, unknown> = { ...(value as Record<string, unknown>) };
  if (mutation.kind === 'drop') delete copy[mutation.key];
  else Object.defineProperty(copy, mutation.key, { value: mutation.value, enumerable: true });
  return copy;
}

/** Bodies that are not what the content type says, or not bounded: each is raw bytes plus a content type. */
export const RAW_BODIES: readonly { name: string; type: string; body: () => Buffer | string }[] = [
  { name: 'invalid JSON', type: 'application/json', body: () => '{"a":' },
  { name: 'empty JSON', type: 'application/json', body: () => '' },
  { name: 'JSON array', type: 'application/json', body: () => '[1,2,3]' },
  { name: 'JSON scalar', type: 'application/json', body: () => '"x"' },
  { name: 'JSON null', type: 'application/json', body: () => 'null' },
  {
    name: 'invalid UTF-8',
    type: 'application/json',
    body: () => Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0xc0, 0x22, 0x7d]),
  },
  {
    name: 'lone surrogate escape',
    type: 'application/json',
    body: () => '{"name":"\\ud800","title":"\\udfff"}',
  },
  { name: 'NUL escape in key', type: 'application/json', body: () => '{"\\u0000":"x"}' },
  {
    name: 'deep nesting',
    type: 'application/json',
    body: () => `${'['.repeat(20_000)}${']'.repeat(20_000)}`,
  },
  {
    name: 'deep object',
    type: 'application/json',
    body: () => `${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}`,
  },
  { name: 'huge string', type: 'application/json', body: () => `{"name":"${'x'.repeat(1_100_000)}"}` },
  {
    name: 'many keys',
    type: 'application/json',
    body: () => JSON.stringify(Object.fromEntries(Array.from({ length: 20_000 }, (_, i) => [`k${i}`, i]))),
  },
  { name: 'plain text', type: 'text/plain', body: () => 'hello' },
  { name: 'xml', type: 'application/xml', body: () => '<a/>' },
  { name: 'form', type: 'application/x-www-form-urlencoded', body: () => 'name=a&name=b&a[b]=c&%zz=%' },
  {
    name: 'broken multipart',
    type: 'multipart/form-data; boundary=XX',
    body: () => '--XX\r\nContent-Disposition: form-data; name="a"\r\n\r\n',
  },
  { name: 'odd JSON type', type: 'application/json; charset=latin1', body: () => '{"name":"\u00e9"}' },
  { name: 'vendor JSON', type: 'application/vnd.api+json', body: () => '{}' },
];
