import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import type { Config } from '../../config/config.ts';
import { PortInUseError } from '../../lib/net.ts';

/**
 * BadgeKit at the root of its own origin. Mozilla's badgekit-api-client builds every URL with
 * `url.resolve(endpoint, '/systems/…')`: the path is absolute, so any path in the endpoint (`/badgekit`) is
 * thrown away. Such a client can only reach the dialect where it is served at `/`: on a listener of its own
 * (BADGEKIT_PORT) or on a host name of its own (BADGEKIT_HOST). Both are the same hub app: the request's URL
 * is rewritten to `/badgekit…` before routing, so there is one set of routes, one error shape and one 404,
 * and nothing else of the hub (pages, /oidc, /api) is reachable on that origin.
 */

const FROM_ROOT_LISTENER = Symbol('learnhub.badgekitRoot');
const PREFIX = '/badgekit';

type Marked = IncomingMessage & { [FROM_ROOT_LISTENER]?: true };

/** The host a request names (X-Forwarded-Host when the hub trusts its proxy), lower case. */
function requestHost(req: IncomingMessage, trustProxy: boolean): string {
  const forwarded = trustProxy ? req.headers['x-forwarded-host'] : undefined;
  const raw = (typeof forwarded === 'string' ? forwarded.split(',')[0] : undefined) ?? req.headers.host ?? '';
  return raw.trim().toLowerCase();
}

function hostMatches(given: string, configured: string): boolean {
  if (given === configured) return true;
  // BADGEKIT_HOST without a port matches that name on any port (a proxy may keep or drop `:443`).
  return !configured.includes(':') && given.replace(/:\d+$/, '') === configured;
}

/** Fastify's rewriteUrl: BadgeKit-origin requests are routed to the dialect under /badgekit. */
export function badgekitRootRewrite(
  config: Pick<Config, 'badgekitHost' | 'trustProxy'>,
): (req: IncomingMessage) => string {
  const host = config.badgekitHost;
  return (req) => {
    const url = req.url ?? '/';
    if (!url.startsWith('/')) return url;
    const fromRoot =
      (req as Marked)[FROM_ROOT_LISTENER] === true ||
      (host !== undefined && hostMatches(requestHost(req, config.trustProxy), host));
    return fromRoot ? `${PREFIX}${url}` : url;
  };
}

/** True when the request reached the dialect on its own origin (its URL was rewritten to /badgekit…). */
export function servedAtRoot(request: { url: string; originalUrl: string }): boolean {
  return request.url !== request.originalUrl;
}

export interface BadgekitListener {
  /** e.g. http://127.0.0.1:41733 */
  readonly address: string;
  close(): Promise<void>;
}

/** BADGEKIT_PORT: a second HTTP listener whose every request is the BadgeKit dialect at `/`. */
export async function listenBadgekitRoot(
  app: FastifyInstance,
  options: { port: number; host: string },
): Promise<BadgekitListener> {
  const server: Server = createServer((req, res) => {
    (req as Marked)[FROM_ROOT_LISTENER] = true;
    app.routing(req, res);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        error.code === 'EADDRINUSE' ? new PortInUseError('BADGEKIT_PORT', options.port, options.host) : error,
      ),
    );
    server.listen(options.port, options.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  return {
    address: `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      }),
  };
}
