import { createHash } from 'node:crypto';

/** Longest URL accepted anywhere in an activity. */
export const MAX_URL_LENGTH = 2000;

/** An absolute http(s) URL in its normalised form (WHATWG URL serialisation), or undefined. */
export function normaliseUrl(raw: string): string | undefined {
  const value = raw.trim();
  if (value.length === 0 || value.length > MAX_URL_LENGTH) return undefined;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
  if (url.username || url.password) return undefined;
  return url.href;
}

/**
 * The key a noun is indexed under. Profile URLs name a person whatever the case of the username (`/u/Ada`
 * and `/u/ada/` are the same person), so their key is lower-cased and has no trailing slash; any other URL
 * is its normalised form. Computed without touching the database, so a feed read is one query.
 */
export function nounKey(publicUrl: string, url: string): string {
  const prefix = `${publicUrl}/u/`;
  if (url.startsWith(prefix)) {
    const rest = url.slice(prefix.length).replace(/\/$/, '');
    if (!/[/?#]/.test(rest)) {
      try {
        return `${prefix}${decodeURIComponent(rest).toLowerCase()}`;
      } catch {
        return url;
      }
    }
  }
  return url;
}

/**
 * The first 64 bits of SHA-256(key) as a signed bigint. The same value in SQL (for seeding) is
 * `('x' || left(encode(sha256(convert_to(key, 'UTF8')), 'hex'), 16))::bit(64)::bigint`. Feed reads do not
 * re-check the noun text: at 2^64 values, a collision among even billions of nouns is vanishingly unlikely.
 */
export function nounHash(key: string): bigint {
  return createHash('sha256').update(key, 'utf8').digest().readBigInt64BE(0);
}

/** The distinct noun hashes of an activity's actor, object, target and course. */
export function activityNounHashes(
  publicUrl: string,
  nouns: readonly (string | null | undefined)[],
): bigint[] {
  const keys = new Set<string>();
  for (const noun of nouns) if (noun) keys.add(nounKey(publicUrl, noun));
  return [...keys].map(nounHash);
}
