import type { FastifyRequest } from 'fastify';
import { AppError } from '../../errors/index.ts';

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);
const JSON_TYPE = /^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i;

/**
 * CSRF for the JSON API when the credential is the browser session (issue 15, defect 7). The session
 * cookie is SameSite=Lax, which does not stop a page on another port of the same host (same site, other
 * origin), so an unsafe request authenticated by the cookie must:
 * - come from the hub's own origin: `Sec-Fetch-Site` (when sent) is `same-origin`, and `Origin` (when sent)
 *   is the origin of PUBLIC_URL. Browsers send at least one of them on every cross-origin unsafe request;
 *   a client that sends neither is not a browser and is not forging anything;
 * - carry JSON, which a cross-origin form cannot send and a cross-origin fetch cannot send without a CORS
 *   preflight the hub never grants. Form bodies here are refused with 415.
 * Bearer-token requests are not affected: a page on another origin cannot attach them.
 */
export function assertSessionRequestAllowed(request: FastifyRequest, publicUrl: string): void {
  if (SAFE.has(request.method) || !request.url.startsWith('/api/')) return;
  const site = request.headers['sec-fetch-site'];
  const origin = request.headers.origin;
  if (
    (site !== undefined && site !== 'same-origin') ||
    (origin !== undefined && origin !== new URL(publicUrl).origin)
  ) {
    throw new AppError(
      'auth.cross_origin',
      'A request signed in by the browser session must come from the hub’s own pages; other sites must use an OAuth token.',
    );
  }
  const type = request.headers['content-type'];
  const hasBody = type !== undefined || Number(request.headers['content-length'] ?? 0) > 0;
  if (hasBody && !JSON_TYPE.test(type ?? '')) {
    throw new AppError(
      'request.unsupported_media_type',
      'A request signed in by the browser session must send application/json.',
    );
  }
}
