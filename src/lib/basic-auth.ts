/**
 * `Authorization: Basic base64(user:password)` (RFC 7617). Undefined when the header is absent, not Basic, or
 * does not decode to `user:password`; the caller decides whether that is a 401 or someone else's credential.
 * Accepts both base64 alphabets, as some clients send base64url.
 */
export function parseBasicAuth(header: string | undefined): { user: string; password: string } | undefined {
  if (!header || header.length > 4096) return undefined;
  const match = /^Basic\s+([A-Za-z0-9+/=_-]+)\s*$/i.exec(header);
  if (!match?.[1]) return undefined;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  return { user: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}
