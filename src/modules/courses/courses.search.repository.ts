import { getTableColumns, type SQL, sql } from 'drizzle-orm';
import type { Executor } from '../../db/client.ts';
import { courses } from './courses.tables.ts';

export interface SearchFilters {
  readonly q?: string;
  readonly tags?: readonly string[];
  readonly style?: string;
  readonly language?: string;
}

export interface SearchPosition {
  readonly rank: number;
  readonly id: string;
}

export interface SearchHit {
  readonly id: string;
  readonly rank: number;
  readonly course: CourseRow;
}

type CourseRow = typeof courses.$inferSelect;

/** Every column but the (large) search document, which no reader needs. */
const { search: _search, ...listed } = getTableColumns(courses);

async function hits(db: Executor, where: SQL, rank: SQL, order: SQL[], limit: number): Promise<SearchHit[]> {
  const rows = await db
    .select({ ...listed, rank: sql<number>`${rank}`.mapWith(Number) })
    .from(courses)
    .where(where)
    .orderBy(...order)
    .limit(limit);
  return rows.map(({ rank: r, ...course }) => ({
    id: course.id,
    rank: r,
    course: { ...course, search: '' },
  }));
}

export interface Facets {
  readonly style: { value: string; count: number }[];
  readonly language: { value: string; count: number }[];
  readonly tags: { value: string; count: number }[];
}

/** Filters every register query shares: only published, online courses are in the register. */
function filterClause(filters: SearchFilters): SQL {
  const parts: SQL[] = [sql`${courses.published} and ${courses.status} = 'online'`];
  if (filters.tags && filters.tags.length > 0)
    parts.push(sql`${courses.tags} @> ${sql.param([...filters.tags])}::text[]`);
  if (filters.style) parts.push(sql`lower(${courses.courseStyle}) = lower(${filters.style})`);
  if (filters.language) parts.push(sql`lower(${courses.language}) = lower(${filters.language})`);
  return sql.join(parts, sql` and `);
}

/**
 * Full-text search ranked by the weighted document (title A > tags B > description C), keyset-paged on
 * (rank, id). ts_rank returns `real`; the cursor carries it back and we compare as real so it round-trips.
 * Without a query the register is listed newest first, paged on (created_at, id) encoded the same way.
 */
export async function searchCourseIds(
  db: Executor,
  filters: SearchFilters,
  options: { after?: SearchPosition; limit: number },
): Promise<SearchHit[]> {
  const where = filterClause(filters);
  if (filters.q) {
    const query = sql`websearch_to_tsquery('english', ${filters.q})`;
    const rank = sql`ts_rank(${courses.search}, ${query})`;
    const after = options.after
      ? sql` and (${rank}, ${courses.id}) < (${options.after.rank}::real, ${options.after.id}::uuid)`
      : sql``;
    return hits(
      db,
      sql`${courses.search} @@ ${query} and ${where}${after}`,
      rank,
      [sql`${rank} desc`, sql`${courses.id} desc`],
      options.limit,
    );
  }
  const epoch = sql`extract(epoch from ${courses.createdAt})::float8`;
  const after = options.after
    ? sql` and (${epoch}, ${courses.id}) < (${options.after.rank}::float8, ${options.after.id}::uuid)`
    : sql``;
  return hits(
    db,
    sql`${where}${after}`,
    epoch,
    [sql`${courses.createdAt} desc`, sql`${courses.id} desc`],
    options.limit,
  );
}

/** The words the misspelling fallback matches one by one (at most five, of three letters or more). */
function fuzzyWords(q: string): string[] {
  return q
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w.length >= 3)
    .slice(0, 5);
}

function fuzzyMatch(q: string): SQL {
  const words = fuzzyWords(q);
  if (words.length === 0) return sql`false`;
  return sql.join(
    words.map((w) => sql`${w} <% ${courses.title}`),
    sql` and `,
  );
}

/**
 * The misspelling fallback: titles in which every query word has a trigram-similar word (`<%`, word
 * similarity, served by the title's gin_trgm_ops index), best average similarity first. One page.
 */
export async function fuzzyCourseIds(
  db: Executor,
  filters: SearchFilters,
  limit: number,
): Promise<SearchHit[]> {
  const words = fuzzyWords(filters.q ?? '');
  if (words.length === 0) return [];
  const score = sql.join(
    words.map((w) => sql`word_similarity(${w}, ${courses.title})`),
    sql` + `,
  );
  return hits(
    db,
    sql`${fuzzyMatch(filters.q ?? '')} and ${filterClause(filters)}`,
    sql`(${score}) / ${words.length}`,
    [sql`(${score}) desc`, sql`${courses.id} desc`],
    limit,
  );
}

/** Counts by style, language and (top 20) tags over everything the query matches. */
export async function searchFacets(db: Executor, filters: SearchFilters, fuzzy: boolean): Promise<Facets> {
  const match = filters.q
    ? fuzzy
      ? fuzzyMatch(filters.q)
      : sql`${courses.search} @@ websearch_to_tsquery('english', ${filters.q})`
    : sql`true`;
  const result = await db.execute<{ k: string; v: string; n: string }>(sql`
    with m as (select course_style, language, tags from ${courses} where ${match} and ${filterClause(filters)})
    (select 'style' as k, course_style as v, count(*) as n from m where course_style is not null group by 2 order by 3 desc limit 20)
    union all
    (select 'language', language, count(*) from m where language is not null group by 2 order by 3 desc limit 20)
    union all
    (select 'tags', t, count(*) from m, unnest(m.tags) as t group by 2 order by 3 desc limit 20)`);
  const facets: Facets = { style: [], language: [], tags: [] };
  for (const row of result.rows) {
    const bucket = row.k === 'style' ? facets.style : row.k === 'language' ? facets.language : facets.tags;
    bucket.push({ value: row.v, count: Number(row.n) });
  }
  return facets;
}
