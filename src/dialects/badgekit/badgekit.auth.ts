import { createHash } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { compactVerify, decodeJwt, decodeProtectedHeader } from 'jose';
import type { Deps } from '../../deps.ts';
import { AppError } from '../../errors/index.ts';
import type { Principal } from '../../http/principal.ts';
import { consumerSecret } from '../../modules/badges/index.ts';
import { rawBody } from './badgekit.body.ts';
import { servedAtRoot } from './badgekit.root.ts';

const HEADER = /^JWT token="(.+?)"$/;
const BODYLESS = new Set(['GET', 'DELETE', 'HEAD']);

const refuse = (message: string) => new AppError('badgekit.not_authorized', message);

/** BadgeKit's path cleaning: `//` collapsed and trailing slashes dropped (the query string is kept). */
export function cleanUrl(url: string): string {
  const q = url.indexOf('?');
  const path = (q === -1 ? url : url.slice(0, q)).replace(/\/{2,}/g, '/').replace(/(.)\/+$/, '$1');
  return q === -1 ? path : path + url.slice(q);
}

// Tokens whose signature has been checked, with the secret that checked it. BadgeKit tokens are reused until
// `exp` (the official client keeps one per URL), and an HMAC over the same bytes with the same secret gives the
// same answer, so a hit skips decoding and WebCrypto. Every claim check still runs on every request; an entry
// lives at most as long as the consumer-secret cache (30 s) and counts only while that secret is unchanged.
const VERIFIED_MS = 30_000;
const VERIFIED_MAX = 2000;
const verified = new Map<string, { claims: Record<string, unknown>; secret: string; at: number }>();

function decode(token: string): Record<string, unknown> {
  let claims: Record<string, unknown>;
  try {
    const header = decodeProtectedHeader(token);
    if (header.alg !== 'HS256')
      throw refuse(`Unsupported JWT algorithm: ${String(header.alg)} (only HS256 is accepted)`);
    claims = decodeJwt(token) as Record<string, unknown>;
  } catch (error) {
    if (error instanceof AppError) throw error;
    throw refuse('Could not decode JWT');
  }
  if (Object.keys(claims).length === 0) throw refuse('Missing JWT payload');
  return claims;
}

/** The body hash must be SHA-2: BadgeKit's original took any digest Node knows, md5 and sha1 included. */
const SHA2 = new Set(['sha224', 'sha256', 'sha384', 'sha512', 'sha512-224', 'sha512-256']);

interface Claims {
  readonly key: string;
  readonly method: string | undefined;
  readonly path: string | undefined;
  readonly exp: number | undefined;
  readonly body: { readonly alg: string | undefined; readonly hash: string | undefined } | undefined;
}

/**
 * Every claim with its type checked, before anything uses it: a claim that is an object or array (e.g.
 * `{"toString": 1}`) must not reach String() or a lookup. `exp` must be a number (`"never"` would never
 * expire); absent claims stay undefined so the checks below can name them as BadgeKit does.
 */
function typed(raw: Record<string, unknown>): Claims {
  const text = (name: string, value: unknown) => {
    if (value === undefined || typeof value === 'string') return value;
    throw refuse(`Invalid JWT claim: ${name} must be a string`);
  };
  if (raw.key === undefined) throw refuse('Missing JWT claim: key');
  const key = text('key', raw.key) ?? '';
  if (raw.exp !== undefined && (typeof raw.exp !== 'number' || !Number.isFinite(raw.exp)))
    throw refuse('Invalid JWT claim: exp must be a number');
  let body: Claims['body'];
  if (raw.body !== undefined && raw.body !== null) {
    if (typeof raw.body !== 'object' || Array.isArray(raw.body))
      throw refuse('Invalid JWT claim: body must be an object');
    const b = raw.body as Record<string, unknown>;
    body = { alg: text('body.alg', b.alg), hash: text('body.hash', b.hash) };
  }
  return { key, method: text('method', raw.method), path: text('path', raw.path), exp: raw.exp, body };
}

