import { AppError, errors } from '../../errors/index.ts';

export const adminErrors = {
  invalidToken: () =>
    new AppError('admin.invalid_token', 'The API token is unknown, expired or revoked.', {
      headers: { 'www-authenticate': 'Bearer error="invalid_token"' },
    }),
  notAdmin: () => errors.forbidden('admin.not_admin', 'Only hub administrators may do this.'),
  badExpiry: (days: number) =>
    errors.badRequest('admin.invalid_expiry', `Expiry must be between 1 and 3650 days, got ${days}.`),
};
