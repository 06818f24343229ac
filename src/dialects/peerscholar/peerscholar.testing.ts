import { createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SignJWT } from 'jose';

/** Helpers for the peerScholar tests (not a test file itself). */

export interface TestKey {
  readonly kid: string;
  readonly privateKey: KeyObject;
  readonly publicPem: string;
}

export function rsaKey(kid: string): TestKey {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { kid, privateKey, publicPem: publicKey.export({ type: 'spki', format: 'pem' }).toString() };
}

/** A platform's token as the seed shows it: typ jwt, RS256, iss/aud, iat/exp (UNIX seconds). */
export async function platformToken(
  key: TestKey,
  options: { now: Date; aud?: string; iss?: string; lifetime?: number; iat?: number; kid?: string | null },
): Promise<string> {
  const iat = options.iat ?? Math.floor(options.now.getTime() / 1000);
  const header: { alg: 'RS256'; typ: string; kid?: string } = { alg: 'RS256', typ: 'jwt' };
  if (options.kid !== null) header.kid = options.kid ?? key.kid;
  return new SignJWT({})
    .setProtectedHeader(header)
    .setIssuer(options.iss ?? 'http://hub.test/peerscholar')
    .setAudience(options.aud ?? 'http://hub.test/peerscholar')
    .setIssuedAt(iat)
    .setExpirationTime(iat + (options.lifetime ?? 300))
    .sign(key.privateKey);
}

/** A real HTTP server publishing a JWKS; `keys` can be swapped to simulate rotation. */
export async function jwksServer(
  initial: TestKey[],
): Promise<{ url: string; set(keys: TestKey[]): void; fetches(): number; close(): Promise<void> }> {
  let keys = initial;
  let fetches = 0;
  const server: Server = createServer((_req, res) => {
    fetches++;
    // Public parts only, as a platform publishes them.
    const jwks = {
      keys: keys.map((k) => ({
        ...createPublicKey(k.privateKey).export({ format: 'jwk' }),
        kid: k.kid,
        alg: 'RS256',
        use: 'sig',
      })),
    };
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify(jwks));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/jwks.json`,
    set: (k) => {
      keys = k;
    },
    fetches: () => fetches,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** Base64url of a JSON value, for hand-made (unsigned or wrongly signed) tokens. */
export const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
