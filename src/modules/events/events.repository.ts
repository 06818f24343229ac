import { and, asc, eq, inArray, lt, or, sql } from 'drizzle-orm';
import type { Executor } from '../../db/client.ts';
import { eventChanges, storedEvents } from './events.tables.ts';

export type StoredEventRow = typeof storedEvents.$inferSelect;
export type NewStoredEvent = typeof storedEvents.$inferInsert;
export type ChangeRow = typeof eventChanges.$inferSelect;
export type NewChange = Omit<typeof eventChanges.$inferInsert, 'seq' | 'tx'>;

export async function findEvents(db: Executor, eventIds: readonly string[]): Promise<StoredEventRow[]> {
  if (eventIds.length === 0) return [];
  if (eventIds.length === 1 && eventIds[0] !== undefined) {
    return db.select().from(storedEvents).where(eq(storedEvents.eventId, eventIds[0]));
  }
  return db
    .select()
    .from(storedEvents)
    .where(
      sql`${storedEvents.eventId} in (select jsonb_array_elements_text(${JSON.stringify(eventIds)}::jsonb))`,
    );
}

const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);

/*
 * Batches travel as ONE jsonb parameter expanded by jsonb_to_recordset: thousands of bind parameters (and
 * building them) cost far more than PostgreSQL parsing one JSON document. This is what lets a 1,000-event
 * batch be stored in a few milliseconds.
 */

export interface EventVersion {
  readonly eventId: string;
  readonly programId: string;
  readonly memberId: string;
  readonly eventType: string;
  readonly startAt: Date;
  readonly endAt: Date;
  readonly data: Record<string, unknown>;
  readonly referenceEventId: string | null;
}

/**
 * The part of an event upsert that the single PUT (events.put.repository.ts) and the batch share: replace the
 * current row unless nothing changed (an identical repeat is a no-op and gets no revision), then record the
 * new revision in event_changes at the row's feed position. Follows a `select` of the incoming rows.
 */
export const UPSERT_TAIL = `
      on conflict (event_id) do update set
        member_id = excluded.member_id, event_type = excluded.event_type, start_at = excluded.start_at,
        end_at = excluded.end_at, data = excluded.data, reference_event_id = excluded.reference_event_id,
        revision = s.revision + 1, updated_at = excluded.updated_at,
        feed_tx = greatest(pg_current_xact_id(), s.feed_tx)
      where (s.member_id, s.event_type, s.start_at, s.end_at, s.data, s.reference_event_id)
        is distinct from (excluded.member_id, excluded.event_type, excluded.start_at, excluded.end_at,
                          excluded.data, excluded.reference_event_id)
      returning s.*
    ),
    changes as (
      insert into event_changes (tx, event_id, revision, kind, program_id, member_id, event_type, start_at,
                                 end_at, data, reference_event_id, recorded_at)
      select feed_tx, event_id, revision, 'put', program_id, member_id, event_type, start_at, end_at, data,
             reference_event_id, updated_at
      from up order by event_id
    )
`;

/**
 * Stores new versions of events (ids must be distinct) in ONE statement and returns the ids that changed with
 * their new revision. An event whose content equals the stored one is left alone (an identical repeat is a
 * no-op) and is absent from the result. ON CONFLICT ... DO UPDATE locks the existing row and computes the
 * revision from its latest committed version, so concurrent writers of one id get consecutive revisions
 * without any lock of our own; each stored revision gets its change row (history and feed) in the same
 * statement. The change's feed position `tx` is this transaction's id, or the previous change's if that is
 * higher (a transaction that began earlier may update an event after a later one did): never lower than the
 * writer's own id, which the feed's horizon rule needs, and never lower than the event's previous change,
 * so a consumer sees an event's revisions in order. Rows go in id order so that two overlapping batches lock rows in the same order.
 */
export async function upsertEvents(
  db: Executor,
  versions: readonly EventVersion[],
  now: Date,
): Promise<{ eventId: string; revision: number }[]> {
  if (versions.length === 0) return [];
  const json = JSON.stringify(
    versions.map((v) => ({
      event_id: v.eventId,
      program_id: v.programId,
      member_id: v.memberId,
      event_type: v.eventType,
      start_at: v.startAt.toISOString(),
      end_at: v.endAt.toISOString(),
      data: v.data,
      reference_event_id: v.referenceEventId,
    })),
  );
  const result = await db.execute<{ event_id: string; revision: number }>(sql`
    with up as (
      insert into stored_events as s (event_id, program_id, member_id, event_type, start_at, end_at, data,
                                      reference_event_id, revision, created_at, updated_at)
      select event_id, program_id, member_id, event_type, start_at, end_at, data, reference_event_id, 1,
             ${now.toISOString()}::timestamptz, ${now.toISOString()}::timestamptz
      from jsonb_to_recordset(${json}::jsonb) as x(event_id text, program_id text, member_id text,
        event_type text, start_at timestamptz, end_at timestamptz, data jsonb, reference_event_id text)
      order by event_id
      ${sql.raw(UPSERT_TAIL)}
    select event_id, revision from up`);
  return result.rows.map((r) => ({ eventId: r.event_id, revision: Number(r.revision) }));
}

