/**
 * The string formats of xAPI (1.0.3 Data part 4, and 2.0.0 where it differs). Each predicate is
 * pure and total: any string in, a boolean out, never a throw.
 */

// RFC 3987 absolute IRI, checked as xAPI needs it: a scheme (RFC 3986 3.1), a colon, then a
// non-empty remainder with no whitespace, no control characters, none of the characters RFC 3987
// excludes from IRIs (<>"{}|\^`), and every % starting a two-hex-digit escape.
const SCHEME = /^[A-Za-z][A-Za-z0-9+.-]*:/;
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it refuses
const IRI_FORBIDDEN = /[\s\u0000-\u001f\u007f-\u009f<>"{}|\\^`\ufffe\uffff]/u;
const BAD_ESCAPE = /%(?![0-9A-Fa-f]{2})/;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export function isIri(value: string): boolean {
  const scheme = SCHEME.exec(value);
  if (scheme === null) return false;
  const rest = value.slice(scheme[0].length);
  if (rest.length === 0) return false;
  if (IRI_FORBIDDEN.test(rest) || BAD_ESCAPE.test(rest)) return false;
  // Lone surrogates are not characters; an IRI is a sequence of characters.
  return !LONE_SURROGATE.test(value);
}

/** An IRL is an IRI that locates something; xAPI uses it for homePage, moreInfo and fileUrl. */
export function isIrl(value: string): boolean {
  return isIri(value);
}

/** A URI (openid): an IRI limited to ASCII. */
export function isUri(value: string): boolean {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: the ASCII range is the point
  return /^[\u0000-\u007f]*$/.test(value) && isIri(value);
}

// The mbox of an Agent is `mailto:` and one address (RFC 6068 with a single addr-spec).
const MAILTO = /^mailto:[^\s@<>()[\]\\,;:"]+@[^\s@<>()[\]\\,;:"/?#]+$/;

export function isMailtoIri(value: string): boolean {
  if (!MAILTO.test(value)) return false;
  const domain = value.slice(value.lastIndexOf('@') + 1);
  return !domain.startsWith('.') && !domain.endsWith('.') && !domain.includes('..') && isIri(value);
}

export function isSha1Hex(value: string): boolean {
  return /^[0-9a-fA-F]{40}$/.test(value);
}

/** SHA-2 in hex: SHA-224, SHA-256, SHA-384 or SHA-512. */
export function isSha2Hex(value: string): boolean {
  return /^(?:[0-9a-fA-F]{56}|[0-9a-fA-F]{64}|[0-9a-fA-F]{96}|[0-9a-fA-F]{128})$/.test(value);
}

/** RFC 4122 UUID in its standard string form: a known version (1-8) and the RFC 4122 variant. */
export function isUuid(value: string): boolean {
  return /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[1-8][0-9a-fA-F]{3}-[89abAB][0-9a-fA-F]{3}-[0-9a-fA-F]{12}$/.test(
    value,
  );
}

/** A statement's `version`: 1.0 or 1.0.x; xAPI 2.0 also accepts 2.0 and 2.0.x. */
export function isStatementVersion(value: string, allowTwo: boolean): boolean {
  if (/^1\.0(?:\.\d+)?$/.test(value)) return true;
  return allowTwo && /^2\.0(?:\.\d+)?$/.test(value);
}

// RFC 2045 media type: type "/" subtype, tokens, optional parameters.
const TOKEN = "[!#$%&'*+.^_`|~0-9A-Za-z-]+";
const MEDIA_TYPE = new RegExp(
  `^${TOKEN}/${TOKEN}(?:\\s*;\\s*${TOKEN}=(?:${TOKEN}|"(?:[^"\\\\\\r\\n]|\\\\.)*"))*$`,
);

export function isMediaType(value: string): boolean {
  return MEDIA_TYPE.test(value);
}

// RFC 5646 language tags, from the ABNF in section 2.1 (case-insensitive), plus the
// grandfathered tags it lists. Well-formedness is what the spec asks the LRS to check.
const ALNUM = '[a-z0-9]';
const LANGUAGE = '(?:[a-z]{2,3}(?:-[a-z]{3}){0,3}|[a-z]{4}|[a-z]{5,8})';
const SCRIPT = '(?:-[a-z]{4})?';
const REGION = '(?:-(?:[a-z]{2}|[0-9]{3}))?';
const VARIANT = `(?:-(?:${ALNUM}{5,8}|[0-9]${ALNUM}{3}))*`;
const EXTENSION = `(?:-[0-9a-wyz](?:-${ALNUM}{2,8})+)*`;
const PRIVATE = `(?:-x(?:-${ALNUM}{1,8})+)?`;
const LANGTAG = new RegExp(`^${LANGUAGE}${SCRIPT}${REGION}${VARIANT}${EXTENSION}${PRIVATE}$`, 'i');
const PRIVATE_ONLY = new RegExp(`^x(?:-${ALNUM}{1,8})+$`, 'i');
const GRANDFATHERED = new Set(
  [
    'en-GB-oed',
    'i-ami',
    'i-bnn',
    'i-default',
    'i-enochian',
    'i-hak',
    'i-klingon',
    'i-lux',
    'i-mingo',
    'i-navajo',
    'i-pwn',
    'i-tao',
    'i-tay',
    'i-tsu',
    'sgn-BE-FR',
    'sgn-BE-NL',
    'sgn-CH-DE',
    'art-lojban',
    'cel-gaulish',
    'no-bok',
    'no-nyn',
    'zh-guoyu',
    'zh-hakka',
    'zh-min',
    'zh-min-nan',
    'zh-xiang',
  ].map((tag) => tag.toLowerCase()),
);

export function isLanguageTag(value: string): boolean {
  if (GRANDFATHERED.has(value.toLowerCase())) return true;
  if (PRIVATE_ONLY.test(value)) return true;
  if (!LANGTAG.test(value)) return false;
  // RFC 5646 2.2.5/2.2.6: a variant or an extension singleton appears at most once.
  const subtags = value.toLowerCase().split('-');
  const privateAt = subtags.indexOf('x');
  const before = privateAt === -1 ? subtags : subtags.slice(0, privateAt);
  const singletons = before.filter((s) => s.length === 1);
  const variants = before.slice(1).filter((s) => s.length >= 5 || /^[0-9][a-z0-9]{3}$/.test(s));
  return new Set(singletons).size === singletons.length && new Set(variants).size === variants.length;
}

/**
 * ISO 8601:2004 4.4.3.2 durations (the format xAPI demands; the alternative 4.4.3.3 form
 * `P0003-06-04T12:30:05` is refused): `PnW`, or `PnYnMnDTnHnMnS` with at least one component,
 * `T` only before at least one time component, and a decimal fraction only on the last one.
 */
const NUM = '\\d+(?:[.,]\\d+)?';
const DURATION = new RegExp(
  `^P(?:(${NUM})W|(?:(${NUM})Y)?(?:(${NUM})M)?(?:(${NUM})D)?(?:T(?:(${NUM})H)?(?:(${NUM})M)?(?:(${NUM})S)?)?)$`,
);

export function isDuration(value: string): boolean {
  const match = DURATION.exec(value);
  if (match === null) return false;
  if (value.endsWith('T')) return false;
  const parts = match.slice(1).filter((part): part is string => part !== undefined);
  if (parts.length === 0) return false;
  // Only the lowest-order component present may carry a fraction.
  return parts.slice(0, -1).every((part) => !/[.,]/.test(part));
}

/**
 * ISO 8601 date-time with a UTC offset, extended (`2026-12-03T10:00:00.123+01:00`) or basic
 * (`20261203T100000.123Z`). The offset -00:00 (RFC 3339 "unknown local offset") is refused, as the
 * ADL suite demands. `requireZone`: xAPI 2.0 requires the offset; 1.0.3 only recommends it.
 */
const EXTENDED =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?(Z|[+-]\d{2}(?::?\d{2})?)?$/i;
const BASIC = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(?:(\d{2})(?:[.,](\d+))?)?(Z|[+-]\d{2}(?:\d{2})?)?$/i;

export function isTimestamp(value: string, requireZone: boolean): boolean {
  const match = EXTENDED.exec(value) ?? BASIC.exec(value);
  if (match === null) return false;
  const [, y, mo, d, h, mi, s, , zone] = match;
  if (zone === undefined) {
    if (requireZone) return false;
  } else if (zone.toUpperCase() !== 'Z') {
    const digits = zone.slice(1).replace(':', '');
    if (zone.startsWith('-') && /^0+$/.test(digits)) return false;
    const offsetHours = Number(digits.slice(0, 2));
    const offsetMinutes = digits.length > 2 ? Number(digits.slice(2)) : 0;
    if (offsetHours > 23 || offsetMinutes > 59) return false;
  }
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  if (month < 1 || month > 12 || day < 1) return false;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const daysInMonth = month === 2 ? (leap ? 29 : 28) : [4, 6, 9, 11].includes(month) ? 30 : 31;
  if (day > daysInMonth) return false;
  if (Number(h) > 23 || Number(mi) > 59) return false;
  return s === undefined || Number(s) <= 59;
}
