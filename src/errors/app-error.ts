/**
 * Errors are values with stable codes. A use-case throws an AppError made by its module's factories;
 * the HTTP layer renders it (problem+json natively, each dialect in its own shape). Nothing matches on
 * message text: clients and code branch on `code`.
 */
import { type CodeWithStatus, catalogue, type ErrorCode } from './catalogue.ts';

export interface AppErrorOptions {
  /** Extra, safe-to-show members for the problem body (e.g. `errors` for field validation). */
  readonly details?: Record<string, unknown>;
  readonly headers?: Record<string, string>;
  readonly cause?: unknown;
  /**
   * Only for `request.client_error`: a 4xx that Fastify or a library raised with its own status (e.g. 406).
   * Every other code takes its status from the catalogue.
   */
  readonly status?: number;
}

export class AppError extends Error {
  readonly details: Record<string, unknown> | undefined;
  readonly headers: Record<string, string> | undefined;
  readonly status: number;

  constructor(
    readonly code: ErrorCode,
    message: string,
    options: AppErrorOptions = {},
  ) {
    super(message, { cause: options.cause });
    this.name = 'AppError';
    this.status = (code === 'request.client_error' ? options.status : undefined) ?? catalogue[code].status;
    this.details = options.details;
    this.headers = options.headers;
  }
}

export interface FieldProblem {
  readonly field: string;
  readonly message: string;
}

export const errors = {
  badRequest: (code: CodeWithStatus<400>, message: string, details?: Record<string, unknown>) =>
    new AppError(code, message, { details }),
  validation: (problems: readonly FieldProblem[]) =>
    new AppError(
      'request.invalid',
      problems.map((p) => (p.field ? `${p.field}: ${p.message}` : p.message)).join('; '),
      { details: { errors: problems } },
    ),
  unauthenticated: (message = 'Authentication is required.', challenge = 'Bearer') =>
    new AppError('auth.unauthenticated', message, { headers: { 'www-authenticate': challenge } }),
  forbidden: (code: CodeWithStatus<403>, message: string) => new AppError(code, message),
  notFound: (code: CodeWithStatus<404>, message: string) => new AppError(code, message),
  conflict: (code: CodeWithStatus<409>, message: string) => new AppError(code, message),
  tooLarge: (message: string) => new AppError('request.too_large', message),
  rateLimited: (retryAfterSeconds: number) =>
    new AppError('request.rate_limited', `Too many requests; retry in ${retryAfterSeconds} s.`, {
      headers: { 'retry-after': String(retryAfterSeconds) },
    }),
  internal: (cause: unknown) =>
    new AppError('internal', 'Something went wrong on our side. It has been logged.', { cause }),
  unavailable: (message: string) => new AppError('service.unavailable', message),
} as const;
