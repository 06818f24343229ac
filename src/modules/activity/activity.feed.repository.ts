import type pg from 'pg';
import { Grouped, groupedFor } from '../../db/grouped.ts';
import type { ActivityRow } from './activity.repository.ts';

/**
 * Reading feeds: the page query over the feed index, run for any number of page requests in one statement,
 * and the grouping of concurrent reads (src/db/grouped.ts). Writes are in activity.repository.ts.
 */

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

/**
 * One feed page: a backward range scan of activity_nouns' primary key for the noun below a (published_at,
 * id) bound, stopping after `limit` rows, each joined to its activity by id (EXPLAIN ANALYZE on 1,000,000
 * activities: an Index Only Scan Backward plus one activities_pkey probe per row, under a millisecond).
 * Optional filters are `x is null or ...` on the joined rows, so ONE generic plan serves every request.
 * Deleted activities have no feed rows; a private person's activities are filtered here, at read time, so
 * switching privacy on or off takes effect at once. Its inputs are the columns of `r`, one page request
 * (PAGE_REQUESTS below).
 */
const pageSql = (columns: string, extraRows = '') => `select ${columns}
  from activity_nouns n join activities a on a.id = n.activity_id
  where n.noun_hash = r.hash
    and (n.published_at, n.activity_id) < (r.before_at, r.before_id)
    and n.published_at >= r.since
    and (r.verb is null or a.verb = r.verb)
    and (r.app is null or a.app_id = r.app)
    and a.deleted_at is null
    and (a.actor_user_id is null or a.actor_user_id = r.viewer
      or not exists (select 1 from activity_settings s where s.user_id = a.actor_user_id and s.private))
  order by n.published_at desc, n.activity_id desc
  limit r.lim${extraRows}`;

/**
 * Feed statements read any number of pages at once: each element of the parameter arrays is one page
 * request ($1 noun hash, $2/$3 the upper bound, $4 since, $5 verb, $6 app, $7 viewer, $8 limit), `r.i` its
 * position, and the page query runs once per element as a LATERAL subquery (the same plan as a single page).
 */
const PAGE_REQUESTS = `unnest($1::bigint[], $2::timestamptz[], $3::uuid[], $4::timestamptz[], $5::text[], $6::uuid[],
              $7::uuid[], $8::int[])
       with ordinality as r(hash, before_at, before_id, since, verb, app, viewer, lim, i)`;

/** Pages as rows (for AS2 and the pages), each row with the position `i` of the request it answers. */
const FEED_ROWS = `select r.i::int as i, p.*
  from ${PAGE_REQUESTS}
  cross join lateral (
    ${pageSql(
      `a.id, a.app_id as "appId", a.app_activity_id as "appActivityId",
      a.source_event_id as "sourceEventId", a.actor_user_id as "actorUserId", a.actor_url as "actorUrl", a.verb,
      a.verb_url as "verbUrl", a.object, a.object_name as "objectName", a.target, a.course, a.message, a.content_hash as "contentHash",
      a.published_at as "publishedAt", a.created_at as "createdAt", a.updated_at as "updatedAt",
      a.deleted_at as "deletedAt"`,
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
        a.object_name, a.target, a.course, a.verb_url, a.message, ${iso('a.published_at')} as published,
        ${iso('a.updated_at')} as updated) as x) as doc`,
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
    name: 'activity_feed_rows_v3',
    text: FEED_ROWS,
    values: pageColumns(pages),
  });
  const out: ActivityRow[][] = pages.map(() => []);
  for (const { i, ...row } of result.rows) out[i - 1]?.push(row);
  return out;
}

/** Concurrent row reads share statements, as JSON reads do (jsonReads below). */
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
    name: 'activity_feed_json_v3',
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
