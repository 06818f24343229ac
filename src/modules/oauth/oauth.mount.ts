import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FastifyInstance } from 'fastify';

export const ISSUER_PATH = '/oidc';

type KoaHandler = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

/**
 * Hands every request under /oidc to oidc-provider (a Koa app) before Fastify parses anything, so the provider
 * reads the untouched request stream itself, and strips the prefix as the provider expects (its URLs come
 * from the issuer, PUBLIC_URL/oidc).
 *
 * Written here instead of using @fastify/middie: middie sanitises and matches the URL of *every* request
 * against its middleware paths, which cost about a fifth of the hub's throughput on unrelated routes
 * (measured on /healthz); a prefix test is all this one mount needs. Like middie, it runs as an onRequest
 * hook, so it must be added after the hook that resolves the hub session (oauth.hub-session.ts).
 */
export function mountProvider(
  app: FastifyInstance,
  handler: KoaHandler,
  refuse: (raw: IncomingMessage, res: ServerResponse) => boolean = () => false,
): void {
  app.addHook('onRequest', (request, reply, done) => {
    const url = request.raw.url ?? '/';
    const next = url.charCodeAt(ISSUER_PATH.length);
    // '/oidc', '/oidc/...', '/oidc?...' (47 = '/', 63 = '?'); not '/oidcx'.
    if (!url.startsWith(ISSUER_PATH) || (url.length > ISSUER_PATH.length && next !== 47 && next !== 63)) {
      done();
      return;
    }
    reply.hijack();
    if (refuse(request.raw, reply.raw)) return;
    const raw = request.raw as IncomingMessage & { originalUrl?: string };
    raw.originalUrl = url;
    const rest = url.slice(ISSUER_PATH.length);
    raw.url = rest.startsWith('/') ? rest : `/${rest}`;
    handler(raw, reply.raw).catch((error: unknown) => {
      request.log.error({ err: error }, 'OpenID provider failed');
      if (!reply.raw.headersSent) reply.raw.writeHead(500).end();
    });
  });
}
