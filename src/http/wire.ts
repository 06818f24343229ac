import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import findMyWay from 'find-my-way';
import { AppError, toAppError } from '../errors/index.ts';

/**
 * Logs server errors with their cause (never sent to the client) and client errors at debug level.
 * Dialects call this too, then render the AppError in their own wire shape.
 */
export function normaliseError(error: unknown, request: FastifyRequest): AppError {
  const appError = toAppError(error);
  // A database outage answers every request 503 for a while: one warning each, not an error storm.
  if (appError.status === 503) request.log.warn({ err: appError.cause ?? error }, appError.message);
  else if (appError.status >= 500) request.log.error({ err: appError.cause ?? error }, 'request failed');
  else request.log.debug({ code: appError.code }, appError.message);
  return appError;
}

const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;
type Method = (typeof METHODS)[number];

/** What a dialect answers for an error: its status (the catalogue's unless the seed says otherwise) and body. */
export interface WireError {
  readonly status: number;
  readonly body: unknown;
  readonly headers?: Readonly<Record<string, string>>;
}

/**
 * A dialect's wire format for failures. `render` turns any AppError — a use-case's refusal, a validation
 * error, and the kit's own `route.not_found` / `request.method_not_allowed` — into the seed's error shape.
 */
export interface DialectWire {
  /** For logs and docs, e.g. 'eventstore'. */
  readonly name: string;
  /** The path the dialect is mounted under ('' at the root of its own origin). */
  readonly prefix: string;
  readonly render: (error: AppError, request: FastifyRequest) => WireError;
  /** Content type of error bodies; JSON by default. */
  readonly contentType?: string;
  /** `WWW-Authenticate` sent with every 401, e.g. 'Basic realm="eventstore"'. */
  readonly challenge?: string;
  /** Turns the request URL into the path the dialect's routes are matched against (e.g. BadgeKit's `//`). */
  readonly cleanPath?: (url: string) => string;
  /**
   * For a surface that people also use (the hub's own pages): answers the error for a person instead, e.g. an
   * HTML page for a browser, or returns undefined to keep the wire shape. `routes` tells which paths exist.
   */
  readonly forPeople?: (
    error: AppError,
    request: FastifyRequest,
    reply: FastifyReply,
    routes: KnownRoutes,
  ) => FastifyReply | undefined;
}

/** The routes registered on a dialect's instance (and its children), for finding a page's parent. */
export interface KnownRoutes {
  has(method: string, path: string): boolean;
}

const NO_ROUTES: KnownRoutes = { has: () => false };

/** Sends an AppError in the dialect's shape. Used by the handlers below and by routes that answer early. */
export function sendWireError(
  wire: DialectWire,
  request: FastifyRequest,
  reply: FastifyReply,
  error: AppError,
  routes: KnownRoutes = NO_ROUTES,
): FastifyReply {
  const people = wire.forPeople?.(error, request, reply, routes);
  if (people) return people;
  if (error.headers) reply.headers(error.headers);
  if (error.status === 401 && wire.challenge) reply.header('www-authenticate', wire.challenge);
  const out = wire.render(error, request);
  if (out.headers) reply.headers(out.headers);
  return reply
    .code(out.status)
    .type(wire.contentType ?? 'application/json; charset=utf-8')
    .send(out.body);
}

/**
 * Installs a dialect's error handler and its 404/405 handler on its (encapsulated) Fastify instance. An unknown
 * path is `route.not_found`; a known path asked with another method is `request.method_not_allowed` with an
 * `Allow` header (Fastify alone would say 404). Both go through `wire.render`, so they are in the seed's shape.
 * Call it before registering the dialect's routes: the 405 table is filled as routes are added.
 */
export function installDialect(app: FastifyInstance, wire: DialectWire): void {
  const shadow = findMyWay({ ignoreTrailingSlash: true });
  const routes: KnownRoutes = {
    has: (method, path) => METHODS.includes(method as Method) && shadow.find(method as Method, path) !== null,
  };
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) {
      if (!METHODS.includes(method as Method)) continue;
      const path = route.url.slice(wire.prefix.length) || '/';
      try {
        shadow.on(method as Method, path, () => {});
      } catch {
        // Already known (HEAD is added for GET); nothing to add.
      }
    }
  });

  app.setErrorHandler((error, request, reply) =>
    sendWireError(wire, request, reply, normaliseError(error, request), routes),
  );

  app.setNotFoundHandler((request, reply) => {
    const url = wire.cleanPath ? wire.cleanPath(request.url) : request.url;
    const full = url.split('?')[0] ?? '/';
    const path = full.slice(wire.prefix.length) || '/';
    const allowed = METHODS.filter((m) => m !== request.method && shadow.find(m, path) !== null);
    if (allowed.length > 0) {
      const allow = allowed.join(', ');
      const error = new AppError(
        'request.method_not_allowed',
        `${request.method} is not allowed on ${full}; use ${allow}.`,
        { headers: { allow }, details: { method: request.method, path: full, allowed } },
      );
      return sendWireError(wire, request, reply, error, routes);
    }
    const error = new AppError('route.not_found', `No such endpoint: ${request.method} ${full}`, {
      details: { method: request.method, path: full },
    });
    return sendWireError(wire, request, reply, error, routes);
  });
}
