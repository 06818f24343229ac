import { createHash } from 'node:crypto';
import { at, fail, index } from './errors.ts';
import { isSha2Hex } from './formats.ts';
import type { XapiAttachment, XapiStatement } from './types.ts';

export interface XapiPart {
  contentType: string;
  sha2: string;
  body: Buffer;
  headers: Record<string, string>;
}

const CRLF = Buffer.from('\r\n');

function boundaryOf(contentType: string): string {
  const [type, ...params] = contentType.split(';');
  if (type?.trim().toLowerCase() !== 'multipart/mixed') fail('Content-Type', 'must be multipart/mixed');
  for (const param of params) {
    const eq = param.indexOf('=');
    if (eq === -1 || param.slice(0, eq).trim().toLowerCase() !== 'boundary') continue;
    const raw = param.slice(eq + 1).trim();
    const boundary = raw.startsWith('"') && raw.endsWith('"') && raw.length >= 2 ? raw.slice(1, -1) : raw;
    if (boundary.length === 0 || boundary.length > 70)
      fail('Content-Type', 'boundary must be 1 to 70 characters');
    return boundary;
  }
  return fail('Content-Type', 'multipart/mixed needs a boundary parameter');
}

function parseHeaders(block: string, path: string): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const line of block.split('\r\n')) {
    if (line === '') continue;
    const colon = line.indexOf(':');
    if (colon <= 0) fail(path, `has a malformed header line "${line.slice(0, 40)}"`);
    headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return headers;
}

/** Splits a multipart body on its boundary (RFC 2046 5.1.1); refuses one without the closing delimiter. */
function splitParts(body: Buffer, boundary: string): Buffer[] {
  const delimiter = Buffer.from(`--${boundary}`);
  const between = Buffer.concat([CRLF, delimiter]);
  let start = body.subarray(0, delimiter.length).equals(delimiter) ? 0 : body.indexOf(between);
  if (start === -1) fail('body', 'does not contain the multipart boundary');
  start += start === 0 ? delimiter.length : between.length;
  const parts: Buffer[] = [];
  for (;;) {
    if (body.subarray(start, start + 2).toString() === '--') return parts;
    // Transport padding (linear whitespace) may follow a delimiter before its CRLF.
    let lineEnd = body.indexOf(CRLF, start);
    if (lineEnd === -1) fail('body', 'ends without the closing multipart boundary');
    if (body.subarray(start, lineEnd).toString().trim() !== '')
      fail('body', 'has text after a multipart boundary');
    lineEnd += CRLF.length;
    const next = body.indexOf(between, lineEnd);
    if (next === -1) fail('body', 'ends without the closing multipart boundary');
    parts.push(body.subarray(lineEnd, next));
    start = next + between.length;
  }
}

function splitPart(part: Buffer, path: string): { headers: Record<string, string>; body: Buffer } {
  if (part.subarray(0, 2).equals(CRLF)) return { headers: {}, body: part.subarray(2) };
  const end = part.indexOf('\r\n\r\n');
  if (end === -1) fail(path, 'has no blank line after its headers');
  return {
    headers: parseHeaders(part.subarray(0, end).toString('latin1'), path),
    body: part.subarray(end + 4),
  };
}

const HASH_OF_LENGTH: Record<number, string> = { 56: 'sha224', 64: 'sha256', 96: 'sha384', 128: 'sha512' };

/**
 * A `multipart/mixed` statement request (Communication 1.5.2): the first part is the statements
 * as application/json; each other part is one attachment with `X-Experience-API-Hash` (its SHA-2,
 * checked against the bytes) and `Content-Transfer-Encoding: binary`.
 */
export function parseMultipartMixed(
  body: Buffer,
  contentType: string,
): { statementsJson: unknown; parts: XapiPart[] } {
  const [first, ...rest] = splitParts(body, boundaryOf(contentType));
  if (first === undefined) fail('body', 'has no parts');
  const statements = splitPart(first, 'parts[0]');
  const firstType = statements.headers['content-type']?.split(';')[0]?.trim().toLowerCase();
  if (firstType !== 'application/json')
    fail('parts[0].Content-Type', 'the first part must be application/json');
  let statementsJson: unknown;
  try {
    statementsJson = JSON.parse(statements.body.toString('utf8')) as unknown;
  } catch {
    fail('parts[0]', 'is not valid JSON');
  }
  const parts = rest.map((raw, i) => {
    const path = index('parts', i + 1);
    const { headers, body: content } = splitPart(raw, path);
    const type = headers['content-type'];
    if (type === undefined) fail(at(path, 'Content-Type'), 'is required');
    if (headers['content-transfer-encoding']?.toLowerCase() !== 'binary') {
      fail(at(path, 'Content-Transfer-Encoding'), 'must be binary');
    }
    const sha2 = headers['x-experience-api-hash']?.toLowerCase();
    if (sha2 === undefined) fail(at(path, 'X-Experience-API-Hash'), 'is required');
    if (!isSha2Hex(sha2)) fail(at(path, 'X-Experience-API-Hash'), 'must be a SHA-2 hash in hex');
    const algorithm = HASH_OF_LENGTH[sha2.length] ?? 'sha256';
    if (createHash(algorithm).update(content).digest('hex') !== sha2) {
      fail(at(path, 'X-Experience-API-Hash'), 'does not match the part content');
    }
    return { contentType: type, sha2, body: content, headers };
  });
  return { statementsJson, parts };
}

function attachmentsOf(statement: XapiStatement): XapiAttachment[] {
  const own = statement.attachments ?? [];
  const object = statement.object;
  return object.objectType === 'SubStatement' ? [...own, ...(object.attachments ?? [])] : own;
}

/**
 * Every attachment without a fileUrl has a part with its sha2, and every part belongs to an
 * attachment (Communication 1.5.2; XAPI-00115 for signatures).
 */
export function checkAttachments(statements: readonly XapiStatement[], parts: readonly XapiPart[]): void {
  const partHashes = new Set(parts.map((part) => part.sha2.toLowerCase()));
  const declared = new Set<string>();
  statements.forEach((statement, s) => {
    attachmentsOf(statement).forEach((attachment, a) => {
      const sha2 = attachment.sha2.toLowerCase();
      declared.add(sha2);
      if (attachment.fileUrl === undefined && !partHashes.has(sha2)) {
        fail(
          at(index(at(index('statements', s), 'attachments'), a), 'sha2'),
          'has no multipart part with this hash',
        );
      }
    });
  });
  parts.forEach((part, i) => {
    if (!declared.has(part.sha2.toLowerCase())) {
      fail(at(index('parts', i + 1), 'X-Experience-API-Hash'), 'matches no attachment of the statements');
    }
  });
}