/**
 * Checks a BadgeKit JWT with BadgeKit's messages, but signature first: the claims are type-checked, the
 * secret is found by `key`, the HS256 signature verified, and only then are method, path, expiry and body
 * hash compared (the original trusted the token's own `alg`, including `none`, and read claims before
 * checking them). `path` may name the URL with or without the `/badgekit` prefix (the official client signs
 * the full path of its configured base URL). `exp` is compared as given, so the official client's
 * millisecond `exp` is accepted.
 */
export async function authenticateBadgekit(
  deps: Pick<Deps, 'db' | 'clock' | 'secretKey' | 'config'>,
  request: FastifyRequest,
  prefix: string,
  masterSecret: string | undefined,
): Promise<Principal> {
  const match = HEADER.exec(request.headers.authorization ?? '');
  const token = match?.[1];
  if (!token) throw refuse('Missing valid Authorization header');
  const nowMs = deps.clock.now().getTime();
  let known = verified.get(token);
  if (known && (nowMs - known.at >= VERIFIED_MS || nowMs < known.at)) known = undefined;
  const raw = known ? known.claims : decode(token);
  const claims = typed(raw);

  let secret: string;
  let systemId: string | null = null;
  let systemSlug: string | undefined;
  if (claims.key === 'master') {
    if (!masterSecret) throw refuse('Invalid token signature');
    secret = masterSecret;
  } else {
    const consumer = await consumerSecret(deps, claims.key);
    if (!consumer) throw refuse('Could not find consumer for API key');
    secret = consumer.secret;
    systemId = String(consumer.systemId);
    systemSlug = consumer.systemSlug;
  }
  // Both sides of this comparison are the hub's own secrets (the cached one and the current one).
  if (known?.secret !== secret) {
    try {
      await compactVerify(token, new TextEncoder().encode(secret), { algorithms: ['HS256'] });
    } catch {
      throw refuse('Invalid token signature');
    }
    if (verified.size >= VERIFIED_MAX) verified.clear();
    verified.set(token, { claims: raw, secret, at: nowMs });
  }

  if (claims.method === undefined) throw refuse('Missing JWT claim: method');
  if (claims.method.toUpperCase() !== request.method) {
    throw refuse(`\`method\` does not match: using "${claims.method}" token for "${request.method}" request`);
  }
  if (claims.path === undefined) throw refuse('Missing JWT claim: path');
  const full = cleanUrl(request.url);
  const local = full.startsWith(`${prefix}/`) || full === prefix ? full.slice(prefix.length) || '/' : full;
  // On the dialect's own origin (BADGEKIT_HOST/PORT) the client used `local`; the prefixed form exists only
  // inside the hub. Under /badgekit either form, since a proxy that adds the prefix leaves the client signing
  // the path without it.
  if (claims.path !== local && (servedAtRoot(request) || claims.path !== full)) {
    throw refuse(`\`path\` does not match: trying to use token for "${claims.path}" on "${local}"`);
  }
  const now = Math.floor(nowMs / 1000);
  if (claims.exp !== undefined && claims.exp <= now) {
    throw refuse(`Token is expired (token expiry: ${claims.exp}, server time: ${now}`);
  }
  if (!BODYLESS.has(request.method)) {
    const body = claims.body;
    if (body === undefined) throw refuse('Missing JWT claim: body');
    if (body.alg === undefined) throw refuse('Missing JWT claim: body.alg');
    if (body.hash === undefined) throw refuse('Missing JWT claim: body.hash');
    const alg = body.alg.toLowerCase();
    if (!SHA2.has(alg)) throw refuse(`Could not calculate hash, unsupported algorithm: ${body.alg}`);
    const computed = createHash(alg).update(rawBody(request.raw)).digest('hex');
    if (body.hash.toLowerCase() !== computed) {
      throw refuse(`Computed hash does not match given hash: ${body.hash} != ${computed}`);
    }
  }
  if (systemSlug !== undefined) {
    const params = request.params as Record<string, string | undefined>;
    if (params.systemSlug !== systemSlug) throw refuse('Invalid token for system');
  }
  return { kind: 'badgekit_consumer', systemId };
}
