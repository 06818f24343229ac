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

/**
 * The publish hot path (POST, no app id, no transaction) as ONE named prepared statement for any number of
 * activities: the permission check (with an actor, the app must hold the person's live grant for the scope,
 * asked of the oauth module's rows at this very moment), the activities and their feed-index rows. An
 * activity whose check fails is not written. The activities travel as parallel arrays ($1-$14, one element
 * each) and their nouns as two flat arrays ($15 the activity's position, $16 the noun hash).
 */
const INSERT_TEXT = `with x as materialized (
    select * from unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::text[], $5::text[], $6::text[], $7::text[],
                         $8::text[], $9::text[], $10::text[], $11::text[], $12::timestamptz[], $13::timestamptz[],
                         $14::text[])
      with ordinality as x(id, app_id, actor_user_id, actor_url, verb, verb_url, object, target, course, message,
                           content_hash, published_at, at, scope, i)
  ),
  a as (
    insert into activities (id, app_id, actor_user_id, actor_url, verb, verb_url, object, target, course, message,
                            content_hash, published_at, created_at, updated_at)
    select id, app_id, actor_user_id, actor_url, verb, verb_url, object, target, course, message, content_hash,
           published_at, at, at
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
    for (const hash of own) {
      positions.push(i + 1);
      hashes.push(hash.toString());
    }
  }
  const result = await pool.query<{ activity_id: string }>({
    name: 'activity_insert_v2',
    text: INSERT_TEXT,
    values: [...columns, positions, hashes],
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

/** How a page query names its inputs: `$n` parameters, or the columns of a batch row. */
interface PageInputs {
  readonly hash: string;
  readonly beforeAt: string;
  readonly beforeId: string;
  readonly since: string;
  readonly verb: string;
  readonly app: string;
  readonly viewer: string;
  readonly limit: string;
}

/**
 * One feed page: a backward range scan of activity_nouns' primary key for the noun below a (published_at,
 * id) bound, stopping after `limit` rows, each joined to its activity by id (EXPLAIN ANALYZE on 1,000,000
 * activities: an Index Only Scan Backward plus one activities_pkey probe per row, under a millisecond).
 * Optional filters are `x is null or ...` on the joined rows, so ONE generic plan serves every request.
 * Deleted activities have no feed rows; a private person's activities are filtered here, at read time, so
 * switching privacy on or off takes effect at once.
 */
const pageSql = (columns: string, p: PageInputs, extra = '') => `select ${columns}
  from activity_nouns n join activities a on a.id = n.activity_id
  where n.noun_hash = ${p.hash}
    and (n.published_at, n.activity_id) < (${p.beforeAt}, ${p.beforeId})
    and n.published_at >= ${p.since}
    and (${p.verb} is null or a.verb = ${p.verb})
    and (${p.app} is null or a.app_id = ${p.app})
    and a.deleted_at is null
    and (a.actor_user_id is null or a.actor_user_id = ${p.viewer}
      or not exists (select 1 from activity_settings s where s.user_id = a.actor_user_id and s.private))
  order by n.published_at desc, n.activity_id desc
  limit ${p.limit}${extra}`;

/**
 * Feed statements read any number of pages at once: each element of the parameter arrays is one page
 * request ($1 noun hash, $2/$3 the upper bound, $4 since, $5 verb, $6 app, $7 viewer, $8 limit), `r.i` its
 * position, and the page query runs once per element as a LATERAL subquery (the same plan as a single page).
 */
const PAGE_REQUESTS = `unnest($1::bigint[], $2::timestamptz[], $3::uuid[], $4::timestamptz[], $5::text[], $6::uuid[],
              $7::uuid[], $8::int[])
       with ordinality as r(hash, before_at, before_id, since, verb, app, viewer, lim, i)`;

const REQUEST: PageInputs = {
  hash: 'r.hash',
  beforeAt: 'r.before_at',
  beforeId: 'r.before_id',
  since: 'r.since',
  verb: 'r.verb',
  app: 'r.app',
  viewer: 'r.viewer',
  limit: 'r.lim',
};

/** Pages as rows (for AS2 and the pages), each row with the position `i` of the request it answers. */
const FEED_ROWS = `select r.i::int as i, p.*
  from ${PAGE_REQUESTS}
  cross join lateral (
    ${pageSql(
      `a.id, a.app_id as "appId", a.app_activity_id as "appActivityId",
      a.source_event_id as "sourceEventId", a.actor_user_id as "actorUserId", a.actor_url as "actorUrl", a.verb,
      a.verb_url as "verbUrl", a.object, a.target, a.course, a.message, a.content_hash as "contentHash",
      a.published_at as "publishedAt", a.created_at as "createdAt", a.updated_at as "updatedAt",
      a.deleted_at as "deletedAt"`,
      REQUEST,
    )}) as p
  order by r.i, p."publishedAt" desc, p.id desc`;

/** As Date.prototype.toISOString(): the API's timestamp format. */
const iso = (column: string) => `to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/**
 * Native JSON pages, rendered by PostgreSQL in the API's field names (as activity.routes.ts toJson()): the
 * route sends the text as it is, with no row objects, dates or re-encoding in Node. Several pages (of any
 * nouns and filters) are read by one statement: each element of the parameter arrays is one page request,
 * run as a LATERAL page query (the same plan as a single page, once per element). One row more than asked is
 * read to know whether there is a next page; `last_*` is the position of the page's last item.
 */
