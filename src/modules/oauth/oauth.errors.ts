import { AppError, errors } from '../../errors/index.ts';

export const oauthErrors = {
  invalidField: (field: string, message: string) => errors.validation([{ field, message }]),
  appNotFound: () => errors.notFound('oauth.app_not_found', 'No such app.'),
  notAppOwner: () =>
    errors.forbidden('oauth.not_app_owner', 'Only the owner of this app or an administrator may do that.'),
  ownerNotFound: (ref: string) =>
    errors.badRequest('oauth.owner_not_found', `owner: no user "${ref}"`, {
      errors: [{ field: 'owner', message: 'no such user' }],
    }),
  invalidClient: () =>
    new AppError('oauth.invalid_client', 'The client_id or client_secret is wrong.', {
      headers: { 'www-authenticate': 'Basic realm="learnhub"' },
    }),
  invalidToken: () =>
    new AppError('oauth.invalid_token', 'The access token is invalid, expired or revoked.', {
      headers: { 'www-authenticate': 'Bearer error="invalid_token"' },
    }),
  tokenInactive: () =>
    new AppError(
      'oauth.token_inactive',
      'The token is not active, or was not issued to this user for your app.',
    ),
  connectionNotFound: () => errors.notFound('oauth.connection_not_found', 'You have not connected this app.'),
  interactionExpired: () =>
    errors.badRequest(
      'oauth.interaction_expired',
      'This sign-in request has expired. Start again from the app.',
    ),
  wrongAccount: () =>
    errors.forbidden(
      'oauth.wrong_account',
      'You are signed in as a different person than the one this request is for. Start again from the app.',
    ),
} as const;
