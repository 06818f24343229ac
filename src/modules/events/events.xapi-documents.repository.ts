import { and, asc, eq, gt, type SQL, sql } from 'drizzle-orm';
import type { Executor } from '../../db/client.ts';
import { xapiDocuments } from './events.xapi-documents.tables.ts';

export type XapiDocumentRow = typeof xapiDocuments.$inferSelect;

/** Which documents: everything but the document id, which `find`/`remove` add. */
export interface DocumentSet {
  readonly scope: string;
  readonly kind: 'state' | 'activity_profile' | 'agent_profile';
  readonly activityId: string;
  readonly agent: string;
  /** '' for documents without one: a registration is part of a State's identity. */
  readonly registration: string;
}

function inSet(set: DocumentSet): SQL | undefined {
  return and(
    eq(xapiDocuments.scope, set.scope),
    eq(xapiDocuments.kind, set.kind),
    eq(xapiDocuments.activityId, set.activityId),
    eq(xapiDocuments.agent, set.agent),
    eq(xapiDocuments.registration, set.registration),
  );
}

export async function findDocument(
  db: Executor,
  set: DocumentSet,
  documentId: string,
): Promise<XapiDocumentRow | undefined> {
  const [row] = await db
    .select()
    .from(xapiDocuments)
    .where(and(inSet(set), eq(xapiDocuments.documentId, documentId)))
    .limit(1);
  return row;
}

export async function upsertDocument(db: Executor, row: XapiDocumentRow): Promise<void> {
  await db
    .insert(xapiDocuments)
    .values(row)
    .onConflictDoUpdate({
      target: [
        xapiDocuments.scope,
        xapiDocuments.kind,
        xapiDocuments.activityId,
        xapiDocuments.agent,
        xapiDocuments.registration,
        xapiDocuments.documentId,
      ],
      set: { contentType: row.contentType, content: row.content, sha1: row.sha1, updatedAt: row.updatedAt },
    });
}

/** Ids (and update times) of the documents in the set, changed after `since` when given. */
export async function listDocumentIds(
  db: Executor,
  set: DocumentSet,
  since: Date | undefined,
  limit: number,
): Promise<{ documentId: string; updatedAt: Date }[]> {
  return db
    .select({ documentId: xapiDocuments.documentId, updatedAt: xapiDocuments.updatedAt })
    .from(xapiDocuments)
    .where(and(inSet(set), since === undefined ? undefined : gt(xapiDocuments.updatedAt, since)))
    .orderBy(asc(xapiDocuments.documentId))
    .limit(limit);
}

export async function deleteDocument(db: Executor, set: DocumentSet, documentId: string): Promise<void> {
  await db.delete(xapiDocuments).where(and(inSet(set), eq(xapiDocuments.documentId, documentId)));
}

export async function deleteDocuments(db: Executor, set: DocumentSet): Promise<number> {
  const rows = await db.delete(xapiDocuments).where(inSet(set)).returning({ id: xapiDocuments.documentId });
  return rows.length;
}

/**
 * Serialises writers of one document for the rest of the transaction (also when it does not exist
 * yet, which a row lock cannot do), so If-None-Match: * and If-Match decide on what is really there.
 */
export async function lockDocumentKey(db: Executor, set: DocumentSet, documentId: string): Promise<void> {
  const key = JSON.stringify([set.scope, set.kind, set.activityId, set.agent, set.registration, documentId]);
  await db.execute(sql`select pg_advisory_xact_lock(hashtextextended(${key}, 0))`);
}
