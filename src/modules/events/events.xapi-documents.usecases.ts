import { createHash } from 'node:crypto';
import { withTransaction } from '../../db/client.ts';
import type { Principal } from '../../http/principal.ts';
import type { EventsContext } from './events.usecases.ts';
import { xapiDocumentErrors as fail } from './events.xapi.errors.ts';
import {
  type DocumentSet,
  deleteDocument,
  deleteDocuments,
  findDocument,
  listDocumentIds,
  lockDocumentKey,
  upsertDocument,
} from './events.xapi-documents.repository.ts';

export type { DocumentSet } from './events.xapi-documents.repository.ts';

/** The largest document stored (413 above it); xAPI lets an LRS choose. */
export const XAPI_DOCUMENT_MAX_BYTES = 1024 * 1024;
/** The most ids one list answer holds. */
export const XAPI_DOCUMENT_LIST_MAX = 10_000;

export interface XapiDocument {
  readonly contentType: string;
  readonly content: Buffer;
  /** Quoted, as the ETag header carries it. */
  readonly etag: string;
  readonly updatedAt: Date;
}

/** The preconditions a write carries (undefined: header absent). */
export interface Preconditions {
  readonly ifMatch: string | undefined;
  readonly ifNoneMatch: string | undefined;
}

/**
 * Whose documents a credential reads and writes: a program key's program, or an app (a person's
 * token through an app shares the app's documents). Another owner's documents do not exist for it.
 */
export function xapiDocumentScope(principal: Principal): string {
  if (principal.kind === 'program_key' && principal.programIds[0] !== undefined)
    return `program:${principal.programIds[0]}`;
  if (principal.kind === 'app' || principal.kind === 'app_user') return `app:${principal.appId}`;
  throw fail.forbidden();
}

const sha1 = (content: Buffer) => createHash('sha1').update(content).digest('hex');

const mediaType = (contentType: string) => (contentType.split(';')[0] ?? '').trim().toLowerCase();

