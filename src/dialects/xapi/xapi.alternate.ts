import type { FastifyInstance, FastifyRequest } from 'fastify';
import { parseVersion, VERSION_HEADER, xapiErrors } from './xapi.wire.ts';

/** The form body of an alternate-syntax request: headers, content and the other parameters. */
const MAX_FORM = 1024 * 1024;
const METHODS = new Set(['GET', 'PUT', 'POST', 'DELETE']);
/** Form fields that are request headers (xAPI 1.0.3 §"Alternate Request Syntax"); matched case-insensitively. */
const HEADER_FIELDS = new Set([
  'authorization',
  'x-experience-api-version',
  'content-type',
  'content-length',
  'if-match',
  'if-none-match',
]);
/** Headers of the inner answer that belong to its own framing, not to the envelope's. */
const FRAMING = new Set(['content-length', 'transfer-encoding', 'connection', 'keep-alive', 'date']);

/** `POST <resource>?method=PUT|GET|DELETE|POST`: old players (e.g. in IE) tunnel every request this way. */
export function isAlternate(request: FastifyRequest): boolean {
  const query = request.query as Record<string, unknown> | undefined;
  return request.method === 'POST' && query !== undefined && query.method !== undefined;
}

async function readForm(request: FastifyRequest): Promise<URLSearchParams> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request.raw) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += buffer.length;
    if (size > MAX_FORM) throw xapiErrors.tooLarge(`content: the form body is over ${MAX_FORM} bytes.`);
    chunks.push(buffer);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

/**
 * Turns an alternate-syntax request into the request it stands for and answers with that request's answer:
 * the form's header fields become headers, `content` the body, every other field a query parameter. The
 * inner request goes through the whole dialect (version, credentials, validation), so nothing is checked
 * twice or differently. xAPI 2.0 removed the syntax: a 2.0 envelope is a 400.
 */
export function installAlternateSyntax(app: FastifyInstance): void {
  app.addHook('onRequest', async (request, reply) => {
    if (!isAlternate(request)) return;
    const query = request.query as Record<string, unknown>;
    const method = query.method;
    if (typeof method !== 'string' || !METHODS.has(method)) {
      throw xapiErrors.invalid('method: must be one of GET, PUT, POST or DELETE.');
    }
    const extra = Object.keys(query).filter((k) => k !== 'method');
    if (extra.length > 0) {
      throw xapiErrors.invalid(
        `${extra[0]}: the alternate request syntax takes no query parameter but method; send it in the form body.`,
      );
    }
    if (parseVersion(request.headers[VERSION_HEADER]) === '2.0.0') {
      throw xapiErrors.invalid('method: xAPI 2.0 has no alternate request syntax.');
    }
    const type = request.headers['content-type'] ?? '';
    if (!/^application\/x-www-form-urlencoded\s*(;|$)/i.test(type)) {
      throw xapiErrors.invalid(
        'Content-Type: an alternate-syntax request must be application/x-www-form-urlencoded.',
      );
    }
    const form = await readForm(request);
    // Credentials and version may come as real headers too; the form's fields win.
    const headers: Record<string, string> = {};
    for (const name of ['authorization', VERSION_HEADER]) {
      const value = request.headers[name];
      if (typeof value === 'string') headers[name] = value;
    }
    const params = new URLSearchParams();
    let content: string | undefined;
    for (const [name, value] of form) {
      const lower = name.toLowerCase();
      if (lower === 'content') content = value;
      else if (HEADER_FIELDS.has(lower)) headers[lower] = value;
      else params.append(name, value);
    }
    if (parseVersion(headers[VERSION_HEADER]) === '2.0.0') {
      throw xapiErrors.invalid('method: xAPI 2.0 has no alternate request syntax.');
    }
    delete headers['content-length'];
    if (content !== undefined && headers['content-type'] === undefined) {
      headers['content-type'] = 'application/json';
    }
    if (request.headers.origin !== undefined) headers.origin = String(request.headers.origin);
    const path = request.url.split('?')[0] ?? '';
    const search = params.toString();
    const inner = await app.inject({
      method: method as 'GET' | 'PUT' | 'POST' | 'DELETE',
      url: search === '' ? path : `${path}?${search}`,
      headers,
      ...(content === undefined ? {} : { payload: content }),
    });
    for (const [name, value] of Object.entries(inner.headers)) {
      if (value !== undefined && !FRAMING.has(name)) reply.header(name, value);
    }
    return reply.code(inner.statusCode).send(inner.rawPayload);
  });
}
