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
  // Depth-first over parallel stacks; a node's path is only spelled out once a NUL is found (through its
  // parent links), so a clean body of thousands of values allocates no path strings at all.
  const items: unknown[] = [value];
  const parents: number[] = [-1];
  const keys: (string | number)[] = [''];
  const visited: { parent: number; key: string | number }[] = [];
  const pathOf = (parent: number, key: string | number): string => {
    const parts: (string | number)[] = [key];
    for (let p = parent; p > 0; p = visited[p]?.parent ?? -1) parts.push(visited[p]?.key ?? '');
    return parts.reverse().join('.');
  };
  while (items.length > 0) {
    const item = items.pop();
    const parent = parents.pop() ?? -1;
    const key = keys.pop() ?? '';
    if (typeof item === 'string') {
      if (item.includes('\0')) return parent < 0 ? '' : pathOf(parent, key);
      continue;
    }
    if (typeof item !== 'object' || item === null || Buffer.isBuffer(item)) continue;
    // Containers only are remembered, for the paths of what they hold (index 0 is the body itself).
    const self = visited.length;
    visited.push({ parent, key });
    if (Array.isArray(item)) {
      for (let i = 0; i < item.length; i++) {
        items.push(item[i]);
        parents.push(self);
        keys.push(i);
      }
    } else {
      for (const k in item) {
        if (!Object.hasOwn(item, k)) continue;
        if (k.includes('\0')) return self === 0 ? 'body' : pathOf(parent, key);
        items.push((item as Record<string, unknown>)[k]);
        parents.push(self);
        keys.push(k);
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
