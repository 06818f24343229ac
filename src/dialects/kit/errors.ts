import type { AppError, ErrorCode } from '../../errors/index.ts';
import type { WireError } from '../../http/wire.ts';

/**
 * A dialect's table from hub error codes to its seed's errors. Keyed by the catalogue's `ErrorCode`, so a
 * renamed or removed code is a compile error here; `CodeTable<CodesOf<'badges' | 'request'>>` makes the table
 * exhaustive over the domains the dialect surfaces (tsc lists every code it forgets). A `null` entry means
 * "the dialect's default rendering" — written out, so leaving a code to the default is a decision, not an
 * omission.
 */
export type CodeTable<Codes extends ErrorCode> = {
  readonly [K in Codes]: ((error: AppError) => WireError) | null;
};

/**
 * Looks the error's code up in the table; codes outside the table, and `null` entries, get `fallback`.
 */
export function renderWithTable<Codes extends ErrorCode>(
  table: CodeTable<Codes>,
  error: AppError,
  fallback: (error: AppError) => WireError,
): WireError {
  const entry = (table as Partial<Record<ErrorCode, ((e: AppError) => WireError) | null>>)[error.code];
  return entry ? entry(error) : fallback(error);
}

/** A 5xx never shows its cause: the message is replaced, the status kept. */
export function hideInternals(error: AppError, message = 'Internal error'): string {
  return error.status >= 500 ? message : error.message;
}
