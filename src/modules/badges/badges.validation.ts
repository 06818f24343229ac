import { isEmailAddress } from '../../lib/email.ts';
import { badgeErrors, type InvalidField } from './badges.errors.ts';
import type { BadgeChildren } from './badges.repository.ts';

/** Input as BadgeKit clients send it: JSON, urlencoded or multipart fields (strings), files for `image`. */
export type Input = Readonly<Record<string, unknown>>;

export interface UploadedFile {
  readonly data: Buffer;
  readonly mimetype: string;
}

export function isUploadedFile(value: unknown): value is UploadedFile {
  return typeof value === 'object' && value !== null && Buffer.isBuffer((value as { data?: unknown }).data);
}

export const MAX_IMAGE_BYTES = 512 * 1024;

export function isEmail(value: unknown): value is string {
  return isEmailAddress(value);
}

export function isUrl(value: unknown): value is string {
  if (typeof value !== 'string' || value.length > 255) return false;
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

const present = (v: unknown) => v !== undefined && v !== null && v !== '';
const text = (v: unknown): string | undefined =>
  typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : undefined;

/**
 * Collects every field problem (BadgeKit reports them all at once as `details[]` with the offending value)
 * and throws one validation error at the end.
 */
export class Checker {
  readonly problems: InvalidField[] = [];
  constructor(
    readonly input: Input,
    /** PUT: only the fields that are present are checked. */
    readonly partial = false,
  ) {}

  private skip(name: string, required: boolean): boolean {
    const v = this.input[name];
    if (present(v)) return false;
    if (required && !this.partial) this.fail(name, v, 'is required');
    else if (required && this.partial && name in this.input) this.fail(name, v, 'is required');
    return true;
  }

  fail(field: string, value: unknown, message: string): void {
    this.problems.push({ field, value: value === undefined || value === null ? '' : value, message });
  }

  string(name: string, opts: { required?: boolean; min?: number; max?: number } = {}): string | undefined {
    if (this.skip(name, opts.required ?? false)) return undefined;
    const v = text(this.input[name]);
    if (v === undefined) return void this.fail(name, this.input[name], 'must be a string');
    if (v.length < (opts.min ?? 0) || v.length > (opts.max ?? 65535)) {
      return void this.fail(name, v, `must be ${opts.min ?? 0} to ${opts.max ?? 65535} characters`);
    }
    return v;
  }

  url(name: string, required = false): string | undefined {
    if (this.skip(name, required)) return undefined;
    const v = this.input[name];
    if (!isUrl(v)) return void this.fail(name, v, 'must be a URL');
    return v;
  }

  email(name: string, required = false): string | undefined {
    if (this.skip(name, required)) return undefined;
    const v = this.input[name];
    if (!isEmail(v)) return void this.fail(name, v, 'must be an email address');
    return v.trim();
  }

  int(name: string, required = false): number | undefined {
    if (this.skip(name, required)) return undefined;
    const v = this.input[name];
    const n =
      typeof v === 'number' ? v : typeof v === 'string' && /^-?\d{1,10}$/.test(v) ? Number(v) : Number.NaN;
    if (!Number.isSafeInteger(n) || Math.abs(n) > 2 ** 31 - 1)
      return void this.fail(name, v, 'must be an integer');
    return n;
  }

  oneOf<T extends string>(name: string, values: readonly T[], required = false): T | undefined {
    if (this.skip(name, required)) return undefined;
    const v = this.input[name];
    if (typeof v !== 'string' || !values.includes(v as T)) {
      return void this.fail(name, v, `must be one of ${values.join(', ')}`);
    }
    return v as T;
  }

  /** BadgeKit booleans: `0,1,true,false` as numbers, booleans or strings. */
  bool(name: string, required = false): boolean | undefined {
    if (this.skip(name, required)) return undefined;
    const v = this.input[name];
    const s = String(v).toLowerCase();
    if (s === '1' || s === 'true') return true;
    if (s === '0' || s === 'false') return false;
    return void this.fail(name, v, 'must be one of 0, 1, true, false');
  }

  /** A date as ISO-8601, Unix seconds or milliseconds (numbers above 1e11 are taken as ms). */
  date(name: string, required = false): Date | null | undefined {
    const v = this.input[name];
    if (v === null && this.partial) return null;
    if (this.skip(name, required)) return undefined;
    const d = parseDate(v);
    if (!d) return void this.fail(name, v, 'must be a date');
    return d;
  }

  done(): void {
    if (this.problems.length > 0) throw badgeErrors.invalid(this.problems);
  }
}

export function parseDate(v: unknown): Date | undefined {
  if (typeof v === 'number' || (typeof v === 'string' && /^\d{1,14}$/.test(v))) {
    const n = Number(v);
    const d = new Date(n > 1e11 ? n : n * 1000);
    return Number.isNaN(d.getTime()) ? undefined : d;
  }
  if (typeof v !== 'string' || v.length > 64) return undefined;
  const d = new Date(v.includes('T') || v.includes('Z') ? v : `${v.replace(' ', 'T')}Z`);
  return Number.isNaN(d.getTime()) ? undefined : d;
}

const SIGNATURES: ReadonlyArray<[string, (b: Buffer) => boolean]> = [
  [
    'image/png',
    (b) => b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])),
  ],
  ['image/jpeg', (b) => b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff],
  ['image/gif', (b) => b.subarray(0, 6).toString('latin1').startsWith('GIF8')],
  [
    'image/svg+xml',
    (b) => /^\s*(<\?xml[^>]*>\s*)?(<!--[\s\S]*?-->\s*)*<svg[\s>]/i.test(b.subarray(0, 2048).toString('utf8')),
  ],
];

