import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isDuration, isIri, isLanguageTag, isMailtoIri, isTimestamp, isUuid } from './formats.ts';

const alpha = fc.constantFrom(...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ'.split(''));
const alnum = fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz0123456789'.split(''));
const word = (min: number, max: number) => fc.string({ unit: alnum, minLength: min, maxLength: max });
const letters = (min: number, max: number) => fc.string({ unit: alpha, minLength: min, maxLength: max });
const digits = (min: number, max: number) =>
  fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: min, maxLength: max });

describe('IRIs', () => {
  it('accepts every generated absolute URL and IRI with non-ASCII characters', () => {
    fc.assert(
      fc.property(fc.webUrl({ withQueryParameters: true, withFragments: true }), (url) => isIri(url)),
    );
    fc.assert(
      fc.property(
        letters(1, 8),
        fc.string({ unit: 'grapheme', minLength: 1, maxLength: 12 }),
        (scheme, rest) => {
          const clean = rest.replace(/[\s<>"{}|\\^`%\p{C}]/gu, '');
          fc.pre(clean.length > 0);
          return isIri(`${scheme}:${clean}`);
        },
      ),
    );
  });

  it('refuses anything with a space, a control character or a broken escape, and a relative reference', () => {
    fc.assert(
      fc.property(
        fc.webUrl(),
        fc.constantFrom(' ', '\t', '\n', '\u0000', '<', '"', '%g1', '%2'),
        (url, bad) => !isIri(`${url}${bad}x`),
      ),
    );
    for (const bad of [
      '',
      'not an IRI',
      '//example.com/a',
      '/relative',
      'ab=c://should.fail.com',
      '1http://x',
      'http:',
      'http://a b',
    ]) {
      expect(isIri(bad)).toBe(false);
    }
  });

  it('knows a mailto IRI from an address without its scheme', () => {
    // RFC 5322 allows ` ^ { } | % in a local part; an IRI must percent-encode them (RFC 6068 2).
    const asIri = (address: string) =>
      address.replace(/[`^{}|%]/g, (c) => `%${c.charCodeAt(0).toString(16)}`);
    fc.assert(
      fc.property(
        fc.emailAddress(),
        (address) => isMailtoIri(`mailto:${asIri(address)}`) && !isMailtoIri(address),
      ),
    );
    expect(isMailtoIri('mailto:a`b@example.com')).toBe(false);
    expect(isMailtoIri('mailto:')).toBe(false);
    expect(isMailtoIri('mailto:a@b@c')).toBe(false);
    expect(isMailtoIri('MAILTO:a@b.c')).toBe(false);
  });
});

describe('ISO 8601 durations', () => {
  const component = (letter: string) =>
    fc.option(
      fc.nat({ max: 9999 }).map((n) => `${n}${letter}`),
      { nil: '' },
    );

  it('accepts every combination of date and time components', () => {
    fc.assert(
      fc.property(
        component('Y'),
        component('M'),
        component('D'),
        component('H'),
        component('M'),
        component('S'),
        (y, mo, d, h, mi, s) => {
          const time = `${h}${mi}${s}`;
          const text = `P${y}${mo}${d}${time === '' ? '' : `T${time}`}`;
          return isDuration(text) === (text !== 'P');
        },
      ),
    );
  });

  it('allows a fraction only on the lowest-order component, and weeks only alone', () => {
    fc.assert(
      fc.property(
        fc.nat(),
        fc.nat(),
        (a, b) => isDuration(`PT${a}M${b}.25S`) && !isDuration(`PT${a}.5M${b}S`),
      ),
    );
    fc.assert(fc.property(fc.nat(), (w) => isDuration(`P${w}W`) && !isDuration(`P${w}W1D`)));
    for (const bad of [
      'P',
      'PT',
      'P1DT',
      'PT1D',
      'P1H',
      '1D',
      'P0003-06-04T12:30:05',
      'P-1D',
      'p1d',
      'P1.5Y2M',
    ]) {
      expect(isDuration(bad)).toBe(false);
    }
  });
});

describe('RFC 5646 language tags', () => {
  const language = fc.oneof(letters(2, 3), letters(5, 8));
  const script = fc.option(
    letters(4, 4).map((s) => `-${s}`),
    { nil: '' },
  );
  const region = fc.option(
    fc.oneof(letters(2, 2), digits(3, 3)).map((r) => `-${r}`),
    { nil: '' },
  );
  const privateUse = fc.option(
    word(1, 8).map((p) => `-x-${p}`),
    { nil: '' },
  );

  it('accepts every well-formed language-script-region-private tag', () => {
    fc.assert(
      fc.property(language, script, region, privateUse, (l, s, r, p) => isLanguageTag(`${l}${s}${r}${p}`)),
    );
  });

  it('accepts the registered forms and refuses malformed ones', () => {
    for (const good of [
      'en',
      'en-US',
      'zh-Hant-TW',
      'de-CH-1996',
      'sl-rozaj-biske',
      'en-a-bbb-x-ccc',
      'x-private',
      'i-klingon',
      'zh-min-nan',
    ]) {
      expect(isLanguageTag(good)).toBe(true);
    }
    for (const bad of [
      '',
      'e',
      'en_US',
      'en-',
      '-en',
      'abcdefghi',
      'en-US-',
      'en--US',
      'de-1996-1996',
      'en-a-bbb-a-ccc',
      'en US',
      '12',
    ]) {
      expect(isLanguageTag(bad)).toBe(false);
    }
  });

  it('refuses a tag with any character outside letters, digits and hyphens', () => {
    fc.assert(
      fc.property(
        language,
        fc.constantFrom(' ', '_', '.', '/', 'é', '\u0000'),
        (l, c) => !isLanguageTag(`${l}${c}us`),
      ),
    );
  });
});

describe('UUIDs and timestamps', () => {
  it('accepts every v4 UUID and refuses one with a digit too many or a non-hex letter', () => {
    fc.assert(
      fc.property(
        fc.uuid({ version: 4 }),
        (id) => isUuid(id) && isUuid(id.toUpperCase()) && !isUuid(`${id}8`),
      ),
    );
    expect(isUuid('MA97B177-9383-4934-8543-0F91A7A02836')).toBe(false);
    expect(isUuid('AA97B177-9383-4934-8543-0F91A7A028368')).toBe(false);
  });

  it('accepts every ISO string of a date and refuses the unknown offset -00:00', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('0001-01-01'), max: new Date('9999-12-31'), noInvalidDate: true }),
        (d) => isTimestamp(d.toISOString(), true),
      ),
    );
    for (const bad of [
      '2008-09-15T15:53:00.601-00',
      '2008-09-15T15:53:00.601-0000',
      '2008-09-15T15:53:00.601-00:00',
      '01/011/2015',
      'should fail',
      '2026-02-30T10:00:00Z',
      '2026-13-01T00:00:00Z',
    ]) {
      expect(isTimestamp(bad, false)).toBe(false);
    }
    expect(isTimestamp('2026-12-03T10:00:00.123456+01:00', true)).toBe(true);
    expect(isTimestamp('20261203T100000Z', true)).toBe(true);
    expect(isTimestamp('2026-12-03T10:00:00', false)).toBe(true);
    expect(isTimestamp('2026-12-03T10:00:00', true)).toBe(false);
  });
});
