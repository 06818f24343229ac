import { and, desc, eq, type SQL, sql } from 'drizzle-orm';
import type pg from 'pg';
import type { Executor } from '../../db/client.ts';
import { activities, activityNouns, activitySettings } from './activity.tables.ts';

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
    ${row.updatedAt.toISOString()}::timestamptz)`;
}

const COLUMNS =
  sql.raw(`(id, app_id, app_activity_id, source_event_id, actor_user_id, actor_url, verb, verb_url,
  object, target, course, message, content_hash, published_at, created_at, updated_at)`);

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

const INSERT_TEXT = `with a as (
    insert into activities (id, app_id, actor_user_id, actor_url, verb, verb_url, object, target, course, message,
                            content_hash, published_at, created_at, updated_at)
    values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13) returning id, published_at
  )
  insert into activity_nouns (noun_hash, published_at, activity_id)
  select h, a.published_at, a.id from a, unnest($14::bigint[]) as h`;

/**
 * The publish hot path (POST, no app id, no transaction): the same one-statement insert as insertActivity,
 * as a named prepared statement on the pool so PostgreSQL plans it once per connection.
 */
export async function insertNewActivity(
  pool: pg.Pool,
  row: NewActivityRow,
  hashes: readonly bigint[],
): Promise<void> {
  await pool.query({
    name: 'activity_insert',
    text: INSERT_TEXT,
    values: [
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
      bigintArray(hashes),
    ],
  });
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

/** Tombstones an activity: content cleared, feed rows removed. */
export async function markDeleted(
  tx: Executor,
  old: { id: string; publishedAt: Date; hashes: readonly bigint[] },
  now: Date,
): Promise<void> {
  await deleteNouns(tx, old.id, old.publishedAt, old.hashes);
  await tx
    .update(activities)
    .set({ deletedAt: now, updatedAt: now, message: null, verbUrl: null })
    .where(eq(activities.id, old.id));
}

export interface FeedQuery {
  readonly hash: bigint;
  readonly limit: number;
  readonly after?: { publishedAt: Date; id: string } | undefined;
  readonly verb?: string | undefined;
  readonly appId?: string | undefined;
  readonly since?: Date | undefined;
  readonly until?: Date | undefined;
  /** The person reading: their own private activities stay visible to them. */
  readonly viewerId?: string | undefined;
}

const MAX_UUID = 'ffffffff-ffff-ffff-ffff-ffffffffffff';
const MIN_UUID = '00000000-0000-0000-0000-000000000000';
const p = (name: string) => sql.placeholder(name);

/**
 * The feed query, as ONE named prepared statement (planning it costs more than running it): a backward
 * range scan of activity_nouns' primary key for the noun below a (published_at, id) bound, joined to the
 * activities by id. Optional filters are `$x is null or ...` on the joined rows. Deleted activities have no
 * feed rows; a private person's activities are filtered here, at read time, so switching privacy on or off
 * takes effect at once.
 */
function prepareFeed(db: Executor) {
  return db
    .select({ activity: activities })
    .from(activityNouns)
    .innerJoin(activities, eq(activities.id, activityNouns.activityId))
    .where(
      and(
        sql`${activityNouns.nounHash} = ${p('hash')}::bigint`,
        sql`(${activityNouns.publishedAt}, ${activityNouns.activityId}) < (${p('beforeAt')}::timestamptz, ${p('beforeId')}::uuid)`,
        sql`${activityNouns.publishedAt} >= ${p('since')}::timestamptz`,
        sql`(${p('verb')}::text is null or ${activities.verb} = ${p('verb')}::text)`,
        sql`(${p('app')}::uuid is null or ${activities.appId} = ${p('app')}::uuid)`,
        sql`${activities.deletedAt} is null`,
        sql`(${activities.actorUserId} is null or ${activities.actorUserId} = ${p('viewer')}::uuid
          or not exists (select 1 from activity_settings s where s.user_id = ${activities.actorUserId} and s.private))`,
      ),
    )
    .orderBy(desc(activityNouns.publishedAt), desc(activityNouns.activityId))
    .limit(p('limit'))
    .prepare('activity_feed');
}

const prepared = new WeakMap<Executor, ReturnType<typeof prepareFeed>>();

/** The upper bound of a page: the cursor's position, or `until` when that is earlier. */
function upperBound(q: FeedQuery): { at: string; id: string } {
  const until = q.until ? { at: q.until, id: MIN_UUID } : undefined;
  const after = q.after ? { at: q.after.publishedAt, id: q.after.id } : undefined;
  const bound = after && until ? (until.at <= after.at ? until : after) : (after ?? until);
  return bound ? { at: bound.at.toISOString(), id: bound.id } : { at: 'infinity', id: MAX_UUID };
}

export async function readFeed(db: Executor, q: FeedQuery): Promise<ActivityRow[]> {
  let statement = prepared.get(db);
  if (!statement) {
    statement = prepareFeed(db);
    prepared.set(db, statement);
  }
  const before = upperBound(q);
  const rows = await statement.execute({
    hash: q.hash.toString(),
    beforeAt: before.at,
    beforeId: before.id,
    since: q.since?.toISOString() ?? '-infinity',
    verb: q.verb ?? null,
    app: q.appId ?? null,
    viewer: q.viewerId ?? null,
    limit: q.limit,
  });
  return rows.map((r) => r.activity);
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
