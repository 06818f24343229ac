import fc from 'fast-check';
import {
  applyMutation,
  forgedCursor,
  hostileSegment,
  hostileString,
  type JsonSchema,
  mutationFor,
  RAW_BODIES,
  valueFor,
} from './generators.ts';
import type { CredentialKind } from './harness.ts';

export type Surface =
  | 'native'
  | 'openlearning'
  | 'badgekit'
  | 'eventstore'
  | 'peerscholar'
  | 'lti'
  | 'page'
  /** The OpenID provider's API endpoints (/oidc/token, /oidc/me, ...): RFC 6749 JSON errors. */
  | 'oidc'
  /** The xAPI LRS: xAPI statuses with `{code, message}`. */
  | 'xapi';

export interface Operation {
  readonly method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** OpenAPI-style path: `{name}` parameters, `{*}` a wildcard tail. */
  readonly path: string;
  readonly surface: Surface;
  readonly query: Record<string, JsonSchema>;
  readonly body: JsonSchema | undefined;
  /** How the surface's clients send bodies. */
  readonly bodyAs: 'json' | 'form';
}

export function surfaceOf(path: string): Surface {
  // LTI launches are for a person in a browser (an HTML page when refused), wherever they are mounted.
  if (path.startsWith('/lti/') || path.startsWith('/openlearning/lti/')) return 'lti';
  if (path.startsWith('/peerscholar/')) return 'peerscholar';
  if (path.startsWith('/openlearning/')) return 'openlearning';
  if (path.startsWith('/badgekit/') || path === '/badgekit') return 'badgekit';
  if (path.startsWith('/eventstore/')) return 'eventstore';
  if (path.startsWith('/xapi/')) return 'xapi';
  return 'native';
}

const str = (format?: string): JsonSchema => ({
  type: 'string',
  maxLength: 40,
  ...(format ? { format } : {}),
});
const obj = (properties: Record<string, JsonSchema>, required: string[] = []): JsonSchema => ({
  type: 'object',
  properties,
  required,
});

/**
 * The dialects' bodies, which OpenAPI leaves open (BadgeKit) or untyped (Event Store): described here by the
 * route's last literal segment, so generated bodies use the seeds' field names and get past the first check.
 */
const DIALECT_BODIES: Record<string, JsonSchema> = {
  'badgekit:systems': obj({
    slug: str(),
    name: str(),
    url: str('uri'),
    email: str('email'),
    description: str(),
  }),
  'badgekit:issuers': obj({ slug: str(), name: str(), url: str('uri'), email: str('email') }),
  'badgekit:programs': obj({ slug: str(), name: str(), url: str('uri'), email: str('email') }),
  'badgekit:badges': obj({
    slug: str(),
    name: str(),
    earnerDescription: str(),
    consumerDescription: str(),
    criteriaUrl: str('uri'),
    unique: { type: 'integer', minimum: 0, maximum: 1 },
    // A URL image is fetched at create time: a closed local port, refused at once, never the internet.
    image: { enum: ['data:image/png;base64,iVBORw0KGgo=', 'http://127.0.0.1:9/i.png', 'data:,%'] },
    type: { enum: ['skill', 'achievement'] },
    criteria: { type: 'array', items: obj({ description: str(), required: { type: 'integer' } }) },
    alignments: { type: 'array', items: obj({ name: str(), url: str('uri') }) },
  }),
  'badgekit:instances': obj({
    email: str('email'),
    issuedOn: { type: 'integer' },
    expires: { type: 'integer' },
  }),
  'badgekit:bulk': obj({ emails: { type: 'array', items: str('email') } }),
  'badgekit:codes': obj({ code: str(), multiuse: { type: 'boolean' }, email: str('email') }),
  'badgekit:random': obj({ multiuse: { type: 'boolean' } }),
  'badgekit:claim': obj({ email: str('email') }),
  'badgekit:applications': obj({
    learner: str('email'),
    evidence: { type: 'array', items: obj({ url: str('uri') }) },
  }),
  'badgekit:reviews': obj({
    author: str('email'),
    comment: str(),
    reviewItems: {
      type: 'array',
      items: obj({ criterionId: { type: 'integer' }, satisfied: { type: 'boolean' } }),
    },
  }),
  'badgekit:milestones': obj({
    action: str(),
    numberRequired: { type: 'integer' },
    primaryBadgeId: { type: 'integer' },
  }),
  'badgekit:add-badge': obj({ badgeId: { type: 'integer' } }),
  'badgekit:remove-badge': obj({ badgeId: { type: 'integer' } }),
  'eventstore:events': obj({
    ProgramId: { enum: ['FUZ', 'OTHER'] },
    ProgramMemberId: str('email'),
    EventType: str(),
    EventStartUTC: str('date-time'),
    EventEndUTC: str('date-time'),
    EventData: obj({ score: { type: 'integer' } }),
  }),
};

/** Pages for people are not in OpenAPI: a few, asked for as a browser would (their 4xx must be HTML). */
export const PAGES: readonly Operation[] = [
  '/',
  '/courses',
  '/courses/{ref}',
  '/u/{username}',
  '/login',
  '/signup',
].map((path) => ({
  method: 'GET',
  path,
  surface: 'page',
  query: { q: str(), page: str() },
  body: undefined,
  bodyAs: 'json',
}));

interface OpenApiOperation {
  parameters?: { name: string; in: string; schema?: JsonSchema }[];
  requestBody?: { content?: Record<string, { schema?: JsonSchema }> };
}

const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;

