import { AppError, type ErrorCode, errors } from '../../errors/index.ts';

/** A problem with one form field; pages show `message` next to the field named `field`. */
function fieldError(code: ErrorCode, field: string, message: string): AppError {
  return new AppError(code, `${field}: ${message}`, { details: { errors: [{ field, message }] } });
}

export const identityErrors = {
  invalidUsername: (message: string) => fieldError('identity.invalid_username', 'username', message),
  invalidName: (message: string) => fieldError('identity.invalid_name', 'name', message),
  invalidEmail: (message = 'is not a valid email address') =>
    fieldError('identity.invalid_email', 'email', message),
  invalidPassword: (message: string, field = 'password') =>
    fieldError('identity.invalid_password', field, message),
  usernameTaken: () =>
    fieldError('identity.username_taken', 'username', 'is already taken; choose another one'),
  emailTaken: () =>
    fieldError(
      'identity.email_taken',
      'email',
      'already belongs to an account; sign in or reset the password',
    ),
  /** Several fields wrong at once: every message, each for its field (a form shows them all in one go). */
  invalidSignup: (fields: FieldErrors) =>
    new AppError(
      'identity.invalid_signup',
      Object.entries(fields)
        .map(([field, message]) => `${field}: ${message}`)
        .join('; '),
      { details: { errors: Object.entries(fields).map(([field, message]) => ({ field, message })) } },
    ),
  /** The same answer for an unknown email and a wrong password, so sign-in does not reveal who has an account. */
  badCredentials: () =>
    new AppError('identity.invalid_credentials', 'The email or password is not right.', {
      headers: { 'www-authenticate': 'Session' },
    }),
  wrongCurrentPassword: () =>
    fieldError('identity.wrong_password', 'current_password', 'is not your current password'),
  signInThrottled: (retryAfterSeconds: number) =>
    new AppError(
      'identity.sign_in_throttled',
      `Too many failed sign-ins. Try again in ${Math.ceil(retryAfterSeconds / 60)} minutes, or reset your password.`,
      { headers: { 'retry-after': String(retryAfterSeconds) } },
    ),
  invalidToken: () =>
    errors.badRequest(
      'identity.invalid_token',
      'This link is not valid: it may have expired or been used already. Ask for a new one.',
    ),
  userNotFound: (ref: string) => errors.notFound('identity.user_not_found', `No user "${ref}".`),
  notSignedIn: () => errors.unauthenticated('Sign in first.', 'Session'),
};

export interface FieldErrors {
  readonly [field: string]: string;
}

/** The field messages of an AppError raised by this module (for showing them inline on a page). */
export function fieldErrorsOf(error: AppError): FieldErrors {
  const list = error.details?.errors;
  const out: Record<string, string> = {};
  if (Array.isArray(list)) {
    for (const item of list) {
      if (typeof item === 'object' && item && 'field' in item && 'message' in item) {
        out[String(item.field)] = String(item.message);
      }
    }
  }
  return out;
}
