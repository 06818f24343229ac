import { oauthErrors } from './oauth.errors.ts';

export interface AppFields {
  readonly name: string;
  readonly homepageUrl: string | null;
  readonly logoUrl: string | null;
  readonly redirectUris: readonly string[];
  readonly replyUrl: string | null;
}

export type AppInput = { readonly [K in keyof AppFields]?: AppFields[K] | undefined };

const MAX_URL = 2000;
export const MAX_REDIRECT_URIS = 10;
const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

function parseUrl(field: string, value: string): URL {
  if (value.length > MAX_URL) throw oauthErrors.invalidField(field, `must be at most ${MAX_URL} characters`);
  try {
    return new URL(value);
  } catch {
    throw oauthErrors.invalidField(field, `"${value}" is not an absolute URL`);
  }
}

function webUrl(field: string, value: string | null | undefined, httpsOnly = false): string | null {
  if (value === null || value === undefined || value.trim() === '') return null;
  const url = parseUrl(field, value.trim());
  const allowed = httpsOnly ? ['https:'] : ['https:', 'http:'];
  if (!allowed.includes(url.protocol)) {
    throw oauthErrors.invalidField(field, `must be an ${httpsOnly ? 'https' : 'http(s)'} URL`);
  }
  return url.toString();
}

/**
 * Redirect URIs are compared exactly by the provider, so they are stored as given. https only, except
 * http to the loopback host (apps under development, native apps); no fragments (RFC 6749 §3.1.2).
 */
export function redirectUri(field: string, value: string): string {
  const trimmed = value.trim();
  const url = parseUrl(field, trimmed);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && LOOPBACK.has(url.hostname))) {
    throw oauthErrors.invalidField(field, 'must use https (http only for localhost or 127.0.0.1)');
  }
  if (url.hash || trimmed.includes('#')) throw oauthErrors.invalidField(field, 'must not contain a fragment');
  if (url.username || url.password) throw oauthErrors.invalidField(field, 'must not contain credentials');
  return trimmed;
}

function name(value: string | undefined): string {
  const trimmed = (value ?? '').trim();
  if (trimmed.length === 0) throw oauthErrors.invalidField('name', 'is required');
  if (trimmed.length > 100) throw oauthErrors.invalidField('name', 'must be at most 100 characters');
  // The name is shown on consent pages and is the display name of mail sent for the app: a line break could
  // add a mail header and `<...>` could pose as an address (issue 15), so both are refused on input.
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what this refuses
  if (/[\u0000-\u001f\u007f<>]/.test(trimmed))
    throw oauthErrors.invalidField('name', 'must not contain line breaks, control characters, < or >');
  return trimmed;
}

function redirectUris(values: readonly string[] | undefined): string[] {
  const list = values ?? [];
  if (list.length > MAX_REDIRECT_URIS) {
    throw oauthErrors.invalidField('redirect_uris', `at most ${MAX_REDIRECT_URIS} are allowed`);
  }
  return [...new Set(list.map((uri, i) => redirectUri(`redirect_uris.${i}`, uri)))];
}

/** Checks a whole app (creation); throws a 400 naming the first bad field. */
export function validateApp(input: AppInput): AppFields {
  return {
    name: name(input.name),
    homepageUrl: webUrl('homepage_url', input.homepageUrl),
    logoUrl: webUrl('logo_url', input.logoUrl, true),
    redirectUris: redirectUris(input.redirectUris),
    replyUrl: webUrl('reply_url', input.replyUrl),
  };
}

/** Checks only the fields present (an update). */
export function validateAppChanges(input: AppInput): Partial<AppFields> {
  const out: { -readonly [K in keyof AppFields]?: AppFields[K] } = {};
  if (input.name !== undefined) out.name = name(input.name);
  if (input.homepageUrl !== undefined) out.homepageUrl = webUrl('homepage_url', input.homepageUrl);
  if (input.logoUrl !== undefined) out.logoUrl = webUrl('logo_url', input.logoUrl, true);
  if (input.redirectUris !== undefined) out.redirectUris = redirectUris(input.redirectUris);
  if (input.replyUrl !== undefined) out.replyUrl = webUrl('reply_url', input.replyUrl);
  return out;
}
