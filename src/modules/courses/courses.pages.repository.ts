import { and, arrayOverlaps, asc, desc, eq, inArray, ne, type SQL, sql } from 'drizzle-orm';
import type { Executor } from '../../db/client.ts';
import type { CourseRow } from './courses.repository.ts';
import { courseAdmins, courses } from './courses.tables.ts';

/** Reads for the course pages: shortcode URLs, related courses, organisers. */

/** Courses whose shortcode is `code` in any case (served by courses_shortcode_lower_idx). */
export async function findCoursesByShortcode(
  db: Executor,
  code: string,
  limit: number,
): Promise<CourseRow[]> {
  return db
    .select()
    .from(courses)
    .where(sql`lower(${courses.shortcode}) = lower(${code})`)
    .orderBy(asc(courses.createdAt), asc(courses.id))
    .limit(limit);
}

/** How many courses use each of these shortcodes, compared case-insensitively (keys lower-cased). */
export async function shortcodeUse(db: Executor, codes: readonly string[]): Promise<Map<string, number>> {
  const lower = [...new Set(codes.map((c) => c.toLowerCase()))];
  if (lower.length === 0) return new Map();
  const rows = await db
    .select({ code: sql<string>`lower(${courses.shortcode})`, n: sql<number>`count(*)::int` })
    .from(courses)
    .where(inArray(sql`lower(${courses.shortcode})`, lower))
    .groupBy(sql`lower(${courses.shortcode})`);
  return new Map(rows.map((r) => [r.code, r.n]));
}

/** Which of these strings are some course's path (exactly; paths are case-sensitive). */
export async function existingPaths(db: Executor, values: readonly string[]): Promise<Set<string>> {
  if (values.length === 0) return new Set();
  const rows = await db
    .select({ path: courses.path })
    .from(courses)
    .where(inArray(courses.path, [...new Set(values)]));
  return new Set(rows.map((r) => r.path));
}

/** At most this many candidates are read from each source before ranking, so a popular tag stays cheap. */
const CANDIDATES = 200;

/**
 * Listed courses related to `course`: sharing a tag (the tags GIN index answers `tags && $1`) or the same
 * owner (the owner+shortcode unique indexes lead with the owner column). Each source is capped before
 * ranking, so a tag on 100,000 courses costs 200 rows; the rank is the number of shared tags, then same
 * owner, then newest.
 */
export async function relatedCourseRows(
  db: Executor,
  course: Pick<CourseRow, 'id' | 'tags' | 'ownerAppId' | 'ownerInstitutionId' | 'ownerUserId'>,
  limit: number,
): Promise<CourseRow[]> {
  const listed = and(ne(courses.id, course.id), eq(courses.published, true), eq(courses.status, 'online'));
  const owner: SQL | undefined = course.ownerAppId
    ? eq(courses.ownerAppId, course.ownerAppId)
    : course.ownerInstitutionId
      ? eq(courses.ownerInstitutionId, course.ownerInstitutionId)
      : course.ownerUserId
        ? eq(courses.ownerUserId, course.ownerUserId)
        : undefined;
  const tags = course.tags.length > 0 ? arrayOverlaps(courses.tags, course.tags) : undefined;
  if (!owner && !tags) return [];
  const byTag = tags
    ? db.select({ id: courses.id }).from(courses).where(and(tags, listed)).limit(CANDIDATES)
    : undefined;
  const byOwner = owner
    ? db.select({ id: courses.id }).from(courses).where(and(owner, listed)).limit(CANDIDATES)
    : undefined;
  const ids = (await Promise.all([byTag, byOwner])).flatMap((rows) => rows ?? []).map((r) => r.id);
  if (ids.length === 0) return [];
  const shared = sql<number>`cardinality(array(select unnest(${courses.tags}) intersect select unnest(${sql.param(course.tags)}::text[])))`;
  const sameOwner = owner ? sql<number>`(${owner})::int` : sql<number>`0`;
  return db
    .select()
    .from(courses)
    .where(inArray(courses.id, [...new Set(ids)]))
    .orderBy(desc(shared), desc(sameOwner), desc(courses.createdAt), asc(courses.id))
    .limit(limit);
}

/** The course's admins (user ids), for the "organised by" line. */
export async function courseAdminIds(db: Executor, courseId: string, limit: number): Promise<string[]> {
  const rows = await db
    .select({ userId: courseAdmins.userId })
    .from(courseAdmins)
    .where(eq(courseAdmins.courseId, courseId))
    .orderBy(asc(courseAdmins.createdAt))
    .limit(limit);
  return rows.map((r) => r.userId);
}
