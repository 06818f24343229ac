import type { Ids } from '../../lib/runtime.ts';
import { webhookErrors } from './webhooks.errors.ts';

export const MAX_URL_LENGTH = 2000;
export const MAX_EVENT_TYPES = 50;
/** Bounds the fan-out's work per event and the page's length. */
export const MAX_ENDPOINTS_PER_APP = 20;
const EVENT_TYPE = /^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$/;

/**
 * Receivers are plain http(s) URLs. Credentials in the URL are refused: they would be stored and shown
 * in clear, and receivers should authenticate us by the signature instead.
 */
export function checkUrl(raw: string): string {
  if (raw.length > MAX_URL_LENGTH)
    throw webhookErrors.invalidUrl(`must be at most ${MAX_URL_LENGTH} characters`);
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw webhookErrors.invalidUrl('is not an absolute URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw webhookErrors.invalidUrl(`must use http or https, not ${url.protocol.replace(/:$/, '')}`);
  }
  if (url.username || url.password)
    throw webhookErrors.invalidUrl('must not contain a user name or password');
  if (!url.hostname) throw webhookErrors.invalidUrl('must name a host');
  if (url.hash) throw webhookErrors.invalidUrl('must not contain a fragment (#...)');
  return url.toString();
}

/** Event types like `user.created`, or `*` for every type; de-duplicated, order kept. */
export function checkEventTypes(types: readonly string[]): string[] {
  const unique = [...new Set(types)];
  for (const type of unique) {
    if (type !== '*' && !EVENT_TYPE.test(type)) throw webhookErrors.invalidEventType(type);
  }
  return unique;
}

/** A Standard Webhooks secret: `whsec_` and 24 random bytes in standard base64. */
export function newSigningSecret(ids: Ids): string {
  return `whsec_${Buffer.from(ids.token(24), 'base64url').toString('base64')}`;
}
