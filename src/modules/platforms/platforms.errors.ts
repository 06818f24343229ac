import { AppError, errors } from '../../errors/index.ts';

export const platformErrors = {
  invalid: (field: string, message: string) =>
    new AppError('platforms.invalid_input', `${field}: ${message}`, {
      details: { errors: [{ field, message }] },
    }),
  /** Every token failure: the message says what was wrong with the token, never which platforms exist. */
  invalidToken: (message: string) =>
    new AppError('platforms.invalid_token', message, { headers: { 'www-authenticate': 'Bearer' } }),
  notFound: () => errors.notFound('platforms.not_found', 'No such platform.'),
  notOperator: () => errors.forbidden('platforms.not_operator', 'Only hub operators manage platforms.'),
  keyTaken: (kid: string) =>
    errors.conflict('platforms.key_taken', `Another platform already has a key with kid "${kid}".`),
} as const;