/** Current revisions of the given events. */
export async function currentRevisions(
  db: Executor,
  eventIds: readonly string[],
): Promise<Map<string, number>> {
  const rows = await findEvents(db, eventIds);
  return new Map(rows.map((r) => [r.eventId, r.revision]));
}

/** Appends change rows in one statement, in list order; `after` raises a row's feed position (see upsertEvents). */
export async function appendChanges(
  tx: Executor,
  rows: readonly (NewChange & { readonly after?: string })[],
): Promise<void> {
  if (rows.length === 0) return;
  const json = JSON.stringify(
    rows.map((r, n) => ({
      n,
      after: r.after ?? '0',
      event_id: r.eventId,
      revision: r.revision,
      kind: r.kind,
      program_id: r.programId,
      member_id: r.memberId ?? null,
      event_type: r.eventType,
      start_at: iso(r.startAt),
      end_at: iso(r.endAt),
      data: r.data ?? null,
      reference_event_id: r.referenceEventId ?? null,
      recorded_at: iso(r.recordedAt),
    })),
  );
  await tx.execute(sql`
    insert into event_changes (tx, event_id, revision, kind, program_id, member_id, event_type, start_at,
                               end_at, data, reference_event_id, recorded_at)
    select greatest(pg_current_xact_id(), after::xid8), event_id, revision, kind, program_id, member_id,
           event_type, start_at, end_at, data, reference_event_id, recorded_at
    from jsonb_to_recordset(${json}::jsonb) as x(n int, after text, event_id text, revision int, kind text,
      program_id text, member_id text, event_type text, start_at timestamptz, end_at timestamptz, data jsonb,
      reference_event_id text, recorded_at timestamptz)
    order by n`);
}

export async function revisionsOf(db: Executor, eventId: string, max: number): Promise<ChangeRow[]> {
  return db
    .select()
    .from(eventChanges)
    .where(and(eq(eventChanges.eventId, eventId), eq(eventChanges.kind, 'put')))
    .orderBy(asc(eventChanges.revision))
    .limit(max);
}

/**
 * Deletes the member's events in the given programs and every change row that names the member (or belongs
 * to a deleted event); returns the deleted current rows.
 */
export async function deleteMemberEvents(
  tx: Executor,
  memberId: string,
  programIds: readonly string[],
): Promise<StoredEventRow[]> {
  const deleted = await tx
    .delete(storedEvents)
    .where(and(eq(storedEvents.memberId, memberId), inArray(storedEvents.programId, [...programIds])))
    .returning();
  const gone = deleted.map((d) => d.eventId);
  await tx
    .delete(eventChanges)
    .where(
      and(
        inArray(eventChanges.programId, [...programIds]),
        gone.length > 0
          ? or(eq(eventChanges.memberId, memberId), inArray(eventChanges.eventId, gone))
          : eq(eventChanges.memberId, memberId),
      ),
    );
  return deleted;
}

/**
 * Retention: removes up to `max` events last changed before `cutoff` with all their changes, and change
 * rows (old revisions, tombstones) recorded before it. Returns how many events went, so callers loop.
 */
export async function deleteOlderThan(tx: Executor, cutoff: Date, max: number): Promise<number> {
  const victims = tx
    .select({ id: storedEvents.eventId })
    .from(storedEvents)
    .where(lt(storedEvents.updatedAt, cutoff))
    .limit(max);
  const deleted = await tx
    .delete(storedEvents)
    .where(inArray(storedEvents.eventId, victims))
    .returning({ eventId: storedEvents.eventId });
  if (deleted.length > 0) {
    await tx.delete(eventChanges).where(
      inArray(
        eventChanges.eventId,
        deleted.map((d) => d.eventId),
      ),
    );
  }
  await tx.delete(eventChanges).where(lt(eventChanges.recordedAt, cutoff));
  return deleted.length;
}
