import type { Executor } from '../../db/client.ts';
import { uniqueViolation } from '../../db/errors.ts';
import type { Deps } from '../../deps.ts';
import type { Principal } from '../../http/principal.ts';
import { appendDomainEvent } from '../../jobs/domain-events.ts';
import { courseErrors } from './courses.errors.ts';
import { isInstitutionAdminRow } from './courses.institutions.repository.ts';
import { canManageCourse, ownershipFor, principalUser } from './courses.policies.ts';
import {
  type CourseRow,
  deleteCourseRow,
  findCourse,
  findCourseByOwnerShortcode,
  insertCourse,
  isCourseAdminRow,
  listMemberships,
  updateCourseRow,
} from './courses.repository.ts';
import {
  checkPath,
  checkShortcode,
  checkTags,
  checkTitle,
  checkUrl,
  courseSlug,
} from './courses.validation.ts';

export interface Course {
  id: string;
  path: string;
  shortcode: string | null;
  title: string;
  description: string;
  category: string | null;
  tags: string[];
  courseStyle: string | null;
  signupUrl: string | null;
  language: string | null;
  startsAt: Date | null;
  endsAt: Date | null;
  status: 'online' | 'offline';
  published: boolean;
  url: string;
  ownerAppId: string | null;
  ownerInstitutionId: string | null;
  ownerUserId: string | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface CourseInput {
  path?: string;
  shortcode?: string | null;
  title?: string;
  description?: string;
  category?: string | null;
  tags?: readonly string[];
  courseStyle?: string | null;
  signupUrl?: string | null;
  language?: string | null;
  startsAt?: Date | null;
  endsAt?: Date | null;
  status?: 'online' | 'offline';
  published?: boolean;
}

type Ctx = Pick<Deps, 'db' | 'config'>;

export function toCourse(deps: Pick<Deps, 'config'>, row: CourseRow): Course {
  return {
    id: row.id,
    path: row.path,
    shortcode: row.shortcode,
    title: row.title,
    description: row.description,
    category: row.category,
    tags: row.tags,
    courseStyle: row.courseStyle,
    signupUrl: row.signupUrl,
    language: row.language,
    startsAt: row.startsAt,
    endsAt: row.endsAt,
    status: row.status === 'offline' ? 'offline' : 'online',
    published: row.published,
    url: `${deps.config.publicUrl}/courses/${row.path}`,
    ownerAppId: row.ownerAppId,
    ownerInstitutionId: row.ownerInstitutionId,
    ownerUserId: row.ownerUserId,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

/** How every course event names the course, plus `app_ids` so webhooks reach the owning app. */
export function courseEventPayload(course: Course): CourseEventFields;
export function courseEventPayload<E extends object>(course: Course, extra: E): CourseEventFields & E;
export function courseEventPayload(course: Course, extra: object = {}): CourseEventFields {
  return {
    course: { id: course.id, path: course.path, title: course.title, url: course.url },
    ...(course.ownerAppId ? { app_ids: [course.ownerAppId] } : {}),
    ...extra,
  };
}

interface CourseEventFields {
  course: { id: string; path: string; title: string; url: string };
  app_ids?: string[];
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export async function getCourseById(
  deps: Ctx,
  id: string,
  db: Executor = deps.db,
): Promise<Course | undefined> {
  if (!UUID.test(id)) return undefined;
  const row = await findCourse(db, { id: id.toLowerCase() });
  return row ? toCourse(deps, row) : undefined;
}

export async function getCourseByPath(deps: Ctx, path: string): Promise<Course | undefined> {
  if (path.length === 0 || path.length > 100) return undefined;
  const row = await findCourse(deps.db, { path });
  return row ? toCourse(deps, row) : undefined;
}

/** A course by id, path, or URL (`PUBLIC_URL/courses/<path>`). */
export async function resolveCourseRef(deps: Ctx, ref: string): Promise<Course | undefined> {
  let value = ref.trim();
  const prefix = `${deps.config.publicUrl}/courses/`;
  if (value.startsWith(prefix)) value = value.slice(prefix.length).replace(/\/$/, '');
  if (value.includes('/') || value.includes('?') || value.includes('#')) return undefined;
  if (UUID.test(value)) return getCourseById(deps, value);
  return getCourseByPath(deps, value);
}

export async function listActiveMemberIds(
  deps: Pick<Deps, 'db'>,
  courseId: string,
  options: { afterUserId?: string; limit: number },
): Promise<string[]> {
  const rows = await listMemberships(deps.db, courseId, { ...options, activeOnly: true });
  return rows.map((r) => r.userId);
}

/** The owning app, a course admin user, the owning institution or its admins, or a hub admin. */
export async function isCourseAdmin(deps: Ctx, courseId: string, principal: Principal): Promise<boolean> {
  const course = await getCourseById(deps, courseId);
  return course ? canManage(deps, course, principal) : false;
}

export async function canManage(
  deps: Pick<Deps, 'db'>,
  course: Course,
  principal: Principal,
): Promise<boolean> {
  const userId = principalUser(principal);
  const courseAdmin = userId ? await isCourseAdminRow(deps.db, course.id, userId) : false;
  const institutionAdmin =
    userId && course.ownerInstitutionId
      ? await isInstitutionAdminRow(deps.db, course.ownerInstitutionId, userId)
      : false;
  return canManageCourse(principal, course, { courseAdmin, institutionAdmin });
}

export async function assertCanManage(deps: Pick<Deps, 'db'>, course: Course, principal: Principal) {
  if (!(await canManage(deps, course, principal))) throw courseErrors.notOwner();
}

function normalise(input: CourseInput): CourseInput {
  const out: CourseInput = { ...input };
  if (input.path !== undefined) out.path = checkPath('path', input.path);
  if (input.shortcode) out.shortcode = checkShortcode(input.shortcode);
  if (input.title !== undefined) out.title = checkTitle('title', input.title);
  if (input.description !== undefined && input.description.length > 20_000)
    throw courseErrors.invalid('description', 'at most 20,000 characters');
  if (input.tags !== undefined) out.tags = checkTags(input.tags);
  if (input.signupUrl) out.signupUrl = checkUrl('signup_url', input.signupUrl);
  if (input.startsAt && input.endsAt && input.endsAt < input.startsAt)
    throw courseErrors.invalid('end_date', 'is before the start date');
  return out;
}

/** Creates a course owned by whoever creates it (an app, an institution or a user); `course.published`. */
export async function createCourse(deps: Deps, principal: Principal, raw: CourseInput): Promise<Course> {
  const owner = ownershipFor(principal);
  if (!owner) throw courseErrors.noOwner();
  const input = normalise(raw);
  if (!input.title) throw courseErrors.invalid('title', 'is required');
  const path = input.path ?? courseSlug(`${input.shortcode ?? input.title}-${deps.ids.token(4)}`);
  if (await findCourse(deps.db, { path })) throw courseErrors.pathTaken(path);
  const now = deps.clock.now();
  try {
    return await deps.db.transaction(async (tx) => {
      const row = await insertCourse(tx, {
        id: deps.ids.uuid(),
        path,
        shortcode: input.shortcode ?? null,
        title: input.title ?? '',
        description: input.description ?? '',
        category: input.category ?? null,
        tags: input.tags ? [...input.tags] : [],
        courseStyle: input.courseStyle ?? null,
        signupUrl: input.signupUrl ?? null,
        language: input.language ?? null,
        startsAt: input.startsAt ?? null,
        endsAt: input.endsAt ?? null,
        status: input.status ?? 'online',
        published: input.published ?? true,
        ...owner,
        createdAt: now,
        updatedAt: now,
      });
      const course = toCourse(deps, row);
      await appendDomainEvent(tx, deps, {
        type: 'course.published',
        subject: `course:${course.id}`,
        payload: courseEventPayload(course),
      });
      return course;
    });
  } catch (error) {
    const constraint = uniqueViolation(error);
    if (constraint?.includes('shortcode')) throw courseErrors.shortcodeTaken(input.shortcode ?? '');
    if (constraint?.includes('path')) throw courseErrors.pathTaken(path);
    throw error;
  }
}

/** Changes a course (owner only); `course.updated`. */
export async function updateCourse(
  deps: Deps,
  principal: Principal,
  course: Course,
  raw: CourseInput,
): Promise<Course> {
  await assertCanManage(deps, course, principal);
  const input = normalise(raw);
  if (
    input.path !== undefined &&
    input.path !== course.path &&
    (await findCourse(deps.db, { path: input.path }))
  )
    throw courseErrors.pathTaken(input.path);
  try {
    return await deps.db.transaction(async (tx) => {
      const row = await updateCourseRow(tx, course.id, {
        ...input,
        tags: input.tags ? [...input.tags] : undefined,
        updatedAt: deps.clock.now(),
      });
      const updated = toCourse(deps, row);
      await appendDomainEvent(tx, deps, {
        type: 'course.updated',
        subject: `course:${course.id}`,
        payload: courseEventPayload(updated),
      });
      return updated;
    });
  } catch (error) {
    const constraint = uniqueViolation(error);
    if (constraint?.includes('shortcode')) throw courseErrors.shortcodeTaken(input.shortcode ?? '');
    if (constraint?.includes('path')) throw courseErrors.pathTaken(input.path ?? '');
    throw error;
  }
}

/** The story's idempotent `PUT` by shortcode: creates the caller's course with that code or updates it. */
export async function upsertCourseByShortcode(
  deps: Deps,
  principal: Principal,
  shortcode: string,
  raw: CourseInput,
): Promise<{ course: Course; created: boolean }> {
  const owner = ownershipFor(principal);
  if (!owner) throw courseErrors.noOwner();
  const code = checkShortcode(shortcode);
  const existing = await findCourseByOwnerShortcode(
    deps.db,
    { appId: owner.ownerAppId, institutionId: owner.ownerInstitutionId, userId: owner.ownerUserId },
    code,
  );
  if (existing)
    return {
      course: await updateCourse(deps, principal, toCourse(deps, existing), { ...raw, shortcode: code }),
      created: false,
    };
  return { course: await createCourse(deps, principal, { ...raw, shortcode: code }), created: true };
}

export async function deleteCourse(deps: Deps, principal: Principal, course: Course): Promise<void> {
  await assertCanManage(deps, course, principal);
  await deps.db.transaction(async (tx) => {
    await deleteCourseRow(tx, course.id);
    await appendDomainEvent(tx, deps, {
      type: 'course.deleted',
      subject: `course:${course.id}`,
      payload: courseEventPayload(course),
    });
  });
}
