import type { Deps } from '../../deps.ts';
import { getUsersByIds } from '../identity/index.ts';
import { appLabel } from '../oauth/index.ts';
import { findInstitution } from './courses.institutions.repository.ts';
import {
  courseAdminIds,
  existingPaths,
  findCoursesByShortcode,
  relatedCourseRows,
  shortcodeUse,
} from './courses.pages.repository.ts';
import { findCourse } from './courses.repository.ts';
import { type Course, toCourse } from './courses.usecases.ts';

/**
 * Readable course URLs. A course's page lives at `/courses/<shortcode>` (`/courses/SOGTA`) when that
 * shortcode names it alone: no other course uses the same code in any case (shortcodes are unique per owner
 * only, so two apps may both publish ART101), and no other course has it as its path. Otherwise, and for
 * courses without a shortcode, the page stays at `/courses/<path>`. Lookups try the exact path first (so
 * every old link keeps working and redirects to the readable URL), then the shortcode in any case.
 */

const SHORTCODE_URL = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;
/** Several courses with one shortcode: this many are offered on the disambiguation page. */
const AMBIGUOUS_LIMIT = 20;

export type PageCourse = Course & { readonly href: string };

export function courseHref(segment: string): string {
  return `/courses/${encodeURIComponent(segment)}`;
}

/** Each course's page URL, decided for a whole list at once (two queries, whatever the list's length). */
export async function withPageHrefs(deps: Pick<Deps, 'db'>, list: readonly Course[]): Promise<PageCourse[]> {
  const codes = list.flatMap((c) => (c.shortcode && SHORTCODE_URL.test(c.shortcode) ? [c.shortcode] : []));
  const [use, paths] = await Promise.all([shortcodeUse(deps.db, codes), existingPaths(deps.db, codes)]);
  return list.map((c) => {
    const code = c.shortcode;
    const alone =
      code !== null &&
      SHORTCODE_URL.test(code) &&
      use.get(code.toLowerCase()) === 1 &&
      (!paths.has(code) || c.path === code);
    return { ...c, href: courseHref(alone ? code : c.path) };
  });
}

export async function withPageHref(deps: Pick<Deps, 'db'>, course: Course): Promise<PageCourse> {
  const [one] = await withPageHrefs(deps, [course]);
  return one ?? { ...course, href: courseHref(course.path) };
}

export type CoursePageLookup =
  | { readonly kind: 'course'; readonly course: PageCourse }
  | { readonly kind: 'ambiguous'; readonly code: string; readonly courses: PageCourse[] }
  | { readonly kind: 'none' };

/** What `/courses/<segment>` shows: a course (maybe to redirect to its URL), a choice, or nothing. */
export async function lookupCoursePage(
  deps: Pick<Deps, 'db' | 'config'>,
  segment: string,
): Promise<CoursePageLookup> {
  if (segment.length === 0 || segment.length > 100) return { kind: 'none' };
  const byPath = await findCourse(deps.db, { path: segment });
  if (byPath) return { kind: 'course', course: await withPageHref(deps, toCourse(deps, byPath)) };
  if (!SHORTCODE_URL.test(segment)) return { kind: 'none' };
  const rows = await findCoursesByShortcode(deps.db, segment, AMBIGUOUS_LIMIT);
  const courses = await withPageHrefs(
    deps,
    rows.map((r) => toCourse(deps, r)),
  );
  const [first] = courses;
  if (!first) return { kind: 'none' };
  if (courses.length === 1) return { kind: 'course', course: first };
  return { kind: 'ambiguous', code: segment, courses };
}

const RELATED_LIMIT = 6;

/** The register's "courses relevant to this one": shared tags first, then the same organiser. */
export async function relatedCourses(
  deps: Pick<Deps, 'db' | 'config'>,
  course: Course,
): Promise<PageCourse[]> {
  const rows = await relatedCourseRows(deps.db, course, RELATED_LIMIT);
  return withPageHrefs(
    deps,
    rows.map((r) => toCourse(deps, r)),
  );
}

export interface Organiser {
  readonly name: string;
  readonly href: string | null;
}

/** Who runs the course, for people: its owner and admins with their profiles, else the owning app or institution. */
export async function courseOrganisers(
  deps: Pick<Deps, 'db' | 'pool' | 'logger'>,
  course: Course,
): Promise<Organiser[]> {
  const ids = await courseAdminIds(deps.db, course.id, 5);
  if (course.ownerUserId) ids.unshift(course.ownerUserId);
  const users = await getUsersByIds(deps, [...new Set(ids)]);
  const people = [...new Set(ids)].flatMap((id) => {
    const user = users.get(id);
    return user
      ? [{ name: user.name || user.username, href: `/u/${encodeURIComponent(user.username)}` }]
      : [];
  });
  if (people.length > 0) return people;
  if (course.ownerAppId) {
    const app = await appLabel(deps, course.ownerAppId);
    if (app)
      return [{ name: app.name, href: /^https?:\/\//.test(app.homepageUrl ?? '') ? app.homepageUrl : null }];
  }
  if (course.ownerInstitutionId) {
    const institution = await findInstitution(deps.db, { id: course.ownerInstitutionId });
    if (institution) return [{ name: institution.name, href: null }];
  }
  return [];
}
