import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseBasicAuth } from './basic-auth.ts';
import { decodeKeyset, encodeCursor } from './cursor.ts';
import { isEmailAddress } from './email.ts';

const UUID = '0b7e5c2a-3f1d-4c8e-9a6b-2d4f6e8a0c1e';

describe('decodeKeyset', () => {
  it('gives back the position a list issued, each part of its kind', () => {
    const at = new Date('2026-12-03T10:00:00.123Z');
    const position = decodeKeyset(encodeCursor([at.toISOString(), UUID]), ['timestamp', 'uuid']);
    expect(position).toEqual([at, UUID]);
    expect(decodeKeyset(encodeCursor(['12345678901234567890', 7]), ['digits', 'int'])).toEqual([
      '12345678901234567890',
      7,
    ]);
  });

  it('refuses a forged id, a loose date, a wrong length and a negative or fractional integer', () => {
    const at = '2026-12-03T10:00:00.000Z';
    expect(decodeKeyset(encodeCursor([at, "x' or 1=1 --"]), ['timestamp', 'uuid'])).toBeUndefined();
    expect(decodeKeyset(encodeCursor(['3 December 2026', UUID]), ['timestamp', 'uuid'])).toBeUndefined();
    expect(decodeKeyset(encodeCursor([at]), ['timestamp', 'uuid'])).toBeUndefined();
    expect(decodeKeyset(encodeCursor([at, UUID, 1]), ['timestamp', 'uuid'])).toBeUndefined();
    expect(decodeKeyset(encodeCursor([-1]), ['int'])).toBeUndefined();
    expect(decodeKeyset(encodeCursor([1.5]), ['int'])).toBeUndefined();
    expect(decodeKeyset(encodeCursor(['a\u0000b']), ['text'])).toBeUndefined();
    expect(decodeKeyset('%%%not-base64', ['int'])).toBeUndefined();
  });

  it('never throws, whatever the cursor (seeded)', () => {
    const shapes = [['timestamp', 'uuid'], ['digits', 'int'], ['text', 'number', 'uuid'], ['int']] as const;
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.json().map((j) => Buffer.from(j).toString('base64url')),
          fc.array(fc.oneof(fc.string(), fc.double(), fc.integer())).map((a) => encodeCursor(a)),
        ),
        fc.constantFrom(...shapes),
        (cursor, shape) => {
          const out = decodeKeyset(cursor, shape);
          expect(out === undefined || out.length === shape.length).toBe(true);
        },
      ),
      { seed: 20261203, numRuns: 2000 },
    );
  });
});

describe('parseBasicAuth', () => {
  it('reads user and password, with a colon allowed in the password', () => {
    const header = `Basic ${Buffer.from('ek_abc:se:cret').toString('base64')}`;
    expect(parseBasicAuth(header)).toEqual({ user: 'ek_abc', password: 'se:cret' });
  });

  it('is undefined for other schemes, no colon, or garbage', () => {
    expect(parseBasicAuth(undefined)).toBeUndefined();
    expect(parseBasicAuth('Bearer abc')).toBeUndefined();
    expect(parseBasicAuth(`Basic ${Buffer.from('nocolon').toString('base64')}`)).toBeUndefined();
    expect(parseBasicAuth('Basic ***')).toBeUndefined();
  });
});

describe('isEmailAddress', () => {
  it('takes ordinary addresses and refuses ones that could break a mail header', () => {
    expect(isEmailAddress('ada@example.org')).toBe(true);
    expect(isEmailAddress('ada.l+hub@mail.example.co.uk')).toBe(true);
    for (const bad of [
      'ada',
      'ada@localhost',
      'a b@example.org',
      '<ada@example.org>',
      'ada@example.org\r\nBcc: x',
    ])
      expect(isEmailAddress(bad)).toBe(false);
    expect(isEmailAddress(`${'a'.repeat(250)}@example.org`)).toBe(false);
  });
});