/** The image's real type from its bytes; a file that is not a PNG, JPEG, GIF or SVG is refused. */
export function sniffImage(data: Buffer): string | undefined {
  return SIGNATURES.find(([, test]) => test(data))?.[0];
}

export type ImageInput = { readonly url: string } | { readonly data: Buffer; readonly mimetype: string };

function decodeUriOrUndefined(text: string): string | undefined {
  try {
    return decodeURIComponent(text);
  } catch {
    return undefined;
  }
}

/**
 * `image` (a multipart file, a URL, or a `data:` URI as the official client sends) or `imageUrl`. Uploaded
 * bytes must be a real image no larger than MAX_IMAGE_BYTES.
 */
export function checkImage(c: Checker, required: boolean): ImageInput | undefined {
  const raw = c.input.image ?? c.input.imageUrl;
  if (!present(raw)) {
    if (required) c.problems.push({ field: 'image', value: '', message: 'Missing value' });
    return undefined;
  }
  let data: Buffer | undefined;
  if (isUploadedFile(raw)) data = raw.data;
  else if (typeof raw === 'string' && raw.startsWith('data:')) {
    const m = /^data:([\w.+/-]+)?(;base64)?,(.*)$/s.exec(raw);
    if (!m) return void c.fail('image', '', 'is not a valid data URI');
    if (m[2]) data = Buffer.from(m[3] ?? '', 'base64');
    else {
      // A percent-encoded payload with a stray `%` is the client's mistake, not a URIError 500.
      const text = decodeUriOrUndefined(m[3] ?? '');
      if (text === undefined) return void c.fail('image', '', 'is not a valid data URI');
      data = Buffer.from(text, 'utf8');
    }
  } else if (isUrl(raw)) return { url: raw };
  else
    return void c.fail('image', typeof raw === 'string' ? raw : '', 'must be an image file, data URI or URL');
  if (data.length > MAX_IMAGE_BYTES)
    return void c.fail('image', '', `must be at most ${MAX_IMAGE_BYTES} bytes`);
  const mimetype = sniffImage(data);
  if (!mimetype) return void c.fail('image', '', 'is not a PNG, JPEG, GIF or SVG image');
  return { data, mimetype };
}