/** Every operation of the document, writes that delete last (so they do not empty the world early). */
export function operationsOf(document: {
  paths: Record<string, Record<string, OpenApiOperation>>;
}): Operation[] {
  const list: Operation[] = [];
  for (const [path, item] of Object.entries(document.paths)) {
    for (const method of METHODS) {
      const op = item[method];
      if (!op) continue;
      const query: Record<string, JsonSchema> = {};
      for (const p of op.parameters ?? []) if (p.in === 'query') query[p.name] = p.schema ?? str();
      const surface = surfaceOf(path);
      const last =
        path
          .split('/')
          .filter((s) => s && !s.startsWith('{'))
          .at(-1) ?? '';
      const described = DIALECT_BODIES[`${surface}:${last.replace(/^events:batch$/, 'batch')}`];
      list.push({
        method: method.toUpperCase() as Operation['method'],
        path,
        surface,
        query,
        body: described ?? op.requestBody?.content?.['application/json']?.schema,
        bodyAs: surface === 'openlearning' ? 'form' : 'json',
      });
    }
  }
  const order = { GET: 0, POST: 1, PUT: 1, PATCH: 1, DELETE: 2 };
  return list.sort((a, b) => order[a.method] - order[b.method]);
}

export interface Case {
  readonly credential: CredentialKind;
  readonly segments: readonly string[];
  readonly query: string;
  readonly body: { readonly type: string; readonly bytes: Buffer; readonly label: string } | undefined;
}

/**
 * encodeURIComponent, except that a lone surrogate (which it refuses) is sent as its WTF-8 bytes: exactly
 * the invalid UTF-8 a hostile client can put on the wire.
 */
export function encodeAny(text: string): string {
  let out = '';
  for (const ch of text) {
    const code = ch.codePointAt(0) ?? 0;
    if (code >= 0xd800 && code <= 0xdfff) {
      const bytes = [0xe0 | (code >> 12), 0x80 | ((code >> 6) & 0x3f), 0x80 | (code & 0x3f)];
      out += bytes.map((b) => `%${b.toString(16).toUpperCase()}`).join('');
    } else out += encodeURIComponent(ch);
  }
  return out;
}

const segmentFor = (known: readonly string[]) =>
  fc.oneof(
    { weight: 4, arbitrary: known.length > 0 ? fc.constantFrom(...known).map(encodeAny) : fc.constant('x') },
    { weight: 3, arbitrary: hostileSegment },
    { weight: 1, arbitrary: fc.string({ maxLength: 20, unit: 'binary' }).map(encodeAny) },
  );

function queryFor(op: Operation): fc.Arbitrary<string> {
  const pairs = Object.entries(op.query).map(([name, schema]) => {
    const value = /cursor|since/.test(name)
      ? fc.oneof(forgedCursor, valueFor(schema).map(String))
      : fc.oneof(
          valueFor(schema).map(String),
          hostileString,
          fc.constantFrom('-1', '0', '1e9', '1.5', 'true', '[]'),
        );
    return fc.option(
      fc.tuple(value, fc.boolean()).map(([v, twice]) => {
        const one = `${encodeAny(name)}=${encodeAny(v)}`;
        return twice ? `${one}&${one}` : one;
      }),
      { freq: 2 },
    );
  });
  const extra = fc.option(
    hostileString.map((v) => `extra=${encodeAny(v)}`),
    { freq: 4 },
  );
  return fc
    .tuple(fc.tuple(...pairs), extra)
    .map(([list, x]) => [...list, x].filter((p) => p !== null).join('&'));
}

const encode = (value: unknown, as: 'json' | 'form') => {
  if (as === 'json') return { type: 'application/json', bytes: Buffer.from(JSON.stringify(value) ?? 'null') };
  const form = new URLSearchParams();
  if (typeof value === 'object' && value !== null)
    for (const [k, v] of Object.entries(value))
      form.append(k, typeof v === 'string' ? v : (JSON.stringify(v) ?? ''));
  return { type: 'application/x-www-form-urlencoded', bytes: Buffer.from(form.toString()) };
};

function bodyFor(op: Operation): fc.Arbitrary<Case['body']> {
  if (op.method === 'GET' || op.method === 'DELETE') return fc.constant(undefined);
  const shaped = fc.tuple(valueFor(op.body ?? obj({})), mutationFor(op.body)).map(([value, mutation]) => ({
    ...encode(applyMutation(value, mutation), op.bodyAs),
    label: `${op.bodyAs} ${mutation.kind}${'key' in mutation ? ` ${mutation.key}` : ''}`,
  }));
  const raw = fc
    .constantFrom(...RAW_BODIES)
    .map((r) => ({ type: r.type, bytes: Buffer.from(r.body()), label: r.name }));
  return fc.oneof({ weight: 3, arbitrary: shaped }, { weight: 1, arbitrary: raw });
}

/** The path's parameter names, in order (`*` for a wildcard tail). */
export const paramsOf = (path: string) => [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1] ?? '');

export function caseFor(
  op: Operation,
  ids: Record<string, string[]>,
  credentials: fc.Arbitrary<CredentialKind>,
) {
  return fc.record({
    credential: credentials,
    segments: fc.tuple(...paramsOf(op.path).map((name) => segmentFor(ids[name] ?? []))),
    query: queryFor(op),
    body: bodyFor(op),
  });
}

export function urlOf(op: Operation, c: Case): string {
  let i = 0;
  const path = op.path.replace(/\{[^}]+\}/g, () => c.segments[i++] ?? '');
  return c.query ? `${path}?${c.query}` : path;
}