const FEED_JSON = `select r.i::int as i, f.items, f.n, f.last_at, f.last_id
  from ${PAGE_REQUESTS}
  cross join lateral (
    select coalesce(json_agg(q.doc order by q.rn) filter (where q.rn <= r.lim), '[]')::text as items,
           count(*)::int as n,
           max(${iso('q.at')}) filter (where q.rn = r.lim) as last_at,
           max(q.aid::text) filter (where q.rn = r.lim) as last_id
    from (select p.*, row_number() over (order by p.at desc, p.aid desc) as rn from (
      ${pageSql(
        `n.published_at as at, n.activity_id as aid, (select row_to_json(x) from (select
        a.id, a.app_id, a.app_activity_id, a.actor_url as actor, a.actor_user_id as actor_id, a.verb, a.object,
        a.target, a.course, a.verb_url, a.message, ${iso('a.published_at')} as published,
        ${iso('a.updated_at')} as updated) as x) as doc`,
        REQUEST,
        ' + 1',
      )}) as p) as q
  ) as f
  order by r.i`;

/** The upper bound of a page: the cursor's position, or `until` when that is earlier. */
function upperBound(q: FeedQuery): { at: string; id: string } {
  const until = q.until ? { at: q.until, id: MIN_UUID } : undefined;
  const after = q.after ? { at: q.after.publishedAt, id: q.after.id } : undefined;
  const bound = after && until ? (until.at <= after.at ? until : after) : (after ?? until);
  return bound ? { at: bound.at.toISOString(), id: bound.id } : { at: 'infinity', id: MAX_UUID };
}

function feedValues(q: FeedQuery): unknown[] {
  const before = upperBound(q);
  return [
    q.hash.toString(),
    before.at,
    before.id,
    q.since?.toISOString() ?? '-infinity',
    q.verb ?? null,
    q.appId ?? null,
    q.viewerId ?? null,
    q.limit,
  ];
}

/** The parameter arrays of page requests: one array per parameter, one element per request. */
function pageColumns(pages: readonly (readonly unknown[])[]): unknown[][] {
  const columns: unknown[][] = [[], [], [], [], [], [], [], []];
  for (const values of pages) for (let c = 0; c < columns.length; c++) columns[c]?.push(values[c]);
  return columns;
}

/** Reads several pages as rows in ONE statement; each element of `pages` is feedValues() of one request. */
async function readRowPages(pool: pg.Pool, pages: readonly (readonly unknown[])[]): Promise<ActivityRow[][]> {
  const result = await pool.query<ActivityRow & { i: number }>({
    name: 'activity_feed_rows_v2',
    text: FEED_ROWS,
    values: pageColumns(pages),
  });
  const out: ActivityRow[][] = pages.map(() => []);
  for (const { i, ...row } of result.rows) out[i - 1]?.push(row);
  return out;
}

/** Concurrent reads share statements; see jsonReads below. */
const rowReads = new WeakMap<pg.Pool, Grouped<readonly unknown[], ActivityRow[]>>();

/** Up to `limit` activities of the feed, as rows (for AS2 and the pages). */
export function readFeed(pool: pg.Pool, q: FeedQuery): Promise<ActivityRow[]> {
  return groupedFor(rowReads, pool, () => pageReads((pages) => readRowPages(pool, pages))).submit(
    feedValues(q),
  );
}

/** Feed reads through Grouped: 4 statements in flight, up to 32 pages each, identical waiting reads once. */
function pageReads<O>(run: (pages: readonly (readonly unknown[])[]) => Promise<O[]>) {
  return new Grouped<readonly unknown[], O>({
    maxInFlight: 4,
    maxGroup: 32,
    run,
    key: (values) => JSON.stringify(values),
    duplicates: 'share',
  });
}

export interface FeedJsonPage {
  /** The page's activities as a JSON array text, in the native API's shape. */
  readonly items: string;
  /** Whether more than `limit` activities matched. */
  readonly more: boolean;
  readonly last: { at: string; id: string } | null;
}

interface JsonPageRow {
  items: string;
  n: number;
  last_at: string | null;
  last_id: string | null;
}

/** Reads several pages in ONE statement; each element of `pages` is feedValues() of one request. */
async function readJsonPages(pool: pg.Pool, pages: readonly (readonly unknown[])[]): Promise<JsonPageRow[]> {
  const result = await pool.query<JsonPageRow & { i: number }>({
    name: 'activity_feed_json_v2',
    text: FEED_JSON,
    values: pageColumns(pages),
  });
  if (result.rows.length !== pages.length) throw new Error('feed query did not return one row per page');
  return result.rows;
}

/**
 * Concurrent feed reads share statements (src/db/grouped.ts): while 4 are running, the requests that arrive
 * wait and are then read together, and identical waiting requests (the same noun, bound, filters, viewer and
 * limit) are read once. A request never joins a statement that was already sent.
 */
const jsonReads = new WeakMap<pg.Pool, Grouped<readonly unknown[], JsonPageRow>>();

/** Up to `limit` activities of the feed, as JSON text built by PostgreSQL. */
export async function readFeedJson(pool: pg.Pool, q: FeedQuery): Promise<FeedJsonPage> {
  const reads = groupedFor(jsonReads, pool, () => pageReads((pages) => readJsonPages(pool, pages)));
  const row = await reads.submit(feedValues(q));
  return {
    items: row.items,
    more: row.n > q.limit,
    last: row.last_at !== null && row.last_id !== null ? { at: row.last_at, id: row.last_id } : null,
  };
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