const TIME_UNITS = ['minutes', 'hours', 'days', 'weeks'] as const;
const EVIDENCE_TYPES = ['URL', 'Text', 'Photo', 'Video', 'Sound'] as const;

function checkList(c: Checker, name: string): unknown[] | undefined {
  const v = c.input[name];
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v) || v.length > 100) return void c.fail(name, v, 'must be a list of at most 100 items');
  return v;
}

function checkChildren(c: Checker): BadgeChildren {
  const out: BadgeChildren = {};
  const criteria = checkList(c, 'criteria');
  if (criteria) {
    out.criteria = criteria.flatMap((item, n) => {
      const sub = new Checker(typeof item === 'object' && item !== null ? (item as Input) : {});
      const description = sub.string('description', { required: true, min: 1 });
      const r = sub.input.required;
      const required =
        r === 1 || r === '1' || r === true ? true : r === 0 || r === '0' || r === false ? false : undefined;
      if (required === undefined) sub.fail('required', r, 'must be 0 or 1');
      const note = sub.string('note') ?? '';
      for (const p of sub.problems) c.fail(`criteria.${n}.${p.field}`, p.value, p.message);
      return description !== undefined && required !== undefined ? [{ description, required, note }] : [];
    });
  }
  const alignments = checkList(c, 'alignments');
  if (alignments) {
    out.alignments = alignments.flatMap((item, n) => {
      const sub = new Checker(typeof item === 'object' && item !== null ? (item as Input) : {});
      const name = sub.string('name', { required: true, min: 1, max: 255 });
      const url = sub.url('url', true);
      const description = sub.string('description', { required: true });
      for (const p of sub.problems) c.fail(`alignments.${n}.${p.field}`, p.value, p.message);
      return name && url && description !== undefined ? [{ name, url, description }] : [];
    });
  }
  const categories = checkList(c, 'categories');
  if (categories)
    out.categories = categories
      .filter((x): x is string => typeof x === 'string' && x !== '')
      .map((x) => x.slice(0, 255));
  const tags = checkList(c, 'tags');
  if (tags) {
    const values = tags.map((t) =>
      typeof t === 'string' ? t : typeof t === 'object' && t !== null ? (t as Input).value : '',
    );
    out.tags = [
      ...new Set(
        values
          .filter((x): x is string => typeof x === 'string' && x.trim() !== '')
          .map((x) => x.slice(0, 255)),
      ),
    ];
  }
  return out;
}

/** A badge's fields as BadgeKit sends them (PUT: `partial`), with its criteria, alignments, categories, tags. */
export function checkBadge(input: Input, partial: boolean) {
  const c = new Checker(input, partial);
  const fields = {
    name: c.string('name', { required: true, min: 1, max: 255 }),
    slug: c.string('slug', { min: 1, max: 255 }),
    strapline: c.string('strapline', { max: 140 }),
    earnerDescription: c.string('earnerDescription', { required: true, max: 65535 }),
    consumerDescription: c.string('consumerDescription', { required: true, max: 65535 }),
    issuerUrl: c.url('issuerUrl'),
    rubricUrl: c.url('rubricUrl'),
    criteriaUrl: c.url('criteriaUrl', true),
    timeValue: c.int('timeValue'),
    timeUnits: c.oneOf('timeUnits', TIME_UNITS),
    limit: c.int('limit'),
    unique: c.bool('unique', true),
    type: c.string('type', { required: true, min: 1, max: 255 }),
    evidenceType: c.oneOf('evidenceType', EVIDENCE_TYPES),
    archived: partial ? c.bool('archived') : undefined,
  };
  const image = checkImage(c, !partial);
  const children = checkChildren(c);
  c.done();
  const set = Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined));
  return { set, image, children };
}
