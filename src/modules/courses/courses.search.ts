import type { Deps } from '../../deps.ts';
import { decodeCursor, encodeCursor } from '../../lib/cursor.ts';
import { courseErrors } from './courses.errors.ts';
import {
  type Facets,
  fuzzyCourseIds,
  type SearchFilters,
  searchCourseIds,
  searchFacets,
} from './courses.search.repository.ts';
import { type Course, toCourse } from './courses.usecases.ts';

export interface SearchInput extends SearchFilters {
  readonly cursor?: string;
  readonly limit: number;
  readonly facets?: boolean;
}

export interface SearchResult {
  readonly courses: Course[];
  readonly nextCursor: string | null;
  /** True when nothing matched the words and these are the closest titles by trigram similarity. */
  readonly fuzzy: boolean;
  readonly facets: Facets | null;
}

function parseCursor(cursor: string | undefined, q: string | undefined) {
  if (cursor === undefined) return undefined;
  const [mode, rank, id] = decodeCursor(cursor) ?? [];
  // A cursor belongs to one query mode; reusing it with or without q would skip or repeat results.
  if (
    mode !== (q ? 'q' : 'new') ||
    typeof rank !== 'number' ||
    typeof id !== 'string' ||
    !/^[0-9a-f-]{36}$/.test(id)
  )
    throw courseErrors.invalid('cursor', 'is not a cursor this search issued');
  return { rank, id };
}

/** The register search: ranked full text, then a trigram fallback for misspellings, facets, cursor paging. */
export async function searchCourses(deps: Deps, input: SearchInput): Promise<SearchResult> {
  const q = input.q?.trim() || undefined;
  if (q && q.length > 200) throw courseErrors.invalid('q', 'at most 200 characters');
  const filters: SearchFilters = { ...input, q };
  const after = parseCursor(input.cursor, q);
  const wantFacets = input.facets !== false;
  // The page and the facets are independent queries: run them side by side on two connections.
  let [hits, facets] = await Promise.all([
    searchCourseIds(deps.db, filters, { after, limit: input.limit }),
    wantFacets ? searchFacets(deps.db, filters, false) : Promise.resolve(null),
  ]);
  let fuzzy = false;
  if (q && hits.length === 0 && !after) {
    hits = await fuzzyCourseIds(deps.db, filters, input.limit);
    fuzzy = hits.length > 0;
    if (fuzzy && wantFacets) facets = await searchFacets(deps.db, filters, true);
  }
  const courses = hits.map((h) => toCourse(deps, h.course));
  const last = hits.at(-1);
  const nextCursor =
    !fuzzy && last && hits.length === input.limit
      ? encodeCursor([q ? 'q' : 'new', last.rank, last.id])
      : null;
  return { courses, nextCursor, fuzzy, facets };
}
