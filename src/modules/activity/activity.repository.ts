import { and, eq, type SQL, sql } from 'drizzle-orm';
import type pg from 'pg';
import type { Executor } from '../../db/client.ts';
import { Grouped, groupedFor } from '../../db/grouped.ts';
import { liveGrantCondition } from '../oauth/index.ts';
import { activities, activitySettings } from './activity.tables.ts';

export type ActivityRow = typeof activities.$inferSelect;
export type NewActivityRow = typeof activities.$inferInsert & { publishedAt: Date };

/** A Postgres bigint[] literal: drizzle would expand a JS array into separate parameters. */
const bigintArray = (hashes: readonly bigint[]) => `{${hashes.join(',')}}`;

function valuesOf(row: NewActivityRow): SQL {
  return sql`(${row.id}::uuid, ${row.appId ?? null}::uuid, ${row.appActivityId ?? null}::text,
    ${row.sourceEventId ?? null}::uuid, ${row.actorUserId ?? null}::uuid, ${row.actorUrl ?? null}::text,
    ${row.verb}::text, ${row.verbUrl ?? null}::text, ${row.object}::text, ${row.target ?? null}::text,
    ${row.course ?? null}::text, ${row.message ?? null}::text, ${row.contentHash}::text,
    ${row.publishedAt.toISOString()}::timestamptz, ${row.createdAt.toISOString()}::timestamptz,
    ${row.updatedAt.toISOString()}::timestamptz, ${row.objectName ?? null}::text)`;
}

const COLUMNS =
  sql.raw(`(id, app_id, app_activity_id, source_event_id, actor_user_id, actor_url, verb, verb_url,
  object, target, course, message, content_hash, published_at, created_at, updated_at, object_name)`);

/**
 * Inserts an activity and its feed-index rows in ONE statement (atomic without a transaction round trip;
 * this is the publish hot path). `onConflict` makes the insert a no-op when the app's id or the source
 * event is already known. Returns whether the activity was inserted.
 */
export async function insertActivity(
  db: Executor,
  row: NewActivityRow,
  hashes: readonly bigint[],
  onConflict: 'error' | 'app_activity' | 'source_event' = 'error',
): Promise<boolean> {
  const conflict =
    onConflict === 'app_activity'
      ? sql.raw('on conflict (app_id, app_activity_id) where app_activity_id is not null do nothing')
      : onConflict === 'source_event'
        ? sql.raw('on conflict (source_event_id) where source_event_id is not null do nothing')
        : sql.raw('');
  const result = await db.execute(sql`with a as (
      insert into activities ${COLUMNS} values ${valuesOf(row)} ${conflict} returning id, published_at
    )
    insert into activity_nouns (noun_hash, published_at, activity_id)
    select h, a.published_at, a.id from a, unnest(${bigintArray(hashes)}::bigint[]) as h`);
  return (result.rowCount ?? 0) > 0;
}

/**
 * The publish hot path (POST, no app id, no transaction) as ONE named prepared statement for any number of
 * activities: the permission check (with an actor, the app must hold the person's live grant for the scope,
 * asked of the oauth module's rows at this very moment), the activities and their feed-index rows. An
 * activity whose check fails is not written. The activities travel as parallel arrays ($1-$14, one element
 * each; $17 the object's title) and their nouns as two flat arrays ($15 the activity's position, $16 the noun
 * hash).
 */
const INSERT_TEXT = `with x as materialized (
    select * from unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::text[], $5::text[], $6::text[], $7::text[],
                         $8::text[], $9::text[], $10::text[], $11::text[], $12::timestamptz[], $13::timestamptz[],
                         $14::text[], $17::text[])
      with ordinality as x(id, app_id, actor_user_id, actor_url, verb, verb_url, object, target, course, message,
                           content_hash, published_at, at, scope, object_name, i)
  ),
  a as (
    insert into activities (id, app_id, actor_user_id, actor_url, verb, verb_url, object, object_name, target,
                            course, message, content_hash, published_at, created_at, updated_at)
    select id, app_id, actor_user_id, actor_url, verb, verb_url, object, object_name, target, course, message,
           content_hash, published_at, at, at
    from x
    where x.actor_user_id is null
       or ${liveGrantCondition('x.app_id', 'x.actor_user_id', 'x.scope', 'x.at')}
    order by x.i
    returning id, published_at
  )
  insert into activity_nouns (noun_hash, published_at, activity_id)
  select n.h, a.published_at, a.id
  from unnest($15::int[], $16::bigint[]) as n(i, h) join x on x.i = n.i join a on a.id = x.id
  returning activity_id`;

export interface NewActivity {
  readonly row: NewActivityRow;
  readonly hashes: readonly bigint[];
  /** The scope the app must hold from the actor (when there is one). */
  readonly scope: string;
}

