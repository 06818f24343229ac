import { isEmailAddress } from '../../lib/email.ts';
import { identityErrors } from './identity.errors.ts';

/** Letters, digits, `-` and `_`; starts and ends with a letter or digit; 3–30 characters. URL-safe as is. */
const USERNAME = /^[A-Za-z0-9](?:[A-Za-z0-9_-]{1,28})[A-Za-z0-9]$/;
/** Names that would be confusing as profile URLs or in mail. */
const RESERVED = new Set([
  'admin',
  'administrator',
  'root',
  'support',
  'help',
  'api',
  'oidc',
  'system',
  'learnhub',
]);
const COMMON_PASSWORDS = new Set([
  'password',
  'password1',
  'password12',
  'password123',
  'password1234',
  '1234567890',
  '12345678910',
  'qwertyuiop',
  'iloveyou123',
  'letmein123',
  'welcome123',
  'abcdefghij',
  'learnhub123',
]);

export const PASSWORD_MIN = 10;
export const PASSWORD_MAX = 200;

export function normaliseUsername(raw: string): string {
  const username = raw.trim();
  if (!USERNAME.test(username)) {
    throw identityErrors.invalidUsername(
      'must be 3–30 letters, digits, "-" or "_", starting and ending with a letter or digit',
    );
  }
  if (RESERVED.has(username.toLowerCase())) throw identityErrors.invalidUsername('is reserved');
  return username;
}

export function normaliseName(raw: string): string {
  const name = raw.trim().replace(/\s+/g, ' ');
  if (name.length === 0) throw identityErrors.invalidName('is required');
  if (name.length > 100) throw identityErrors.invalidName('must be at most 100 characters');
  // biome-ignore lint/suspicious/noControlCharactersInRegex: rejecting control characters is the point
  if (/[\u0000-\u001f\u007f]/.test(name))
    throw identityErrors.invalidName('contains characters not allowed in a name');
  return name;
}

export function normaliseEmail(raw: string): string {
  const email = raw.trim();
  if (email.length === 0) throw identityErrors.invalidEmail('is required');
  if (!isEmailAddress(email)) throw identityErrors.invalidEmail();
  return email;
}

/** Length is what matters most (NIST SP 800-63B); we also refuse the most common choices and the obvious ones. */
export function checkPassword(
  password: string,
  context: { username?: string; email?: string },
  field = 'password',
): void {
  if (password.length < PASSWORD_MIN) {
    throw identityErrors.invalidPassword(`must be at least ${PASSWORD_MIN} characters long`, field);
  }
  if (password.length > PASSWORD_MAX) {
    throw identityErrors.invalidPassword(`must be at most ${PASSWORD_MAX} characters long`, field);
  }
  const lower = password.toLowerCase();
  const obvious =
    COMMON_PASSWORDS.has(lower) ||
    new Set(lower).size < 4 ||
    (context.username !== undefined && lower.includes(context.username.toLowerCase())) ||
    (context.email !== undefined && lower === context.email.toLowerCase());
  if (obvious) {
    throw identityErrors.invalidPassword(
      'is too easy to guess; use a longer phrase of unrelated words',
      field,
    );
  }
}
