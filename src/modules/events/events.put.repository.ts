import type pg from 'pg';
import { Grouped, groupedFor } from '../../db/grouped.ts';
import { type EventVersion, UPSERT_TAIL } from './events.repository.ts';

/** A new version of one event, with the time it was received (its `updated_at` and `recorded_at`). */
export interface QueuedVersion extends EventVersion {
  readonly receivedAt: Date;
  /** EventData as JSON text when the caller has it already (validation measured it). */
  readonly dataJson?: string | undefined;
}

export interface StoredOutcome {
  readonly eventId: string;
  readonly revision: number;
  readonly changed: boolean;
}

/*
 * The single-event PUT in ONE statement: upsert of the current row, its revision in event_changes (history
 * and feed position), no-op for an identical repeat (see upsertEvents in events.repository.ts for the
 * ordering rules; this is the same statement with a receive time per row). The events travel as one jsonb
 * array so that any number of them share one prepared statement.
 */
const UPSERT = {
  name: 'events_put_v1',
  text: `
    with x as materialized (
      select * from jsonb_to_recordset($1::jsonb) as x(event_id text, program_id text, member_id text,
        event_type text, start_at timestamptz, end_at timestamptz, data jsonb, reference_event_id text,
        at timestamptz)
    ),
    up as (
      insert into stored_events as s (event_id, program_id, member_id, event_type, start_at, end_at, data,
                                      reference_event_id, revision, created_at, updated_at)
      select event_id, program_id, member_id, event_type, start_at, end_at, data, reference_event_id,
             1, at, at
      from x order by event_id
      ${UPSERT_TAIL}
    select event_id, revision from up`,
};

/** Identical repeats store nothing; their revision is read afterwards (a fresh snapshot: the latest one). */
const REVISIONS = {
  name: 'events_put_revisions_v1',
  text: 'select event_id, revision from stored_events where event_id = any($1::text[])',
};

function versionJson(v: EventVersion & { readonly dataJson?: string | undefined }, at: string): string {
  return (
    `{"event_id":${JSON.stringify(v.eventId)},"program_id":${JSON.stringify(v.programId)},` +
    `"member_id":${JSON.stringify(v.memberId)},"event_type":${JSON.stringify(v.eventType)},` +
    `"start_at":"${v.startAt.toISOString()}","end_at":"${v.endAt.toISOString()}",` +
    `"data":${v.dataJson ?? JSON.stringify(v.data)},` +
    `"reference_event_id":${v.referenceEventId === null ? 'null' : JSON.stringify(v.referenceEventId)},` +
    `"at":"${at}"}`
  );
}

/**
 * Stores distinct events in one autocommitted statement (atomic by itself); the outcome of each, in input
 * order. Used for grouped PUTs (each with its own receive time) and for batches without repeated ids (one
 * receive time for all: `receivedAt`).
 */
export async function storeDistinct(
  pool: pg.Pool,
  group: readonly (EventVersion & { readonly receivedAt?: Date; readonly dataJson?: string | undefined })[],
  receivedAt?: Date,
): Promise<StoredOutcome[]> {
  const shared = receivedAt?.toISOString();
  let json = '[';
  for (let i = 0; i < group.length; i++) {
    const v = group[i];
    const at = shared ?? v?.receivedAt?.toISOString();
    if (v && at) json += (i === 0 ? '' : ',') + versionJson(v, at);
  }
  json += ']';
  const result = await pool.query<{ event_id: string; revision: number }>({ ...UPSERT, values: [json] });
  const changed = new Map<string, number>();
  for (const row of result.rows) changed.set(row.event_id, row.revision);
  let current: Map<string, number> | undefined;
  if (changed.size < group.length) {
    const repeats = group.filter((v) => !changed.has(v.eventId)).map((v) => v.eventId);
    const rows = await pool.query<{ event_id: string; revision: number }>({
      ...REVISIONS,
      values: [repeats],
    });
    current = new Map(rows.rows.map((r) => [r.event_id, r.revision]));
  }
  return group.map((v) => {
    const revision = changed.get(v.eventId);
    return revision === undefined
      ? { eventId: v.eventId, revision: current?.get(v.eventId) ?? 0, changed: false }
      : { eventId: v.eventId, revision, changed: true };
  });
}

/** Statements of concurrent PUTs in flight at once; the rest wait and are then stored together. */
const MAX_IN_FLIGHT = 4;
const MAX_GROUP = 256;

/**
 * Single PUTs, stored with as few statements as the load allows. A PUT that arrives while MAX_IN_FLIGHT
 * statements are already running waits for one of them and is then stored together with the other PUTs that
 * waited meanwhile, in one statement (one transaction, one WAL flush). Nothing is delayed on purpose: with a
 * free slot a PUT is sent in the same turn of the event loop, along with whatever arrived in that turn. Each
 * PUT is answered only after the statement that holds it has committed, so durability is that of a PUT on
 * its own. Two PUTs of the same event never share a statement (PostgreSQL cannot upsert a row twice in one
 * statement); the later one waits for the next. If a shared statement fails, its PUTs are retried one by one,
 * so one event can only fail itself.
 */
export type PutQueue = Grouped<QueuedVersion, StoredOutcome>;

const queues = new WeakMap<pg.Pool, PutQueue>();

export function putQueueFor(pool: pg.Pool): PutQueue {
  return groupedFor(
    queues,
    pool,
    () =>
      new Grouped<QueuedVersion, StoredOutcome>({
        maxInFlight: MAX_IN_FLIGHT,
        maxGroup: MAX_GROUP,
        run: (group) => storeDistinct(pool, group),
        key: (version) => version.eventId,
        duplicates: 'apart',
      }),
  );
}
