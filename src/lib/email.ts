/**
 * One check of an email address for the whole hub: a local part without spaces, angle brackets, quotes or
 * separators, and a domain of letter/digit labels with at least one dot. Deliberately stricter than RFC 5321
 * (no quoted local parts, no IP literals): these addresses end up in mail headers and display names.
 */
const EMAIL =
  /^[^\s@<>()[\]\\,;:"]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$/;

export const MAX_EMAIL_LENGTH = 254;

export function isEmailAddress(value: unknown): value is string {
  return typeof value === 'string' && value.length <= MAX_EMAIL_LENGTH && EMAIL.test(value);
}
