import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../deps.ts';
import { AppError, type CodesOf, toAppError } from '../../errors/index.ts';
import {
  authenticateDialect,
  type CodeTable,
  installDialect,
  renderWithTable,
  type WireError,
} from '../kit/index.ts';
import { authenticateBadgekit, cleanUrl } from './badgekit.auth.ts';
import { badgekitAwardRoutes } from './badgekit.awards.routes.ts';
import { MAX_BODY, parseBody } from './badgekit.body.ts';
import { badgekitPublicRoutes } from './badgekit.public.routes.ts';
import { badgekitRoutes } from './badgekit.routes.ts';
import { badgekitWebhookBody } from './badgekit.wire.ts';

export { type BadgekitListener, badgekitRootRewrite, listenBadgekitRoot } from './badgekit.root.ts';
export { containerJson } from './badgekit.wire.ts';
export { badgekitWebhookBody };

type BadgekitCodes = CodesOf<'badges' | 'badgekit' | 'request' | 'route'>;

const notAuthorized = (e: AppError): WireError => ({
  status: 403,
  body: { code: 'NotAuthorized', message: e.message },
});

function validationError(e: AppError): WireError {
  const d = e.details ?? {};
  const list = Array.isArray(d.errors)
    ? (d.errors as { field: string; value?: unknown; message?: string }[])
    : [];
  // BadgeKit's own server put a message on one image problem only ("Missing value"); uploads and data: URIs
  // keep its exact `{field, value}` items. An image URL the hub fetched is the one addition: its item also says
  // why the fetch failed (a 404, too big, not an image), which a client cannot otherwise learn.
  const details = list.map((x) =>
    x.field !== 'image' || !x.message
      ? { field: x.field, value: x.value ?? '' }
      : x.message === 'Missing value'
        ? { message: 'Missing value', field: 'image' }
        : typeof x.value === 'string' && /^https?:/i.test(x.value)
          ? { field: 'image', value: x.value, message: x.message }
          : { field: 'image', value: x.value ?? '' },
  );
  return {
    status: 400,
    body: { code: 'ValidationError', message: 'Could not validate required fields', details },
  };
}

/**
 * BadgeKit's error bodies (`{code, message}` plus what its clients read) for every code of the domains the
 * dialect surfaces; `null` is the generic `BadRequest` with the catalogue's status (see `badgekitError`).
 */
const BADGEKIT_ERRORS = {
  'badges.not_found': (e) => ({ status: 404, body: { code: 'ResourceNotFound', message: e.message } }),
  'badges.invalid': validationError,
  'request.invalid': validationError,
  'badges.invalid_parameter': (e) => ({
    status: 400,
    body: { code: 'InvalidParameter', parameter: e.details?.parameter, message: e.message },
  }),
  'badges.duplicate': (e) => ({
    status: 409,
    body: { code: 'ResourceConflict', message: e.message, details: e.details?.submitted ?? {} },
  }),
  'badges.already_awarded': (e) => ({
    status: 409,
    body: {
      code: 'ResourceConflict',
      message: e.message,
      details: { assertionUrl: e.details?.assertionUrl },
    },
  }),
  'badges.code_already_used': (e) => ({ status: 400, body: { code: 'CodeAlreadyUsed', message: e.message } }),
  'badgekit.not_authorized': notAuthorized,
  'badges.forbidden': notAuthorized,
  'badges.scope_required': notAuthorized,
  'badges.email_unverified': null,
  'badges.too_large': null,
  'badges.unverifiable': null,
  'request.unsupported_media_type': (e) => ({
    status: 415,
    body: { code: 'UnsupportedMediaTypeError', message: e.message },
  }),
  'request.malformed_json': (e) => ({ status: 400, body: { code: 'InvalidContent', message: e.message } }),
  'request.too_large': (e) => ({ status: 413, body: { code: 'RequestEntityTooLarge', message: e.message } }),
  'request.bad_url': null,
  'request.client_error': null,
  'request.invalid_content_length': null,
  'request.invalid_cursor': null,
  'request.nul_byte': null,
  'request.rate_limited': null,
  // The kit's 404/405: BadgeKit names the path relative to its endpoint, and the method alone.
  'route.not_found': (e) => ({
    status: 404,
    body: { code: 'ResourceNotFound', message: `${String(e.details?.relativePath ?? '/')} does not exist` },
  }),
  'request.method_not_allowed': (e) => ({
    status: 405,
    body: { code: 'MethodNotAllowedError', message: `${String(e.details?.method)} is not allowed` },
  }),
  'route.method_not_allowed': null,
} satisfies CodeTable<BadgekitCodes>;

/** BadgeKit's error body for an AppError: `{code, message}` plus what its clients read (details, parameter). */
export function badgekitError(e: AppError): { status: number; body: Record<string, unknown> } {
  const out = renderWithTable(BADGEKIT_ERRORS, e, (other) =>
    other.status >= 500
      ? { status: 500, body: { code: 'InternalError', message: 'Internal error' } }
      : { status: other.status, body: { code: 'BadRequest', message: other.message } },
  );
  return { status: out.status, body: out.body as Record<string, unknown> };
}

/**
 * The BadgeKit API under /badgekit: BadgeKit's paths, JSON shapes, `page`/`count` paging, `{code, message}`
 * errors and JWT auth (HS256 only). Thin: every rule lives in the badges module.
 */
export async function badgekitDialect(
  app: FastifyInstance,
  { deps, prefix }: { deps: Deps; prefix: string },
) {
  const relative = (path: string) => path.slice(prefix.length) || '/';
  installDialect(app, {
    name: 'badgekit',
    prefix,
    cleanPath: cleanUrl,
    contentType: 'application/json',
    render: (error) => {
      const path = error.details?.path;
      const e =
        typeof path === 'string'
          ? new AppError(error.code, error.message, {
              details: { ...error.details, relativePath: relative(path) },
              headers: error.headers,
            })
          : error;
      return badgekitError(e);
    },
  });

  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: MAX_BODY }, (request, body, done) => {
    parseBody(request.raw, body as Buffer).then(
      (parsed) => done(null, parsed),
      (error: unknown) => done(toAppError(error)),
    );
  });

  // Auth after the body is read (the JWT covers its hash). `/public/...`, `/` and `/healthcheck` are open.
  authenticateDialect(app, {
    skip: (request) => {
      const path = request.url.slice(prefix.length);
      return path === '' || path === '/' || path === '/healthcheck' || path.startsWith('/public/');
    },
    authenticate: (request) => authenticateBadgekit(deps, request, prefix, deps.config.badgekitMasterSecret),
  });

  // The use-cases that fire the systems' webhooks get BadgeKit's wire format with their deps.
  const withWire = { ...deps, badgekitWebhookBody };
  await app.register(badgekitRoutes, { deps });
  await app.register(badgekitAwardRoutes, { deps: withWire });
  await app.register(badgekitPublicRoutes, { deps });
}
