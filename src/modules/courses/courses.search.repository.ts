import type pg from 'pg';

/**
 * The register search as one SQL statement per request: the page, the facet counts, the misspelling fallback
 * and the cursor's position come back in one round trip, the page already encoded as JSON in the native
 * course shape (PostgreSQL builds it; the route sends it without re-encoding). Statement texts are built once
 * per variant and run as named prepared statements, so each connection plans a variant once.
 */

export interface SearchFilters {
  readonly q?: string;
  readonly tags?: readonly string[];
  readonly style?: string;
  readonly language?: string;
}

/**
 * Where the previous page ended: a ranked search pages on (rank, id), the newest-first listing on
 * (created_at in microseconds since the epoch, id) — an integer, so it round-trips exactly through JSON.
 */
export interface SearchPosition {
  readonly rank: number;
  readonly id: string;
}

export interface SearchRows {
  /** The page as a JSON array of native course objects. */
  readonly data: string;
  /** The facets as a JSON object ({style, language, tags}), or null when not asked for. */
  readonly facets: string | null;
  readonly count: number;
  /** Every match (not only this page), counted with the facets; null when facets were not asked for. */
  readonly total: number | null;
  /** True when no course matched the words and the page holds the closest titles instead. */
  readonly fuzzy: boolean;
  readonly last: SearchPosition | null;
}

/** At most this many query words go to the misspelling fallback (each of three letters or more). */
const MAX_FUZZY_WORDS = 5;

/** The words the misspelling fallback matches one by one. */
export function fuzzyWords(q: string): string[] {
  return q
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w.length >= 3)
    .slice(0, MAX_FUZZY_WORDS);
}

/** What a search needs from the request, in the order statements may ask for it. */
interface Input {
  readonly tags: string[] | null;
  readonly style: string | null;
  readonly language: string | null;
  readonly after: SearchPosition | null;
  readonly limit: number;
  readonly prefix: string;
  readonly q: string | null;
  readonly words: string[];
}

/**
 * A statement's shape: which filters, whether ranked (and how many fallback words), whether after a cursor,
 * whether with facets. Each shape has its own text with only the conditions it needs: an absent filter is
 * not `$n is null or ...`, which would blind the planner's estimates.
 */
interface Shape {
  readonly tags: boolean;
  readonly style: boolean;
  readonly language: boolean;
  readonly after: boolean;
  readonly facets: boolean;
  /** Fallback words, or -1 for the newest-first listing (no q). */
  readonly words: number;
}

type Slot = (input: Input) => unknown;

/**
 * Numbers parameters as a statement asks for them and remembers where each value comes from. Every value is
 * read through `a`, a one-row CTE, rather than used as `$n` directly: custom plans then see no more than the
 * generic plan does, so after its first executions PostgreSQL keeps the statement's generic plan and stops
 * planning per request (a custom plan that could see the limit or a filter value would look cheaper and be
 * re-planned every time). The plans stay index plans: a scalar subquery is a parameter to an index scan.
 */
class Params {
  readonly slots: Slot[] = [];
  readonly columns: string[] = [];
  add(type: string, slot: Slot): string {
    this.slots.push(slot);
    const n = this.slots.length;
    this.columns.push(`$${n}::${type} as p${n}`);
    return `(select p${n} from a)`;
  }
  /** A value the planner must see: the newest-first page needs its limit to choose the index. */
  direct(type: string, slot: Slot): string {
    this.add(type, slot);
    return `$${this.slots.length}::${type}`;
  }
  /** The statement: the parameters' CTE, then the body's CTEs (`name as (...), ...`) and its select. */
  statement(body: string): string {
    return `with a as materialized (select ${this.columns.join(', ')}),\n  ${body}`;
  }
}

function filters(shape: Shape, p: Params): string {
  let where = `c.published and c.status = 'online'`;
  if (shape.tags) where += ` and c.tags @> ${p.add('text[]', (i) => i.tags)}`;
  if (shape.style) where += ` and lower(c.course_style) = lower(${p.add('text', (i) => i.style)})`;
  if (shape.language) where += ` and lower(c.language) = lower(${p.add('text', (i) => i.language)})`;
  return where;
}

