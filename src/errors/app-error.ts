/**
 * Errors are values with stable codes. A use-case throws an AppError made by its module's factories;
 * the HTTP layer renders it (problem+json natively, each dialect in its own shape). Nothing matches on
 * message text: clients and code branch on `code`.
 */
export interface AppErrorOptions {
  /** Extra, safe-to-show members for the problem body (e.g. `errors` for field validation). */
  readonly details?: Record<string, unknown>;
  readonly headers?: Record<string, string>;
  readonly cause?: unknown;
}

export class AppError extends Error {
  readonly details: Record<string, unknown> | undefined;
  readonly headers: Record<string, string> | undefined;

  constructor(
    readonly code: string,
    readonly status: number,
    message: string,
    options: AppErrorOptions = {},
  ) {
    super(message, { cause: options.cause });
    this.name = 'AppError';
    this.details = options.details;
    this.headers = options.headers;
  }
}

export interface FieldProblem {
  readonly field: string;
  readonly message: string;
}

export const errors = {
  badRequest: (code: string, message: string, details?: Record<string, unknown>) =>
    new AppError(code, 400, message, { details }),
  validation: (problems: readonly FieldProblem[]) =>
    new AppError(
      'request.invalid',
      400,
      problems.map((p) => (p.field ? `${p.field}: ${p.message}` : p.message)).join('; '),
      { details: { errors: problems } },
    ),
  unauthenticated: (message = 'Authentication is required.', challenge = 'Bearer') =>
    new AppError('auth.unauthenticated', 401, message, { headers: { 'www-authenticate': challenge } }),
  forbidden: (code: string, message: string) => new AppError(code, 403, message),
  notFound: (code: string, message: string) => new AppError(code, 404, message),
  conflict: (code: string, message: string) => new AppError(code, 409, message),
  tooLarge: (message: string) => new AppError('request.too_large', 413, message),
  rateLimited: (retryAfterSeconds: number) =>
    new AppError('request.rate_limited', 429, `Too many requests; retry in ${retryAfterSeconds} s.`, {
      headers: { 'retry-after': String(retryAfterSeconds) },
    }),
  internal: (cause: unknown) =>
    new AppError('internal', 500, 'Something went wrong on our side. It has been logged.', { cause }),
  unavailable: (message: string) => new AppError('service.unavailable', 503, message),
} as const;
