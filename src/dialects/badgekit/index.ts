import type { FastifyInstance } from 'fastify';
import findMyWay from 'find-my-way';
import type { Deps } from '../../deps.ts';
import { type AppError, toAppError } from '../../errors/index.ts';
import { normaliseError } from '../../http/errors.ts';
import { authenticateBadgekit, cleanUrl } from './badgekit.auth.ts';
import { badgekitAwardRoutes } from './badgekit.awards.routes.ts';
import { MAX_BODY, parseBody } from './badgekit.body.ts';
import { badgekitPublicRoutes } from './badgekit.public.routes.ts';
import { badgekitRoutes } from './badgekit.routes.ts';

export { type BadgekitListener, badgekitRootRewrite, listenBadgekitRoot } from './badgekit.root.ts';

const METHODS = ['GET', 'POST', 'PUT', 'DELETE'] as const;

/** BadgeKit's error body for an AppError: `{code, message}` plus what its clients read (details, parameter). */
export function badgekitError(e: AppError): { status: number; body: Record<string, unknown> } {
  const d = e.details ?? {};
  switch (e.code) {
    case 'badges.not_found':
      return { status: 404, body: { code: 'ResourceNotFound', message: e.message } };
    case 'badges.invalid':
    case 'request.invalid': {
      const list = Array.isArray(d.errors)
        ? (d.errors as { field: string; value?: unknown; message?: string }[])
        : [];
      const details = list.map((x) =>
        x.field === 'image' && x.message === 'Missing value'
          ? { message: 'Missing value', field: 'image' }
          : { field: x.field, value: x.value ?? '' },
      );
      return {
        status: 400,
        body: { code: 'ValidationError', message: 'Could not validate required fields', details },
      };
    }
    case 'badges.invalid_parameter':
      return { status: 400, body: { code: 'InvalidParameter', parameter: d.parameter, message: e.message } };
    case 'badges.duplicate':
      return {
        status: 409,
        body: { code: 'ResourceConflict', message: e.message, details: d.submitted ?? {} },
      };
    case 'badges.already_awarded':
      return {
        status: 409,
        body: { code: 'ResourceConflict', message: e.message, details: { assertionUrl: d.assertionUrl } },
      };
    case 'badges.code_already_used':
      return { status: 400, body: { code: 'CodeAlreadyUsed', message: e.message } };
    case 'badgekit.not_authorized':
    case 'badges.forbidden':
      return { status: 403, body: { code: 'NotAuthorized', message: e.message } };
    case 'request.unsupported_media_type':
      return { status: 415, body: { code: 'UnsupportedMediaTypeError', message: e.message } };
    case 'request.malformed_json':
      return { status: 400, body: { code: 'InvalidContent', message: e.message } };
    case 'request.too_large':
      return { status: 413, body: { code: 'RequestEntityTooLarge', message: e.message } };
  }
  if (e.status >= 500) return { status: 500, body: { code: 'InternalError', message: 'Internal error' } };
  return { status: e.status, body: { code: 'BadRequest', message: e.message } };
}

/**
 * The BadgeKit API under /badgekit: BadgeKit's paths, JSON shapes, `page`/`count` paging, `{code, message}`
 * errors and JWT auth (HS256 only). Thin: every rule lives in the badges module.
 */
export async function badgekitDialect(
  app: FastifyInstance,
  { deps, prefix }: { deps: Deps; prefix: string },
) {
  const shadow = findMyWay();
  app.addHook('onRoute', (route) => {
    for (const m of [route.method].flat()) {
      if (METHODS.includes(m as (typeof METHODS)[number])) {
        try {
          shadow.on(m as (typeof METHODS)[number], route.url.slice(prefix.length) || '/', () => {});
        } catch {
          // already known
        }
      }
    }
  });
  app.setErrorHandler((error, request, reply) => {
    const { status, body } = badgekitError(normaliseError(error, request));
    return reply.code(status).type('application/json').send(body);
  });
  app.setNotFoundHandler((request, reply) => {
    const url = cleanUrl(request.url);
    const path = (url.split('?')[0] ?? '/').slice(prefix.length) || '/';
    if (METHODS.some((m) => m !== request.method && shadow.find(m, path))) {
      return reply
        .code(405)
        .send({ code: 'MethodNotAllowedError', message: `${request.method} is not allowed` });
    }
    return reply.code(404).send({ code: 'ResourceNotFound', message: `${path} does not exist` });
  });

  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: MAX_BODY }, (request, body, done) => {
    parseBody(request.raw, body as Buffer).then(
      (parsed) => done(null, parsed),
      (error: unknown) => done(toAppError(error)),
    );
  });

  // Auth after the body is read (the JWT covers its hash). `/public/...`, `/` and `/healthcheck` are open.
  app.addHook('preHandler', async (request) => {
    // Unknown routes answer 404/405 without auth, as BadgeKit's do.
    if (request.routeOptions.url === undefined) return;
    const path = request.url.slice(prefix.length);
    if (path === '' || path === '/' || path === '/healthcheck' || path.startsWith('/public/')) return;
    request.principal = await authenticateBadgekit(deps, request, prefix, deps.config.badgekitMasterSecret);
  });

  await app.register(badgekitRoutes, { deps });
  await app.register(badgekitAwardRoutes, { deps });
  await app.register(badgekitPublicRoutes, { deps });
}
