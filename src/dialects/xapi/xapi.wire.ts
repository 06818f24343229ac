import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../../errors/index.ts';
import { XapiInvalid, type XapiVersion } from '../../lib/xapi/index.ts';
import { xapiErrors } from '../../modules/events/index.ts';
import { type DialectWire, hideInternals, installDialect } from '../kit/index.ts';

export const VERSION_HEADER = 'x-experience-api-version';
export const CONSISTENT_HEADER = 'x-experience-api-consistent-through';
/** What /about lists: every version this LRS accepts (1.0.x requests are answered as 1.0.3). */
export const ABOUT_VERSIONS: readonly string[] = ['1.0.0', '1.0.1', '1.0.2', '1.0.3', '2.0.0'];

/** Headers a browser LRS client must be allowed to send and to read (xAPI §"Cross Origin Requests"). */
const ALLOW_HEADERS =
  'Authorization, Content-Type, Content-Length, If-Match, If-None-Match, X-Experience-API-Version, X-Requested-With';
const EXPOSE_HEADERS =
  'ETag, Last-Modified, Location, X-Experience-API-Consistent-Through, X-Experience-API-Version';
const ALLOW_METHODS = 'GET, HEAD, PUT, POST, DELETE, OPTIONS';

const versions = new WeakMap<FastifyRequest, XapiVersion>();

/** The negotiated version of a request (2.0.0 when none was sent, which only /about and preflights allow). */
export function versionOf(request: FastifyRequest): XapiVersion {
  return versions.get(request) ?? '2.0.0';
}

/**
 * Reads `X-Experience-API-Version`: 1.0 with any patch (answered as 1.0.3) or 2.0 (2.0.0). Undefined when
 * absent or unsupported.
 */
export function parseVersion(value: unknown): XapiVersion | undefined {
  if (typeof value !== 'string') return undefined;
  const v = value.trim();
  if (/^1\.0(\.\d{1,3})?$/.test(v)) return '1.0.3';
  if (/^2\.0(\.0)?$/.test(v)) return '2.0.0';
  return undefined;
}

/** The events module's xAPI refusals, so the dialect and the store speak with one set of codes. */
export { xapiErrors };

/**
 * xAPI mandates the status, not a body: errors are `{"code", "message"}` with the message naming the
 * property (the hub's codes, so a client can tell a conflict from a bad version).
 */
const WIRE: Omit<DialectWire, 'prefix'> = {
  name: 'xapi',
  challenge: 'Basic realm="xapi"',
  render: (error) => ({ status: error.status, body: { code: error.code, message: hideInternals(error) } }),
};

function wireFor(prefix: string): DialectWire {
  return { ...WIRE, prefix };
}

function setCors(request: FastifyRequest, reply: FastifyReply): void {
  const origin = request.headers.origin;
  // Credentials are HTTP Basic or bearer headers a script sets itself, never cookies: any origin may call.
  reply.header('access-control-allow-origin', typeof origin === 'string' ? origin : '*');
  if (typeof origin === 'string') reply.header('vary', 'Origin');
  reply.header('access-control-expose-headers', EXPOSE_HEADERS);
  // helmet's same-origin policy would stop a player on another origin from reading answers.
  reply.header('cross-origin-resource-policy', 'cross-origin');
}

/**
 * The dialect's error wire (404/405 included), CORS with preflights, and version negotiation: every
 * request but /about, preflights and the alternate-syntax envelope (whose version is in its form body) must
 * name a supported version, and every answer carries the version it was answered in.
 */
export function installXapiWire(app: FastifyInstance, isAlternate: (request: FastifyRequest) => boolean) {
  const prefix = app.prefix;
  installDialect(app, wireFor(prefix));
  // The library's refusals name the property; every route's handler turns them into the 400 they are.
  app.addHook('onRoute', (route) => {
    const handler = route.handler;
    route.handler = async function (this: FastifyInstance, request, reply) {
      try {
        return await handler.call(this, request, reply);
      } catch (error) {
        throw error instanceof XapiInvalid ? new AppError('xapi.invalid', error.message) : error;
      }
    };
  });

  app.addHook('onRequest', async (request, reply) => {
    setCors(request, reply);
    if (request.method === 'OPTIONS' && request.headers['access-control-request-method'] !== undefined) {
      reply
        .code(204)
        .header('access-control-allow-methods', ALLOW_METHODS)
        .header('access-control-allow-headers', ALLOW_HEADERS)
        .header('access-control-max-age', '86400');
      return reply.send();
    }
    const path = (request.url.split('?')[0] ?? '').slice(prefix.length);
    const given = request.headers[VERSION_HEADER];
    const version = parseVersion(given);
    if (version) versions.set(request, version);
    if (path === '/about' || path === '/about/' || isAlternate(request)) return;
    if (given === undefined) {
      throw xapiErrors.version('X-Experience-API-Version: the header is required (1.0.3 or 2.0.0).');
    }
    if (!version) {
      throw xapiErrors.version(
        `X-Experience-API-Version: "${String(given).slice(0, 40)}" is not supported; use 1.0.3 or 2.0.0.`,
      );
    }
  });

  app.addHook('onSend', async (request, reply, payload) => {
    // An alternate-syntax envelope passes on the header of the request it stood for.
    if (!reply.hasHeader(VERSION_HEADER)) reply.header(VERSION_HEADER, versionOf(request));
    return payload;
  });
}
