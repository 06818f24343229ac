import type { IncomingMessage, ServerResponse } from 'node:http';
import type Provider from 'oidc-provider';
import type { KoaContextWithOIDC } from 'oidc-provider';
import { edgeRefusal } from '../../http/edge.ts';
import { renderProviderError } from './oauth.pages.tsx';

/**
 * The OpenID provider's surface keeps its own error shape for what the hub refuses around it: RFC 6749's
 * `{"error", "error_description"}` JSON for clients, the hub's error page for a browser (Accept: text/html).
 * Used for the edge guard's refusals (a NUL or a malformed path, which must not reach the provider's storage)
 * and for the provider's own 404s, which oidc-provider leaves as Koa's plain-text "Not Found".
 */
const wantsHtml = (accept: string | string[] | undefined) => /\btext\/html\b/.test(String(accept ?? ''));

function body(accept: string | string[] | undefined, error: string, description: string) {
  return wantsHtml(accept)
    ? {
        type: 'text/html; charset=utf-8',
        text: renderProviderError({ error, error_description: description }),
      }
    : {
        type: 'application/json; charset=utf-8',
        text: JSON.stringify({ error, error_description: description }),
      };
}

/** For mountProvider: answers 400 itself (true) when the edge guard refuses the request. */
export function refuseAtEdge(raw: IncomingMessage, res: ServerResponse): boolean {
  const refusal = edgeRefusal(raw);
  if (!refusal) return false;
  const out = body(raw.headers.accept, 'invalid_request', refusal.message);
  res.writeHead(400, { 'content-type': out.type, 'cache-control': 'no-store' }).end(out.text);
  return true;
}

/** Unknown /oidc paths and methods (registration, a GET on the token endpoint, ...) in the surface's shape. */
export function shapeProviderNotFound(provider: Provider): void {
  provider.use(async (ctx: KoaContextWithOIDC, next) => {
    await next();
    if (ctx.status !== 404 || ctx.body != null) return;
    const out = body(
      ctx.get('accept'),
      'invalid_request',
      `unrecognized route or not allowed method (${ctx.method} ${ctx.path})`,
    );
    ctx.status = 404;
    ctx.type = out.type;
    ctx.body = out.text;
  });
}
