import { generateKeyPairSync, hkdfSync } from 'node:crypto';
import type { JWK } from 'oidc-provider';
import type { Deps } from '../../deps.ts';
import { decryptSecret, encryptSecret } from '../../lib/crypto.ts';
import { ensureSigningKeys } from './oauth.repository.ts';

const KEY_PURPOSE = 'oidc-keys';

/**
 * The provider's signing keys: generated once (RSA 2048, RS256) on first start, stored sealed with the
 * SECRET_KEY-derived key, and shared by every process. Rotation: insert a newer row; the newest signs.
 */
export async function loadSigningKeys(
  deps: Pick<Deps, 'db' | 'clock' | 'ids' | 'secretKey'>,
): Promise<JWK[]> {
  const rows = await ensureSigningKeys(deps.db, () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const kid = deps.ids.token(12);
    const jwk = { ...privateKey.export({ format: 'jwk' }), kid, alg: 'RS256', use: 'sig' };
    return {
      kid,
      sealedJwk: encryptSecret(deps.secretKey, KEY_PURPOSE, JSON.stringify(jwk)),
      createdAt: deps.clock.now(),
    };
  });
  return rows.map((row) => {
    try {
      return JSON.parse(decryptSecret(deps.secretKey, KEY_PURPOSE, row.sealedJwk)) as JWK;
    } catch (cause) {
      // Refuse to start rather than sign with a new key that every app would reject.
      throw new Error(
        `The OpenID signing key ${row.kid} cannot be decrypted: SECRET_KEY differs from the one it was sealed with.`,
        { cause },
      );
    }
  });
}

/** Keygrip keys for the provider's signed cookies, derived from SECRET_KEY so every process agrees. */
export function cookieKeys(secretKey: string): string[] {
  return [
    Buffer.from(hkdfSync('sha256', secretKey, 'learnhub', 'learnhub:oidc-cookies', 32)).toString('base64url'),
  ];
}
