import type { FastifyInstance } from 'fastify';
import { AppError } from '../errors/index.ts';

// PostgreSQL `text` cannot hold U+0000: a NUL that reaches a query fails it with "invalid byte sequence for
// encoding UTF8" (a 500). No surface has a use for NUL in a path, query or body string, so it is refused here,
// once, for every surface; each surface's error handler renders the AppError in its own shape.
const NUL_IN_URL = /%00|\0/i;

export const nulRefused = (where: string) =>
  new AppError('request.nul_byte', 400, `The request ${where} contains a NUL character (U+0000).`);

/**
 * True when any string or key in a parsed body holds U+0000. Iterative, so a deeply nested body cannot
 * overflow the stack; the depth of what it walks is bounded by the body size limit.
 */
export function containsNul(value: unknown): boolean {
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const item = stack.pop();
    if (typeof item === 'string') {
      if (item.includes('\0')) return true;
    } else if (Array.isArray(item)) {
      for (const element of item) stack.push(element);
    } else if (typeof item === 'object' && item !== null && !Buffer.isBuffer(item)) {
      for (const [key, element] of Object.entries(item)) {
        if (key.includes('\0')) return true;
        stack.push(element);
      }
    }
  }
  return false;
}

/**
 * The NUL guard: the raw URL is checked on request (path segments and query values, before any routing
 * decodes them) and the parsed body before validation (Fastify parses bodies after onRequest, and
 * dialects with their own parsers produce plain values too).
 */
export function installNulGuard(app: FastifyInstance): void {
  app.addHook('onRequest', (request, _reply, done) => {
    if (NUL_IN_URL.test(request.raw.url ?? '')) done(nulRefused('URL'));
    else done();
  });
  app.addHook('preValidation', (request, _reply, done) => {
    if (containsNul(request.body)) done(nulRefused('body'));
    else done();
  });
}
