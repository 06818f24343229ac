import { errors } from '../../errors/index.ts';

/** One page of a page-numbered list (BadgeKit's page/count, peerScholar's cp/pp). */
export interface PageWindow {
  /** 1-based page number. */
  readonly page: number;
  readonly size: number;
  readonly offset: number;
}

export interface PageNumberConvention {
  /** Query parameter of the page number (e.g. 'page', 'cp'). */
  readonly pageParam: string;
  /** Query parameter of the page size (e.g. 'count', 'pp'). */
  readonly sizeParam: string;
  readonly defaultSize: number;
  readonly maxSize: number;
  /**
   * 'strict': a value that is not a positive integer is a 400 naming the parameter (peerScholar).
   * 'lenient': such values mean "no paging" and the caller gets undefined (BadgeKit: the whole list).
   */
  readonly mode: 'strict' | 'lenient';
}

const POSITIVE_INT = /^[1-9]\d{0,8}$/;

function readInt(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isSafeInteger(value) && value > 0) return value;
  if (typeof value === 'string' && POSITIVE_INT.test(value)) return Number(value);
  return undefined;
}

/**
 * Reads a page window from query parameters. Sizes above `maxSize` are capped (every list is bounded).
 * Lenient conventions need both parameters to page; strict ones default what is absent.
 */
export function readPageWindow(
  query: Readonly<Record<string, unknown>>,
  convention: PageNumberConvention,
): PageWindow | undefined {
  const rawPage = query[convention.pageParam];
  const rawSize = query[convention.sizeParam];
  const page = rawPage === undefined && convention.mode === 'strict' ? 1 : readInt(rawPage);
  const size =
    rawSize === undefined && convention.mode === 'strict' ? convention.defaultSize : readInt(rawSize);
  if (page === undefined || size === undefined) {
    if (convention.mode === 'lenient') return undefined;
    const name = page === undefined ? convention.pageParam : convention.sizeParam;
    throw errors.validation([{ field: name, message: 'must be a positive integer' }]);
  }
  const capped = Math.min(size, convention.maxSize);
  return { page, size: capped, offset: (page - 1) * capped };
}

/** How many pages `total` items make (at least 1, so an empty list is "page 1 of 1"). */
export function totalPages(total: number, size: number): number {
  return Math.max(1, Math.ceil(total / size));
}
