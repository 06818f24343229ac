import { AppError } from '../../errors/index.ts';

/**
 * The seed's value encodings: UNIX seconds, 1/0 booleans, page numbers as strings, and the error body
 * `{"error": "true", "message": ...}` (error is the STRING "true", as the seed writes it).
 */
export const unix = (d: Date | null): number | null => (d === null ? null : Math.floor(d.getTime() / 1000));
export const bit = (b: boolean): 0 | 1 => (b ? 1 : 0);
export const errorBody = (message: string) => ({ error: 'true' as const, message });

export const DEFAULT_PER_PAGE = 100;
export const MAX_PER_PAGE = 500;

export interface Page {
  readonly perPage: number;
  readonly page: number;
  readonly offset: number;
  readonly limit: number;
}

const badRequest = (message: string) => new AppError('request.invalid', message);

function positive(name: string, value: unknown): number | undefined {
  if (value === undefined) return undefined;
  const text = Array.isArray(value) ? value.at(-1) : value;
  if (typeof text !== 'string' || !/^[1-9]\d{0,8}$/.test(text))
    throw badRequest(`${name} must be a positive integer.`);
  return Number(text);
}

/** `pp` (items per page, at most MAX_PER_PAGE) and `cp` (page, from 1). */
export function parsePage(query: Record<string, unknown>): Page {
  const perPage = positive('pp', query.pp) ?? DEFAULT_PER_PAGE;
  if (perPage > MAX_PER_PAGE) throw badRequest(`pp may be at most ${MAX_PER_PAGE}.`);
  const page = positive('cp', query.cp) ?? 1;
  return { perPage, page, offset: (page - 1) * perPage, limit: perPage };
}

/** The `paging` object; a page past the last one is an error (an empty list has one, empty, page). */
export function paging(page: Page, total: number) {
  const totalPages = Math.max(1, Math.ceil(total / page.perPage));
  if (page.page > totalPages) throw badRequest(`cp ${page.page} is beyond the last page (${totalPages}).`);
  return { per_page: String(page.perPage), current_page: String(page.page), total_pages: String(totalPages) };
}

export const REPORT_FIELDS = [
  'grade_overall',
  'grade_instuctor',
  'grade_instructor',
  'grade_peer_mean',
  'grade_peer_median',
  'grade_peer_mode',
  'grade_self_create',
  'grade_self_reflect',
  'content_create',
  'content_revise',
] as const;
export type ReportField = (typeof REPORT_FIELDS)[number];

/**
 * The report's fields from `incl` or `type` (the seed uses both names): `[a,b]`, `a,b` or repeated
 * parameters. Unknown names are refused; none given means `grade_overall`.
 */
export function parseFields(query: Record<string, unknown>): ReportField[] {
  const raw = [query.incl, query.type].flatMap((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]));
  const names = raw
    .flatMap((v) => (typeof v === 'string' ? v.replace(/^\[|\]$/g, '').split(',') : []))
    .map((s) => s.trim().replace(/^["']|["']$/g, ''))
    .filter((s) => s.length > 0);
  if (raw.some((v) => typeof v !== 'string')) throw badRequest('incl must be a list of field names.');
  const unknown = names.filter((n) => !REPORT_FIELDS.includes(n as ReportField));
  if (unknown.length > 0)
    throw badRequest(`Unknown report field(s): ${unknown.join(', ')}. Known: ${REPORT_FIELDS.join(', ')}.`);
  const fields = [...new Set(names)] as ReportField[];
  return fields.length > 0 ? fields : ['grade_overall'];
}

/** An integer id from a path segment, or undefined (answered as not found). */
export function pathId(value: string): number | undefined {
  return /^[1-9]\d{0,9}$/.test(value) && Number(value) <= 2_147_483_647 ? Number(value) : undefined;
}

/** A UNIX timestamp given as a number or a numeric string. */
export function timestamp(name: string, value: unknown): Date {
  const n =
    typeof value === 'number'
      ? value
      : typeof value === 'string' && /^\d{1,12}$/.test(value)
        ? Number(value)
        : Number.NaN;
  if (!Number.isInteger(n) || n < 0 || n > 253_402_300_799)
    throw badRequest(`${name} must be a UNIX timestamp (seconds).`);
  return new Date(n * 1000);
}
