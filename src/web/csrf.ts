import { createHmac, randomBytes } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { h } from 'preact';
import { AppError } from '../errors/index.ts';
import { safeEqual } from '../lib/secrets.ts';

/**
 * CSRF protection for forms, by the signed double-submit pattern: a random value lives in an http-only
 * cookie, and each form carries HMAC(SECRET_KEY, value) in the hidden field `_csrf`. A cross-site page can
 * make the browser send the cookie but can neither read it nor compute the HMAC. SameSite=Lax on the cookie
 * is a second line of defence.
 */
export const CSRF_COOKIE = 'lh_csrf';
export const CSRF_FIELD = '_csrf';

const issued = new WeakMap<FastifyRequest, string>();

function sign(value: string, secretKey: string): string {
  return createHmac('sha256', secretKey).update(`csrf:${value}`).digest('base64url');
}

function cookieValue(request: FastifyRequest): string | undefined {
  const value = request.cookies[CSRF_COOKIE];
  return value && /^[A-Za-z0-9_-]{32,64}$/.test(value) ? value : undefined;
}

/**
 * The token to embed in a form. Reuses the request's CSRF cookie, or sets a new one (once per request, so
 * several forms on one page share it). `secure` defaults to whether the request came over https.
 */
export function csrfToken(
  request: FastifyRequest,
  reply: FastifyReply,
  secretKey: string,
  options: { secure?: boolean } = {},
): string {
  let value = issued.get(request) ?? cookieValue(request);
  if (!value) {
    value = randomBytes(32).toString('base64url');
    reply.setCookie(CSRF_COOKIE, value, {
      path: '/',
      httpOnly: true,
      sameSite: 'lax',
      secure: options.secure ?? request.protocol === 'https',
    });
  }
  issued.set(request, value);
  return sign(value, secretKey);
}

/** Throws 403 csrf.invalid unless the urlencoded body's `_csrf` matches the request's CSRF cookie. */
export function assertCsrf(request: FastifyRequest, secretKey: string): void {
  const body = request.body;
  const given =
    typeof body === 'object' && body !== null && CSRF_FIELD in body
      ? (body as Record<string, unknown>)[CSRF_FIELD]
      : undefined;
  const value = cookieValue(request);
  if (typeof given !== 'string' || !value || !safeEqual(given, sign(value, secretKey))) {
    throw new AppError(
      'csrf.invalid',
      'The form could not be accepted: its security token is missing or out of date. Reload the page and try again.',
    );
  }
}

/** The hidden form field carrying the CSRF token. */
export function CsrfField(props: { token: string }) {
  return h('input', { type: 'hidden', name: CSRF_FIELD, value: props.token });
}
