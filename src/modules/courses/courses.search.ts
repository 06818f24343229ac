import type { Deps } from '../../deps.ts';
import { decodeKeyset, encodeCursor } from '../../lib/cursor.ts';
import { courseErrors } from './courses.errors.ts';
import { type SearchFilters, type SearchPosition, searchRows } from './courses.search.repository.ts';
import type { Course } from './courses.usecases.ts';

export interface SearchInput extends SearchFilters {
  readonly cursor?: string;
  readonly limit: number;
  readonly facets?: boolean;
}

export interface Facets {
  readonly style: { value: string; count: number }[];
  readonly language: { value: string; count: number }[];
  readonly tags: { value: string; count: number }[];
}

export interface SearchResult {
  readonly courses: Course[];
  readonly nextCursor: string | null;
  /** True when nothing matched the words and these are the closest titles by trigram similarity. */
  readonly fuzzy: boolean;
  readonly facets: Facets | null;
  /** Every match, when facets were counted (the pages show it); null otherwise. */
  readonly total: number | null;
}

// A cursor names its query mode: 'q' pages a ranked search on (rank, id), 't' the newest-first listing on
// (created_at in microseconds, id). Reusing one with or without q would skip or repeat results.
function parseCursor(cursor: string | undefined, q: string | undefined): SearchPosition | undefined {
  if (cursor === undefined) return undefined;
  const position = decodeKeyset(cursor, ['text', 'number', 'uuid']);
  const [mode, rank, id] = position ?? [];
  if (
    !position ||
    mode !== (q ? 'q' : 't') ||
    (mode === 't' && !Number.isSafeInteger(rank)) ||
    rank === undefined ||
    id === undefined
  )
    throw courseErrors.invalid('cursor', 'is not a cursor this search issued');
  return { rank, id };
}

async function runSearch(deps: Pick<Deps, 'pool' | 'config'>, input: SearchInput) {
  const q = input.q?.trim() || undefined;
  if (q && q.length > 200) throw courseErrors.invalid('q', 'at most 200 characters');
  const rows = await searchRows(
    deps.pool,
    { q, tags: input.tags, style: input.style, language: input.language },
    {
      after: parseCursor(input.cursor, q),
      limit: input.limit,
      facets: input.facets !== false,
      courseUrlPrefix: `${deps.config.publicUrl}/courses/`,
    },
  );
  const nextCursor =
    !rows.fuzzy && rows.last && rows.count === input.limit
      ? encodeCursor([q ? 'q' : 't', rows.last.rank, rows.last.id])
      : null;
  return { rows, nextCursor };
}

/**
 * The register search (ranked full text, the trigram fallback for misspellings, facets, cursor paging) in one
 * statement, answered as the native JSON body, ready to send.
 */
export async function searchCoursesJson(deps: Pick<Deps, 'pool' | 'config'>, input: SearchInput) {
  const { rows, nextCursor } = await runSearch(deps, input);
  return `{"data":${rows.data},"next_cursor":${nextCursor === null ? 'null' : `"${nextCursor}"`},"fuzzy":${rows.fuzzy},"facets":${rows.facets ?? 'null'}}`;
}

interface CourseJsonItem {
  id: string;
  path: string;
  shortcode: string | null;
  title: string;
  description: string;
  category: string | null;
  tags: string[];
  course_style: string | null;
  signup_url: string | null;
  language: string | null;
  start_date: string | null;
  end_date: string | null;
  status: 'online' | 'offline';
  published: boolean;
  url: string;
  owner: { app_id: string | null; institution_id: string | null; user_id: string | null };
  created_at: string;
  updated_at: string;
}

const date = (value: string | null) => (value === null ? null : new Date(value));

/** The same search for the register pages, as courses (the pages render them; speed matters less there). */
export async function searchCourses(
  deps: Pick<Deps, 'pool' | 'config'>,
  input: SearchInput,
): Promise<SearchResult> {
  const { rows, nextCursor } = await runSearch(deps, input);
  const data = JSON.parse(rows.data) as CourseJsonItem[];
  const facets = rows.facets === null ? null : (JSON.parse(rows.facets) as Facets);
  return {
    courses: data.map((c) => ({
      id: c.id,
      path: c.path,
      shortcode: c.shortcode,
      title: c.title,
      description: c.description,
      category: c.category,
      tags: c.tags,
      courseStyle: c.course_style,
      signupUrl: c.signup_url,
      language: c.language,
      startsAt: date(c.start_date),
      endsAt: date(c.end_date),
      status: c.status,
      published: c.published,
      url: c.url,
      ownerAppId: c.owner.app_id,
      ownerInstitutionId: c.owner.institution_id,
      ownerUserId: c.owner.user_id,
      createdAt: new Date(c.created_at),
      updatedAt: new Date(c.updated_at),
    })),
    nextCursor,
    fuzzy: rows.fuzzy,
    facets,
    total: rows.total,
  };
}
