import { AppError, errors } from '../../errors/index.ts';

export const activityErrors = {
  invalidUrl: (field: string) =>
    new AppError(
      'activity.invalid_url',
      `${field}: must be an absolute http(s) URL of at most 2000 characters`,
      {
        details: { errors: [{ field, message: 'must be an absolute http(s) URL' }] },
      },
    ),
  invalidName: (field: string, message: string) =>
    new AppError('activity.invalid_name', `${field}: ${message}`, {
      details: { errors: [{ field, message }] },
    }),
  invalidPublished: (message: string) =>
    new AppError('activity.invalid_published', `published: ${message}`, {
      details: { errors: [{ field: 'published', message }] },
    }),
  invalidCursor: () =>
    errors.badRequest('request.invalid_cursor', 'cursor: is not a cursor this endpoint issued'),
  invalidNoun: () =>
    new AppError(
      'activity.invalid_noun',
      'noun: must be an absolute http(s) URL (a profile, course or object URL)',
      {
        details: { errors: [{ field: 'noun', message: 'must be an absolute http(s) URL' }] },
      },
    ),
  actorNotFound: () => errors.notFound('activity.actor_not_found', 'actor: no such user on this hub.'),
  notPermitted: (message: string) => errors.forbidden('activity.not_permitted', message),
  notFound: () => errors.notFound('activity.not_found', 'No such activity.'),
  deleted: () =>
    new AppError(
      'activity.deleted',
      'This activity was deleted by the person it is about; it cannot be published again.',
    ),
};