function tags(header: string): string[] {
  return header.split(',').map((tag) =>
    tag
      .trim()
      .replace(/^W\//, '')
      .replace(/^"(.*)"$/, '$1')
      .toLowerCase(),
  );
}

/**
 * RFC 7232 preconditions as xAPI 1.0.3 Communication 3.1 applies them: If-Match fails when the
 * document is absent or its ETag is not listed; If-None-Match fails when it exists and the header is
 * * or lists its ETag. Either failure is a 412 and changes nothing.
 */
function checkPreconditions(current: { sha1: string } | undefined, pre: Preconditions): void {
  if (pre.ifMatch !== undefined) {
    const listed = tags(pre.ifMatch);
    if (current === undefined) throw fail.preconditionFailed('If-Match', 'there is no document to match.');
    if (!listed.includes('*') && !listed.includes(current.sha1)) {
      throw fail.preconditionFailed('If-Match', `the document's ETag is now "${current.sha1}".`);
    }
  }
  if (pre.ifNoneMatch !== undefined && current !== undefined) {
    const listed = tags(pre.ifNoneMatch);
    if (listed.includes('*') || listed.includes(current.sha1)) {
      throw fail.preconditionFailed('If-None-Match', 'the document exists already.');
    }
  }
}

/** Key parts are indexed (a btree entry holds about 2.7 kB), so each has a byte limit. */
const KEY_LIMITS: readonly [keyof DocumentSet | 'documentId', string, number][] = [
  ['activityId', 'activityId', 1024],
  ['agent', 'agent', 512],
  ['documentId', 'document id', 512],
];

function checkKey(set: DocumentSet, documentId: string | undefined): void {
  const parts: Record<string, string | undefined> = { ...set, documentId };
  for (const [key, field, limit] of KEY_LIMITS) {
    if (Buffer.byteLength(parts[key] ?? '') > limit)
      throw fail.invalid(field, `is longer than ${limit} bytes.`);
  }
}

function checkContent(contentType: string, content: Buffer): void {
  if (content.length > XAPI_DOCUMENT_MAX_BYTES) throw fail.tooLarge(XAPI_DOCUMENT_MAX_BYTES);
  if (mediaType(contentType) === 'application/json') parseJson(content, 'content');
}

function parseJson(content: Buffer, field: string): unknown {
  try {
    return JSON.parse(content.toString('utf8')) as unknown;
  } catch {
    throw fail.invalid(field, 'the Content-Type is application/json but the content is not valid JSON.');
  }
}

function isJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export async function getXapiDocument(
  ctx: EventsContext,
  set: DocumentSet,
  documentId: string,
): Promise<XapiDocument | undefined> {
  checkKey(set, documentId);
  const row = await findDocument(ctx.deps.db, set, documentId);
  if (row === undefined) return undefined;
  return {
    contentType: row.contentType,
    content: row.content,
    etag: `"${row.sha1}"`,
    updatedAt: row.updatedAt,
  };
}

/** The ids of the set's documents (changed after `since`), and when the newest of them changed. */
export async function listXapiDocumentIds(
  ctx: EventsContext,
  set: DocumentSet,
  since: Date | undefined,
): Promise<{ ids: string[]; lastModified: Date | undefined }> {
  checkKey(set, undefined);
  const rows = await listDocumentIds(ctx.deps.db, set, since, XAPI_DOCUMENT_LIST_MAX);
  const newest = rows.reduce<Date | undefined>(
    (max, r) => (max === undefined || r.updatedAt > max ? r.updatedAt : max),
    undefined,
  );
  return { ids: rows.map((r) => r.documentId), lastModified: newest };
}

export interface WriteInput {
  readonly set: DocumentSet;
  readonly documentId: string;
  readonly contentType: string;
  readonly content: Buffer;
  readonly preconditions: Preconditions;
}

/**
 * PUT: stores or replaces the document. Activity and Agent Profiles refuse to replace an existing
 * document blind (no If-Match/If-None-Match: 409); the State resource permits it (Communication 3.1).
 */
export async function putXapiDocument(ctx: EventsContext, input: WriteInput): Promise<{ etag: string }> {
  checkKey(input.set, input.documentId);
  checkContent(input.contentType, input.content);
  return withTransaction(ctx.deps.db, async (tx) => {
    await lockDocumentKey(tx, input.set, input.documentId);
    const current = await findDocument(tx, input.set, input.documentId);
    checkPreconditions(current, input.preconditions);
    const blind = input.preconditions.ifMatch === undefined && input.preconditions.ifNoneMatch === undefined;
    if (current !== undefined && blind && input.set.kind !== 'state') throw fail.conflict();
    return store(ctx, tx, input, input.contentType, input.content);
  });
}

async function store(
  ctx: EventsContext,
  tx: Parameters<typeof upsertDocument>[0],
  input: WriteInput,
  contentType: string,
  content: Buffer,
): Promise<{ etag: string }> {
  const hash = sha1(content);
  await upsertDocument(tx, {
    ...input.set,
    documentId: input.documentId,
    contentType,
    content,
    sha1: hash,
    updatedAt: ctx.deps.clock.now(),
  });
  return { etag: `"${hash}"` };
}

/**
 * POST: a new document is stored as a PUT would; an existing one is merged when both are JSON
 * objects sent as application/json (a shallow merge, the posted values winning: XAPI-00183..00186),
 * otherwise 400 and nothing changes.
 */
export async function postXapiDocument(ctx: EventsContext, input: WriteInput): Promise<{ etag: string }> {
  checkKey(input.set, input.documentId);
  checkContent(input.contentType, input.content);
  return withTransaction(ctx.deps.db, async (tx) => {
    await lockDocumentKey(tx, input.set, input.documentId);
    const current = await findDocument(tx, input.set, input.documentId);
    checkPreconditions(current, input.preconditions);
    if (current === undefined) return store(ctx, tx, input, input.contentType, input.content);
    if (mediaType(current.contentType) !== 'application/json') {
      throw fail.invalid(
        'Content-Type',
        'the stored document is not application/json, so it cannot be merged; PUT it instead.',
      );
    }
    if (mediaType(input.contentType) !== 'application/json') {
      throw fail.invalid('Content-Type', 'a POST to an existing JSON document must be application/json.');
    }
    const posted = parseJson(input.content, 'content');
    const stored = parseJson(current.content, 'stored document');
    if (!isJsonObject(posted))
      throw fail.invalid('content', 'must be a JSON object to merge into the stored document.');
    if (!isJsonObject(stored))
      throw fail.invalid('content', 'the stored document is not a JSON object, so it cannot be merged.');
    const merged = Buffer.from(JSON.stringify({ ...stored, ...posted }));
    if (merged.length > XAPI_DOCUMENT_MAX_BYTES) throw fail.tooLarge(XAPI_DOCUMENT_MAX_BYTES);
    return store(ctx, tx, input, 'application/json', merged);
  });
}

/** DELETE of one document (If-Match honoured); deleting an absent document is a success. */
export async function deleteXapiDocument(
  ctx: EventsContext,
  set: DocumentSet,
  documentId: string,
  preconditions: Preconditions,
): Promise<void> {
  checkKey(set, documentId);
  await withTransaction(ctx.deps.db, async (tx) => {
    await lockDocumentKey(tx, set, documentId);
    checkPreconditions(await findDocument(tx, set, documentId), preconditions);
    await deleteDocument(tx, set, documentId);
  });
}

/** DELETE of every State document of an activity, agent and registration. */
export async function deleteXapiDocuments(ctx: EventsContext, set: DocumentSet): Promise<number> {
  checkKey(set, undefined);
  return deleteDocuments(ctx.deps.db, set);
}
