import type { IncomingMessage } from 'node:http';
import type { FastifyInstance } from 'fastify';
import { AppError } from '../errors/index.ts';

const BAD_URL = Symbol('learnhub.badUrl');
type Marked = IncomingMessage & { [BAD_URL]?: true };

/**
 * Fastify's `rewriteUrl`. A path segment that is not valid percent-encoded UTF-8 (`%zz`, `%ff`, a lone
 * surrogate `%ED%A0%80`, an overlong `%C0%AE`) makes the router answer by itself, in plain JSON, before any
 * surface's error handler could shape it. So the segment's `%` are escaped (the router then finds the route,
 * or the surface's 404), the request is marked, and the edge guard refuses it with a 400 that the route's
 * own error handler renders.
 */
export function rewriteUrl(req: IncomingMessage, url: string = req.url ?? '/'): string {
  const q = url.indexOf('?');
  const path = q === -1 ? url : url.slice(0, q);
  if (!path.includes('%')) return url;
  let bad = false;
  const fixed = path.split('/').map((segment) => {
    try {
      decodeURIComponent(segment);
      return segment;
    } catch {
      bad = true;
      return segment.replaceAll('%', '%25');
    }
  });
  if (!bad) return url;
  (req as Marked)[BAD_URL] = true;
  return fixed.join('/') + (q === -1 ? '' : url.slice(q));
}

/**
 * Longest path parameter the router accepts. Beyond find-my-way's default (100) it answers 414 by itself in
 * plain JSON; past this, routes' schemas (maxLength) and lookups refuse long values in their own shape, and
 * Node's header size limit bounds the URL anyway.
 */
export const MAX_PARAM_LENGTH = 16_384;

// PostgreSQL `text` cannot hold U+0000: a NUL that reaches a query fails it with "invalid byte sequence for
// encoding UTF8" (a 500). No surface has a use for NUL in a path, query or body string, so it is refused here,
// once, for every surface; each surface's error handler renders the AppError in its own shape.
const NUL_IN_URL = /%00|\0/i;

export const nulRefused = (where: string) =>
  new AppError('request.nul_byte', `The request ${where} contains a NUL character (U+0000).`);

/**
 * Where the first U+0000 in a parsed body is, as a dotted path (`EventData.note`, `''` for the body itself),
 * or undefined when there is none. Iterative, so a deeply nested body cannot overflow the stack; the depth of
 * what it walks is bounded by the body size limit.
 */
export function findNul(value: unknown): string | undefined {
  const stack: [unknown, string][] = [[value, '']];
  while (stack.length > 0) {
    const next = stack.pop();
    if (!next) break;
    const [item, path] = next;
    const at = (key: string | number) => (path ? `${path}.${key}` : String(key));
    if (typeof item === 'string') {
      if (item.includes('\0')) return path;
    } else if (Array.isArray(item)) {
      for (const [i, element] of item.entries()) stack.push([element, at(i)]);
    } else if (typeof item === 'object' && item !== null && !Buffer.isBuffer(item)) {
      for (const [key, element] of Object.entries(item)) {
        if (key.includes('\0')) return path || 'body';
        stack.push([element, at(key)]);
      }
    }
  }
  return undefined;
}

const OIDC_PATH = /^\/oidc(?:[/?]|$)/;

/** What the edge guard refuses about this raw request's URL (malformed path, NUL), for mounts outside Fastify. */
export function edgeRefusal(raw: IncomingMessage): AppError | undefined {
  if ((raw as Marked)[BAD_URL])
    return new AppError('request.bad_url', 'The URL path is not valid percent-encoded UTF-8.');
  if (NUL_IN_URL.test(raw.url ?? '')) return nulRefused('URL');
  return undefined;
}

/**
 * The edge guard: malformed paths (see rewriteUrl) are refused, and NUL is looked for in the raw URL on request (path segments and query values, before any routing
 * decodes them) and the parsed body before validation (Fastify parses bodies after onRequest, and
 * dialects with their own parsers produce plain values too).
 */
export function installEdgeGuard(app: FastifyInstance): void {
  app.addHook('onRequest', (request, _reply, done) => {
    // The OpenID provider's requests never reach Fastify's routes or error handlers: its mount refuses them
    // itself, in RFC 6749's shape (edgeRefusal), just before handing them over.
    if (OIDC_PATH.test(request.raw.url ?? '')) done();
    else if ((request.raw as Marked)[BAD_URL])
      done(new AppError('request.bad_url', 'The URL path is not valid percent-encoded UTF-8.'));
    else if (NUL_IN_URL.test(request.raw.url ?? '')) done(nulRefused('URL'));
    else done();
  });
  app.addHook('preValidation', (request, _reply, done) => {
    const at = findNul(request.body);
    if (at === undefined) done();
    else done(nulRefused(at ? `body (${at})` : 'body'));
  });
}
