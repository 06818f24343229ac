import { isDatabaseUnavailable } from '../lib/unavailable.ts';
import { AppError, errors, type FieldProblem } from './app-error.ts';
import { catalogue } from './catalogue.ts';

/** RFC 9457 problem details, with Learnhub's stable `code`. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  instance?: string;
  [extension: string]: unknown;
}

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  406: 'Not Acceptable',
  409: 'Conflict',
  410: 'Gone',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

interface FastifyLikeError {
  code?: string;
  statusCode?: number;
  message: string;
  validation?: ReadonlyArray<{ instancePath?: string; message?: string; params?: Record<string, unknown> }>;
  validationContext?: string;
}

function isFastifyLike(error: unknown): error is FastifyLikeError {
  return typeof error === 'object' && error !== null && 'message' in error;
}

function fieldOf(context: string | undefined, item: NonNullable<FastifyLikeError['validation']>[number]) {
  const missing = item.params?.missingProperty;
  const extra = item.params?.additionalProperty;
  const pointer = (item.instancePath ?? '').replace(/^\//, '').replaceAll('/', '.');
  const leaf = typeof missing === 'string' ? missing : typeof extra === 'string' ? extra : '';
  const name = [pointer, leaf].filter(Boolean).join('.');
  return name || (context ?? '');
}

/**
 * Turns anything thrown into an AppError. Fastify's own errors (validation, body too large, bad JSON,
 * unsupported media type) keep their 4xx status with a stable code; anything unknown becomes a 500 whose
 * body hides the cause.
 */
export function toAppError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  // The database is down or restarting: 503 with Retry-After (docs/operations.md), not a 500 storm.
  if (isDatabaseUnavailable(error)) return databaseUnavailable(error);
  if (!isFastifyLike(error)) return errors.internal(error);
  if (error.validation) {
    const problems: FieldProblem[] = error.validation.map((item) => {
      const field = fieldOf(error.validationContext, item);
      const extra = item.params?.additionalProperty;
      const message =
        typeof extra === 'string' ? 'is not an allowed property' : (item.message ?? 'is invalid');
      return { field, message };
    });
    return errors.validation(problems);
  }
  const status = error.statusCode ?? 500;
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return errors.tooLarge('The request body is larger than this endpoint accepts.');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new AppError('request.unsupported_media_type', error.message);
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return errors.badRequest('request.malformed_json', 'The request body is not valid JSON.');
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return errors.badRequest('request.invalid_content_length', error.message);
  }
  if (status === 429) return new AppError('request.rate_limited', error.message);
  if (status >= 400 && status < 500) {
    // A 4xx raised by Fastify or a plugin with a status of its own (e.g. 406): keep its status.
    return status === 400
      ? new AppError('request.invalid', error.message)
      : new AppError('request.client_error', error.message, { status });
  }
  return errors.internal(error);
}

const RETRY_AFTER_SECONDS = 5;

function databaseUnavailable(cause: unknown): AppError {
  return new AppError('service.unavailable', 'The service is briefly unavailable; retry shortly.', {
    cause,
    headers: { 'retry-after': String(RETRY_AFTER_SECONDS) },
  });
}

export function toProblem(error: AppError, instance?: string): Problem {
  const problem: Problem = {
    type: `urn:learnhub:problem:${error.code}`,
    title:
      error.code === 'request.client_error' ? (TITLES[error.status] ?? 'Error') : catalogue[error.code].title,
    status: error.status,
    detail: error.message,
    code: error.code,
    ...(error.details ?? {}),
  };
  if (instance) problem.instance = instance;
  return problem;
}
