import { AppError } from '../../errors/index.ts';
import { type PageNumberConvention, readPageWindow, totalPages } from '../kit/index.ts';

/**
 * The seed's value encodings: UNIX seconds, 1/0 booleans, page numbers as strings, and the error body
 * `{"error": "true", "message": ...}` (error is the STRING "true", as the seed writes it).
 */
export const unix = (d: Date | null): number | null => (d === null ? null : Math.floor(d.getTime() / 1000));
export const bit = (b: boolean): 0 | 1 => (b ? 1 : 0);
export const errorBody = (message: string) => ({ error: 'true' as const, message });

export const DEFAULT_PER_PAGE = 100;
export const MAX_PER_PAGE = 500;

/** `pp` (items per page, capped at MAX_PER_PAGE) and `cp` (page from 1): strict, so junk is a 400. */
const CONVENTION: PageNumberConvention = {
  pageParam: 'cp',
  sizeParam: 'pp',
  defaultSize: DEFAULT_PER_PAGE,
  maxSize: MAX_PER_PAGE,
  mode: 'strict',
};

export interface Page {
  readonly perPage: number;
  readonly page: number;
  readonly offset: number;
  readonly limit: number;
}

const badRequest = (message: string) => new AppError('request.invalid', message);

export function parsePage(query: Record<string, unknown>): Page {
  const window = readPageWindow(query, CONVENTION);
  if (!window) throw badRequest('cp and pp must be positive integers.');
  return { perPage: window.size, page: window.page, offset: window.offset, limit: window.size };
}

/** The `paging` object; a page past the last one is an error (an empty list has one, empty, page). */
export function paging(page: Page, total: number) {
  const pages = totalPages(total, page.perPage);
  if (page.page > pages) throw badRequest(`cp ${page.page} is beyond the last page (${pages}).`);
  return { per_page: String(page.perPage), current_page: String(page.page), total_pages: String(pages) };
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
