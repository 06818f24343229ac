import { uniqueViolation } from '../../db/errors.ts';
import { AppError } from '../../errors/index.ts';

/**
 * Badge errors. Messages follow BadgeKit's wording so the BadgeKit dialect can pass them through unchanged;
 * `details` carries what the dialect needs to rebuild BadgeKit's bodies (and shows as problem+json members).
 */
export interface InvalidField {
  readonly field: string;
  readonly value: unknown;
  readonly message: string;
}

export const badgeErrors = {
  notFound: (model: string, field: string, value: unknown) =>
    new AppError(
      'badges.not_found',
      `Could not find ${model} field: \`${field}\`, value: \`${String(value)}\``,
      { details: { model, field } },
    ),
  notFoundMessage: (message: string) => new AppError('badges.not_found', message),
  invalid: (fields: readonly InvalidField[]) =>
    new AppError(
      'badges.invalid',
      `Could not validate required fields: ${fields.map((f) => `${f.field} (${f.message})`).join(', ')}`,
      { details: { errors: fields.map((f) => ({ field: f.field, value: f.value, message: f.message })) } },
    ),
  invalidParameter: (parameter: string, message: string) =>
    new AppError('badges.invalid_parameter', message, { details: { parameter } }),
  duplicate: (model: string, submitted: Record<string, unknown>) =>
    new AppError('badges.duplicate', `${model} with that \`slug\` already exists`, {
      details: { submitted },
    }),
  alreadyAwarded: (email: string, badgeSlug: string, assertionUrl: string) =>
    new AppError('badges.already_awarded', `User ${email} has already been awarded badge ${badgeSlug}`, {
      details: { assertionUrl },
    }),
  codeAlreadyUsed: (code: string) =>
    new AppError('badges.code_already_used', `Claim code \`${code}\` has already been claimed`),
  forbidden: (message: string) => new AppError('badges.forbidden', message),
  /** Another system than the credential's own (BadgeKit's wording; the same whether the system exists). */
  otherSystem: () => new AppError('badges.forbidden', 'Invalid token for system'),
  scopeRequired: (scope: string) =>
    new AppError(
      'badges.scope_required',
      `The access token does not carry the "${scope}" scope; ask for it when getting the token.`,
      { details: { scope } },
    ),
  imageTooLarge: (max: number) =>
    new AppError('badges.invalid', `Could not validate required fields: image (larger than ${max} bytes)`, {
      details: { errors: [{ field: 'image', value: '', message: `larger than ${max} bytes` }] },
    }),
};

/** Postgres unique violation (23505), looked for through the error's causes. */
export function isUniqueViolation(error: unknown): boolean {
  return uniqueViolation(error) !== undefined;
}