/** Inserts new activities in one statement; for each, whether it was written (false: no grant). */
async function insertNewActivities(pool: pg.Pool, items: readonly NewActivity[]): Promise<boolean[]> {
  const columns: unknown[][] = Array.from({ length: 14 }, () => []);
  const names: (string | null)[] = [];
  const positions: number[] = [];
  const hashes: string[] = [];
  for (let i = 0; i < items.length; i++) {
    const { row, hashes: own, scope } = items[i] as NewActivity;
    const values = [
      row.id,
      row.appId ?? null,
      row.actorUserId ?? null,
      row.actorUrl ?? null,
      row.verb,
      row.verbUrl ?? null,
      row.object,
      row.target ?? null,
      row.course ?? null,
      row.message ?? null,
      row.contentHash,
      row.publishedAt.toISOString(),
      row.createdAt.toISOString(),
      scope,
    ];
    for (let c = 0; c < values.length; c++) columns[c]?.push(values[c]);
    names.push(row.objectName ?? null);
    for (const hash of own) {
      positions.push(i + 1);
      hashes.push(hash.toString());
    }
  }
  const result = await pool.query<{ activity_id: string }>({
    name: 'activity_insert_v3',
    text: INSERT_TEXT,
    values: [...columns, positions, hashes, names],
  });
  // Every activity has at least one noun (its object), so an activity was inserted exactly when it has rows.
  const inserted = new Set(result.rows.map((r) => r.activity_id));
  return items.map((item) => inserted.has(item.row.id));
}

/**
 * Concurrent publishes share statements (src/db/grouped.ts): while 4 run, the ones that arrive wait and are
 * then written together, one transaction and one WAL flush for all of them (a group commit). Each is
 * answered after the statement holding it has committed.
 */
const publishes = new WeakMap<pg.Pool, Grouped<NewActivity, boolean>>();

/** Returns false (and writes nothing) when the actor has not granted the app `scope`. */
export function insertNewActivity(
  pool: pg.Pool,
  row: NewActivityRow,
  hashes: readonly bigint[],
  scope: string,
): Promise<boolean> {
  const grouped = groupedFor(
    publishes,
    pool,
    () =>
      new Grouped<NewActivity, boolean>({
        maxInFlight: 4,
        maxGroup: 128,
        run: (items) => insertNewActivities(pool, items),
      }),
  );
  return grouped.submit({ row, hashes, scope });
}

export async function findActivityById(db: Executor, id: string): Promise<ActivityRow | undefined> {
  const [row] = await db.select().from(activities).where(eq(activities.id, id)).limit(1);
  return row;
}

/** The app's activity by its own id, locked for the rest of the transaction. */
export async function lockAppActivity(
  tx: Executor,
  appId: string,
  appActivityId: string,
): Promise<ActivityRow | undefined> {
  const [row] = await tx
    .select()
    .from(activities)
    .where(and(eq(activities.appId, appId), eq(activities.appActivityId, appActivityId)))
    .limit(1)
    .for('update');
  return row;
}

async function deleteNouns(tx: Executor, id: string, publishedAt: Date, hashes: readonly bigint[]) {
  await tx.execute(sql`delete from activity_nouns
    where noun_hash = any(${bigintArray(hashes)}::bigint[])
      and published_at = ${publishedAt.toISOString()}::timestamptz and activity_id = ${id}::uuid`);
}

async function insertNouns(tx: Executor, id: string, publishedAt: Date, hashes: readonly bigint[]) {
  await tx.execute(sql`insert into activity_nouns (noun_hash, published_at, activity_id)
    select h, ${publishedAt.toISOString()}::timestamptz, ${id}::uuid
    from unnest(${bigintArray(hashes)}::bigint[]) as h on conflict do nothing`);
}

/** Replaces an activity's content and re-indexes its nouns (inside the caller's transaction). */
export async function replaceActivity(
  tx: Executor,
  old: { id: string; publishedAt: Date; hashes: readonly bigint[] },
  next: Pick<
    ActivityRow,
    | 'actorUserId'
    | 'actorUrl'
    | 'verb'
    | 'verbUrl'
    | 'object'
    | 'objectName'
    | 'target'
    | 'course'
    | 'message'
    | 'contentHash'
    | 'publishedAt'
    | 'updatedAt'
  >,
  hashes: readonly bigint[],
): Promise<ActivityRow> {
  await deleteNouns(tx, old.id, old.publishedAt, old.hashes);
  const [row] = await tx.update(activities).set(next).where(eq(activities.id, old.id)).returning();
  if (!row) throw new Error('activity update returned no row');
  await insertNouns(tx, old.id, next.publishedAt, hashes);
  return row;
}

/** Tombstones an activity: content (message, link, title) cleared, feed rows removed. */
export async function markDeleted(
  tx: Executor,
  old: { id: string; publishedAt: Date; hashes: readonly bigint[] },
  now: Date,
): Promise<void> {
  await deleteNouns(tx, old.id, old.publishedAt, old.hashes);
  await tx
    .update(activities)
    .set({ deletedAt: now, updatedAt: now, message: null, verbUrl: null, objectName: null })
    .where(eq(activities.id, old.id));
}

export async function findSettings(db: Executor, userId: string): Promise<{ private: boolean } | undefined> {
  const [row] = await db
    .select({ private: activitySettings.private })
    .from(activitySettings)
    .where(eq(activitySettings.userId, userId))
    .limit(1);
  return row;
}

export async function upsertSettings(
  db: Executor,
  userId: string,
  isPrivate: boolean,
  now: Date,
): Promise<void> {
  await db
    .insert(activitySettings)
    .values({ userId, private: isPrivate, updatedAt: now })
    .onConflictDoUpdate({ target: activitySettings.userId, set: { private: isPrivate, updatedAt: now } });
}
