import { AppError } from '../../errors/index.ts';

/** Refusals of the xAPI resources, with xAPI's statuses; each message names the property or header. */
export const xapiErrors = {
  invalid: (message: string) => new AppError('xapi.invalid', message),
  notFound: (message: string) => new AppError('xapi.not_found', message),
  conflict: (message: string) => new AppError('xapi.conflict', message),
  tooLarge: (message: string) => new AppError('xapi.too_large', message),
  forbidden: (message: string) => new AppError('xapi.forbidden', message),
  unauthenticated: (message: string) => new AppError('xapi.unauthenticated', message),
  version: (message: string) => new AppError('xapi.version', message),
};

/** Refusals of the xAPI document resources (State, Activity Profile, Agent Profile), with xAPI's statuses. */
export const xapiDocumentErrors = {
  invalid: (field: string, message: string) => new AppError('xapi.invalid', `${field}: ${message}`),
  notFound: (what: string) => new AppError('xapi.not_found', `${what}: no such document.`),
  tooLarge: (limit: number) =>
    new AppError('xapi.too_large', `content: a document holds at most ${limit} bytes.`),
  preconditionFailed: (header: string, message: string) =>
    new AppError('xapi.precondition_failed', `${header}: ${message}`),
  // xAPI 1.0.3 Communication 3.1: the message must tell the client to check the document and send If-Match.
  conflict: () =>
    new AppError(
      'xapi.document_conflict',
      'If-Match: the document exists already; GET it to check its current state, then PUT again with If-Match set to its ETag (or If-None-Match: * to create only).',
    ),
  forbidden: () =>
    new AppError('xapi.forbidden', 'Authorization: these credentials cannot hold xAPI documents.'),
};
