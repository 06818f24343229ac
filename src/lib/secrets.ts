import { createHash, timingSafeEqual } from 'node:crypto';

/** SHA-256 hex of a high-entropy token; tokens are stored and looked up by this, never in clear. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** Constant-time string comparison (lengths are compared via fixed-size digests so they do not leak). */
export function safeEqual(a: string, b: string): boolean {
  const da = createHash('sha256').update(a, 'utf8').digest();
  const db = createHash('sha256').update(b, 'utf8').digest();
  return timingSafeEqual(da, db) && a.length === b.length;
}
