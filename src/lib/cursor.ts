/**
 * Opaque cursors for keyset paging: the position is JSON, base64url-encoded so clients treat it as a token.
 * A cursor that does not decode, or whose parts are not what the list issued, is the caller's mistake (400),
 * never a 500: `decodeKeyset` checks every part's kind before anything reaches a query.
 */
export function encodeCursor(position: readonly (string | number)[]): string {
  return Buffer.from(JSON.stringify(position), 'utf8').toString('base64url');
}

/** The raw position; callers use `decodeKeyset`, which also checks each part. */
function decodeCursor(cursor: string): (string | number)[] | undefined {
  if (cursor.length > 1024) return undefined;
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(value) && value.every((v) => typeof v === 'string' || typeof v === 'number'))
      return value;
  } catch {
    // fall through
  }
  return undefined;
}

/**
 * What one part of a keyset position must be. `int`: a safe non-negative integer; `number`: any finite number; `digits`: a decimal string
 * of up to 20 digits (a bigint such as a transaction id); `uuid`: a UUID; `timestamp`: an RFC 3339 time;
 * `text`: a string of at most 200 characters without NUL.
 */
export type CursorPart = 'int' | 'number' | 'digits' | 'uuid' | 'timestamp' | 'text';
type PartValue<P extends CursorPart> = P extends 'int' | 'number'
  ? number
  : P extends 'timestamp'
    ? Date
    : string;
export type Keyset<T extends readonly CursorPart[]> = { -readonly [K in keyof T]: PartValue<T[K]> };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DIGITS = /^\d{1,20}$/;
// RFC 3339 as toISOString() writes it (and with an offset): anything looser is not a cursor we issued.
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?(?:Z|[+-]\d{2}:\d{2})$/;

function part(kind: CursorPart, value: string | number): number | string | Date | undefined {
  switch (kind) {
    case 'int':
      return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 ? value : undefined;
    case 'number':
      return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
    case 'digits':
      return typeof value === 'string' && DIGITS.test(value) ? value : undefined;
    case 'uuid':
      return typeof value === 'string' && UUID.test(value) ? value.toLowerCase() : undefined;
    case 'timestamp': {
      if (typeof value !== 'string' || !TIMESTAMP.test(value)) return undefined;
      const at = new Date(value);
      return Number.isNaN(at.getTime()) ? undefined : at;
    }
    case 'text':
      return typeof value === 'string' && value.length <= 200 && !value.includes('\u0000')
        ? value
        : undefined;
  }
}

/**
 * Decodes a cursor into a position of exactly the given shape, e.g. `decodeKeyset(c, ['timestamp', 'uuid'])`
 * → `[Date, string]`; undefined when the cursor is not one of that shape (the route answers 400).
 */
export function decodeKeyset<const T extends readonly CursorPart[]>(
  cursor: string,
  shape: T,
): Keyset<T> | undefined {
  const raw = decodeCursor(cursor);
  if (!raw || raw.length !== shape.length) return undefined;
  const out: (number | string | Date)[] = [];
  for (const [i, kind] of shape.entries()) {
    const value = raw[i];
    const parsed = value === undefined ? undefined : part(kind, value);
    if (parsed === undefined) return undefined;
    out.push(parsed);
  }
  return out as Keyset<T>;
}
