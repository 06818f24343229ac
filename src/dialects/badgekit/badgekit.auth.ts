import { createHash, getHashes } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { compactVerify, decodeJwt, decodeProtectedHeader } from 'jose';
import type { Deps } from '../../deps.ts';
import { AppError } from '../../errors/index.ts';
import type { Principal } from '../../http/principal.ts';
import { consumerSecret } from '../../modules/badges/index.ts';
import { rawBody } from './badgekit.body.ts';

const HEADER = /^JWT token="(.+?)"$/;
const HASHES = new Set(getHashes().map((h) => h.toLowerCase()));
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

/**
 * Checks a BadgeKit JWT in BadgeKit's order with its exact messages, except that only HS256 is accepted: the
 * original trusted the token's own `alg`, including `none`. `path` may name the URL with or without the
 * `/badgekit` prefix (the official client signs the full path of its configured base URL). `exp` is compared
 * as given, so the official client's millisecond `exp` is accepted.
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
  const claims = known ? known.claims : decode(token);

  if (claims.method === undefined) throw refuse('Missing JWT claim: method');
  if (String(claims.method).toUpperCase() !== request.method) {
    throw refuse(
      `\`method\` does not match: using "${String(claims.method)}" token for "${request.method}" request`,
    );
  }
  if (claims.path === undefined) throw refuse('Missing JWT claim: path');
  const full = cleanUrl(request.url);
  const local = full.startsWith(`${prefix}/`) || full === prefix ? full.slice(prefix.length) || '/' : full;
  if (claims.path !== local && claims.path !== full) {
    throw refuse(`\`path\` does not match: trying to use token for "${String(claims.path)}" on "${local}"`);
  }
  const now = Math.floor(nowMs / 1000);
  if (claims.exp !== undefined && Number(claims.exp) <= now) {
    throw refuse(`Token is expired (token expiry: ${String(claims.exp)}, server time: ${now}`);
  }
  if (!BODYLESS.has(request.method)) {
    const body = claims.body as Record<string, unknown> | undefined;
    if (body === undefined || body === null) throw refuse('Missing JWT claim: body');
    if (body.alg === undefined) throw refuse('Missing JWT claim: body.alg');
    if (body.hash === undefined) throw refuse('Missing JWT claim: body.hash');
    const alg = String(body.alg).toLowerCase();
    if (!HASHES.has(alg))
      throw refuse(`Could not calculate hash, unsupported algorithm: ${String(body.alg)}`);
    const computed = createHash(alg).update(rawBody(request.raw)).digest('hex');
    if (String(body.hash).toLowerCase() !== computed) {
      throw refuse(`Computed hash does not match given hash: ${String(body.hash)} != ${computed}`);
    }
  }
  if (claims.key === undefined) throw refuse('Missing JWT claim: key');

  let secret: string;
  let systemId: string | null = null;
  if (claims.key === 'master') {
    if (!masterSecret) throw refuse('Invalid token signature');
    secret = masterSecret;
  } else {
    const consumer = await consumerSecret(deps, String(claims.key));
    if (!consumer) throw refuse('Could not find consumer for API key');
    const params = request.params as Record<string, string | undefined>;
    if (params.systemSlug !== consumer.systemSlug) throw refuse('Invalid token for system');
    secret = consumer.secret;
    systemId = String(consumer.systemId);
  }
  // Both sides of this comparison are the hub's own secrets (the cached one and the current one).
  if (known?.secret !== secret) {
    try {
      await compactVerify(token, new TextEncoder().encode(secret), { algorithms: ['HS256'] });
    } catch {
      throw refuse('Invalid token signature');
    }
    if (verified.size >= VERIFIED_MAX) verified.clear();
    verified.set(token, { claims, secret, at: nowMs });
  }
  return { kind: 'badgekit_consumer', systemId };
}
