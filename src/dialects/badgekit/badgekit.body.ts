import type { IncomingMessage } from 'node:http';
import { Busboy } from '@fastify/busboy';
import { AppError } from '../../errors/index.ts';

/**
 * BadgeKit bodies: JSON, urlencoded or multipart (an `image` file). The raw bytes are kept for the JWT body
 * hash, which covers them exactly as received.
 */
const raw = new WeakMap<IncomingMessage, Buffer>();

export function rawBody(req: IncomingMessage): Buffer {
  return raw.get(req) ?? Buffer.alloc(0);
}

export const MAX_BODY = 1024 * 1024;

function unsupported(type: string) {
  return new AppError('request.unsupported_media_type', type);
}

function urlencoded(text: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of new URLSearchParams(text)) {
    const key = k.endsWith('[]') ? k.slice(0, -2) : k;
    const prev = out[key];
    if (k.endsWith('[]') || prev !== undefined)
      out[key] = [...(Array.isArray(prev) ? prev : prev === undefined ? [] : [prev]), v];
    else out[key] = v;
  }
  return out;
}

function multipart(body: Buffer, contentType: string): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const out: Record<string, unknown> = {};
    const bb = new Busboy({
      headers: { 'content-type': contentType },
      limits: { fileSize: MAX_BODY, files: 2, fields: 100 },
    });
    bb.on('field', (name: string, value: string) => {
      out[name] = value;
    });
    bb.on(
      'file',
      (name: string, stream: NodeJS.ReadableStream, _filename: string, _enc: string, mimetype: string) => {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          out[name] = { data: Buffer.concat(chunks), mimetype };
        });
      },
    );
    bb.on('finish', () => resolve(out));
    bb.on('error', (e: unknown) =>
      reject(new AppError('request.invalid', `Malformed multipart body: ${String(e)}`)),
    );
    bb.end(body);
  });
}

/** Parses the body by its content type; anything else is BadgeKit's 415. An empty body is `{}`. */
export async function parseBody(req: IncomingMessage, body: Buffer): Promise<Record<string, unknown>> {
  raw.set(req, body);
  const type = (req.headers['content-type'] ?? '').toLowerCase();
  if (body.length === 0) return {};
  if (type.startsWith('application/json')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(body.toString('utf8'));
    } catch {
      throw new AppError('request.malformed_json', 'Invalid JSON in request body');
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      throw new AppError('request.malformed_json', 'The request body must be a JSON object');
    }
    return parsed as Record<string, unknown>;
  }
  if (type.startsWith('application/x-www-form-urlencoded')) return urlencoded(body.toString('utf8'));
  if (type.startsWith('multipart/form-data')) return multipart(body, req.headers['content-type'] ?? '');
  throw unsupported(req.headers['content-type'] ?? 'application/octet-stream');
}
