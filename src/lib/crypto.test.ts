import { describe, expect, it } from 'vitest';
import { decryptSecret, encryptSecret } from './crypto.ts';
import { safeEqual } from './secrets.ts';

const KEY = 'k'.repeat(40);

describe('secret sealing', () => {
  it('round-trips a secret and never returns the plaintext in the sealed form', () => {
    const sealed = encryptSecret(KEY, 'webhooks', 'whsec_abc');
    expect(sealed).not.toContain('whsec_abc');
    expect(decryptSecret(KEY, 'webhooks', sealed)).toBe('whsec_abc');
  });

  it('refuses a tampered ciphertext, another purpose, and another key', () => {
    const sealed = encryptSecret(KEY, 'webhooks', 'secret');
    const parts = sealed.split('.');
    const body = Buffer.from(parts[3] ?? '', 'base64url');
    body[0] = (body[0] ?? 0) ^ 1;
    const tampered = [...parts.slice(0, 3), body.toString('base64url')].join('.');
    expect(() => decryptSecret(KEY, 'webhooks', tampered)).toThrow();
    expect(() => decryptSecret(KEY, 'signing-keys', sealed)).toThrow();
    expect(() => decryptSecret('x'.repeat(40), 'webhooks', sealed)).toThrow();
  });

  it('compares secrets in constant time and exactly', () => {
    expect(safeEqual('abc', 'abc')).toBe(true);
    expect(safeEqual('abc', 'abd')).toBe(false);
    expect(safeEqual('abc', 'abcd')).toBe(false);
  });
});