const utc = (column: string) => `to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/** The page's courses in the native JSON shape (courseJson in courses.views.ts), built by PostgreSQL. */
function dataJson(p: Params, order: string): string {
  const prefix = p.add('text', (i) => i.prefix);
  return `(select coalesce(json_agg(json_build_object(
    'id', c.id, 'path', c.path, 'shortcode', c.shortcode, 'title', c.title, 'description', c.description,
    'category', c.category, 'tags', c.tags, 'course_style', c.course_style, 'signup_url', c.signup_url,
    'language', c.language, 'start_date', ${utc('c.starts_at')}, 'end_date', ${utc('c.ends_at')},
    'status', c.status, 'published', c.published, 'url', ${prefix} || c.path,
    'owner', json_build_object('app_id', c.owner_app_id, 'institution_id', c.owner_institution_id,
                               'user_id', c.owner_user_id),
    'created_at', ${utc('c.created_at')}, 'updated_at', ${utc('c.updated_at')}) order by ${order}), '[]')::text
    from page p join courses c on c.id = p.id)`;
}

/**
 * Counts by style, language and (top 20) tags over `src`, as one JSON object. Tags are unnested in the
 * select list, which costs a quarter less than a lateral unnest per row on large match sets.
 */
const facetsJson = (src: string) => `json_build_object(
    'style', (select coalesce(json_agg(json_build_object('value', v, 'count', n) order by n desc, v), '[]')
              from (select course_style as v, count(*) as n from ${src} where course_style is not null
                    group by 1 order by 2 desc, 1 limit 20) s),
    'language', (select coalesce(json_agg(json_build_object('value', v, 'count', n) order by n desc, v), '[]')
                 from (select language as v, count(*) as n from ${src} where language is not null
                       group by 1 order by 2 desc, 1 limit 20) s),
    'tags', (select coalesce(json_agg(json_build_object('value', v, 'count', n) order by n desc, v), '[]')
             from (select t as v, count(*) as n from (select unnest(tags) as t from ${src}) u
                   group by 1 order by 2 desc, 1 limit 20) s))::text`;

/**
 * A ranked search. The words are parsed once (`tq`). `m` is every match with its rank (the weighted
 * document: title A > tags B > description C), materialised once and read by both the page and the facets
 * (`src` only names m or the fallback; it is not copied again). Only on a first page with nothing matched
 * does `fa` look for titles in which every word has a trigram-similar word (`<%`, served by the title's
 * gin_trgm_ops index); a one-time filter skips it otherwise.
 */
function rankedText(shape: Shape, p: Params): string {
  const q = p.add('text', (i) => i.q);
  const where = filters(shape, p);
  let fallback = '';
  if (!shape.after && shape.words > 0) {
    const words = p.add('text[]', (i) => i.words);
    const each = Array.from({ length: shape.words }, (_, k) => `(${words})[${k + 1}]`);
    fallback = `
  fa as materialized (
    select c.id, ((${each.map((w) => `word_similarity(${w}, c.title)`).join(' + ')}) / ${shape.words})::real as rank,
           c.course_style, c.language, c.tags
    from courses c
    where not exists (select 1 from m) and ${each.map((w) => `${w} <% c.title`).join(' and ')} and ${where}
  ),`;
  }
  const after = shape.after
    ? `where (rank, id) < (${p.add('real', (i) => i.after?.rank)}, ${p.add('uuid', (i) => i.after?.id)})`
    : '';
  const limit = p.add('int', (i) => i.limit);
  return p.statement(`tq as materialized (select websearch_to_tsquery('english', ${q}) as q),
  m as materialized (
    select c.id, ts_rank(c.search, (select q from tq)) as rank, c.course_style, c.language, c.tags
    from courses c
    where c.search @@ (select q from tq) and ${where}
  ),${fallback}
  src as not materialized (select * from m${fallback ? ' union all select * from fa' : ''}),
  page as (select id, rank from src ${after} order by rank desc, id desc limit ${limit}),
  last as (select rank, id from page order by rank, id limit 1)
  select (select count(*) from page)::int as count,
         ${shape.facets ? '(select count(*) from src)::int' : 'null::int'} as total,
         not exists (select 1 from m) as fuzzy,
         (select rank::float8 from last) as last_rank,
         (select id from last) as last_id,
         ${dataJson(p, 'p.rank desc, p.id desc')} as data,
         ${shape.facets ? facetsJson('src') : 'null::text'} as facets`);
}

/**
 * The register newest first (no words): the page walks the (created_at, id) index from the cursor, and the
 * facets count the whole filtered register (only when asked for: that is a scan of every listed course).
 */
function newestText(shape: Shape, p: Params): string {
  const where = filters(shape, p);
  const after = shape.after
    ? ` and (c.created_at, c.id) < (timestamptz 'epoch' + ${p.add('bigint', (i) => i.after?.rank)} * interval '1 microsecond', ${p.add('uuid', (i) => i.after?.id)})`
    : '';
  const limit = p.direct('int', (i) => i.limit);
  const facets = shape.facets
    ? `,
  f as (select c.course_style, c.language, c.tags from courses c where ${where})`
    : '';
  return p.statement(`page as (
    select c.id, c.created_at from courses c
    where ${where}${after}
    order by c.created_at desc, c.id desc
    limit ${limit}
  ),
  last as (select created_at, id from page order by created_at, id limit 1)${facets}
  select (select count(*) from page)::int as count,
         ${shape.facets ? '(select count(*) from f)::int' : 'null::int'} as total,
         false as fuzzy,
         (select (extract(epoch from created_at) * 1000000)::bigint::float8 from last) as last_rank,
         (select id from last) as last_id,
         ${dataJson(p, 'p.created_at desc, p.id desc')} as data,
         ${shape.facets ? facetsJson('f') : 'null::text'} as facets`);
}

interface Statement {
  readonly name: string;
  readonly text: string;
  readonly slots: readonly Slot[];
}

/** Built once per shape (at most a few dozen), then reused: only the values change per request. */
const statements = new Map<string, Statement>();

function statementFor(shape: Shape): Statement {
  const name = `courses_search_${shape.words < 0 ? 'n' : `q${shape.words}`}_${[
    shape.tags,
    shape.style,
    shape.language,
    shape.after,
    shape.facets,
  ]
    .map((b) => (b ? 1 : 0))
    .join('')}`;
  let statement = statements.get(name);
  if (!statement) {
    const p = new Params();
    const text = shape.words < 0 ? newestText(shape, p) : rankedText(shape, p);
    statement = { name, text, slots: p.slots };
    statements.set(name, statement);
  }
  return statement;
}

interface RawRow {
  count: number;
  total: number | null;
  fuzzy: boolean;
  last_rank: number | null;
  last_id: string | null;
  data: string;
  facets: string | null;
}

export async function searchRows(
  pool: pg.Pool,
  filters: SearchFilters,
  options: { after?: SearchPosition; limit: number; facets: boolean; courseUrlPrefix: string },
): Promise<SearchRows> {
  const words = filters.q ? fuzzyWords(filters.q) : [];
  const input: Input = {
    tags: filters.tags && filters.tags.length > 0 ? [...filters.tags] : null,
    style: filters.style ?? null,
    language: filters.language ?? null,
    after: options.after ?? null,
    limit: options.limit,
    prefix: options.courseUrlPrefix,
    q: filters.q ?? null,
    words,
  };
  const { name, text, slots } = statementFor({
    tags: input.tags !== null,
    style: input.style !== null,
    language: input.language !== null,
    after: input.after !== null,
    facets: options.facets,
    words: filters.q ? words.length : -1,
  });
  const result = await pool.query<RawRow>({ name, text, values: slots.map((slot) => slot(input)) });
  const row = result.rows[0];
  if (!row) throw new Error('the search statement returned no row');
  return {
    data: row.data,
    facets: row.facets,
    count: row.count,
    total: row.total,
    fuzzy: row.fuzzy && row.count > 0,
    last: row.last_id !== null && row.last_rank !== null ? { rank: row.last_rank, id: row.last_id } : null,
  };
}
