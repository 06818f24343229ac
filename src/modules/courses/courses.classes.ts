import type { Deps } from '../../deps.ts';
import type { Principal } from '../../http/principal.ts';
import { getUserById } from '../identity/index.ts';
import { hashActivationCode } from './courses.enrolment.ts';
import { courseErrors } from './courses.errors.ts';
import { getUserByEmail } from './courses.people.ts';
import {
  type ClassRow,
  findClass,
  insertClass,
  insertCourseAdmin,
  listClasses,
  listCourseAdminIds,
  updateClassRow,
} from './courses.repository.ts';
import { assertCanManage, type Course, getCourseById } from './courses.usecases.ts';
import {
  type ClassType,
  checkClassType,
  checkCurrency,
  checkDate,
  checkPrice,
  checkTitle,
  classSlug,
  parseEmail,
} from './courses.validation.ts';

export interface CourseClass {
  id: string;
  courseId: string;
  path: string;
  title: string;
  type: ClassType;
  isBilled: boolean;
  price: string | null;
  currency: string | null;
  hasActivationCode: boolean;
  startsAt: Date | null;
}

/** Raw class fields as they arrive (form strings in the dialect); validated here. */
export interface ClassInput {
  title?: string;
  type?: string;
  isBilled?: string | boolean;
  price?: string;
  currency?: string;
  activationCode?: string;
  startDate?: string;
}

export function toClass(row: ClassRow): CourseClass {
  return {
    id: row.id,
    courseId: row.courseId,
    path: row.path,
    title: row.title,
    type: checkClassType(row.type),
    isBilled: row.isBilled,
    price: row.price,
    currency: row.currency,
    hasActivationCode: row.activationCodeHash !== null,
    startsAt: row.startsAt,
  };
}

function parseBilled(value: string | boolean | undefined): boolean | undefined {
  if (value === undefined || typeof value === 'boolean') return value;
  if (value === 'true') return true;
  if (value === 'false') return false;
  throw courseErrors.invalid('isBilled', 'must be "true" or "false"');
}

function checkFields(input: ClassInput) {
  const isBilled = parseBilled(input.isBilled);
  const type = input.type === undefined ? undefined : checkClassType(input.type);
  const price = input.price === undefined || input.price === '' ? undefined : checkPrice(input.price);
  const currency =
    input.currency === undefined || input.currency === '' ? undefined : checkCurrency(input.currency);
  const startsAt = input.startDate ? checkDate('startDate', input.startDate) : undefined;
  const title = input.title === undefined ? undefined : checkTitle('title', input.title);
  if (input.activationCode !== undefined && input.activationCode.length > 200)
    throw courseErrors.invalid('activationCode', 'at most 200 characters');
  return { isBilled, type, price, currency, startsAt, title };
}

export async function createClass(
  deps: Deps,
  principal: Principal,
  course: Course,
  input: ClassInput,
): Promise<CourseClass> {
  await assertCanManage(deps, course, principal);
  const fields = checkFields(input);
  if (!fields.title) throw courseErrors.invalid('title', 'is required');
  const type = fields.type ?? 'open';
  if (type === 'requires-activation-code' && !input.activationCode)
    throw courseErrors.invalid('activationCode', 'is required for a requires-activation-code class');
  if (fields.isBilled && (!fields.price || !fields.currency))
    throw courseErrors.invalid(fields.price ? 'currency' : 'studentPrice', 'is required for a billed class');
  const path = `${course.path}/Cohorts/${classSlug(fields.title)}`;
  if (await findClass(deps.db, { path })) throw courseErrors.classPathTaken(`courses/${path}`);
  const id = deps.ids.uuid();
  const row = await insertClass(deps.db, {
    id,
    courseId: course.id,
    path,
    title: fields.title,
    type,
    isBilled: fields.isBilled ?? false,
    price: fields.price ?? null,
    currency: fields.currency ?? null,
    activationCodeHash: input.activationCode ? hashActivationCode(id, input.activationCode) : null,
    startsAt: fields.startsAt ?? null,
    createdAt: deps.clock.now(),
  });
  return toClass(row);
}

export async function updateClass(
  deps: Deps,
  principal: Principal,
  cls: CourseClass,
  input: ClassInput,
): Promise<CourseClass> {
  const course = await getCourseById(deps, cls.courseId);
  if (!course) throw courseErrors.classNotFound();
  await assertCanManage(deps, course, principal);
  const fields = checkFields(input);
  const type = fields.type ?? cls.type;
  if (type === 'requires-activation-code' && !input.activationCode && !cls.hasActivationCode)
    throw courseErrors.invalid('activationCode', 'is required for a requires-activation-code class');
  const row = await updateClassRow(deps.db, cls.id, {
    ...(fields.title !== undefined ? { title: fields.title } : {}),
    type,
    ...(fields.isBilled !== undefined ? { isBilled: fields.isBilled } : {}),
    ...(fields.price !== undefined ? { price: fields.price } : {}),
    ...(fields.currency !== undefined ? { currency: fields.currency } : {}),
    ...(input.activationCode ? { activationCodeHash: hashActivationCode(cls.id, input.activationCode) } : {}),
    ...(fields.startsAt !== undefined ? { startsAt: fields.startsAt } : {}),
  });
  return toClass(row);
}

export async function listCourseClasses(deps: Deps, course: Course): Promise<CourseClass[]> {
  return (await listClasses(deps.db, course.id)).map(toClass);
}

/** A class by its path: `courses/<course>/Cohorts/<class>`, with or without `courses/` or an institution prefix. */
export async function getClassByPath(deps: Deps, ref: string): Promise<CourseClass | undefined> {
  const match =
    /^(?:\/)?(?:[A-Za-z0-9_-]+\/)?(?:courses\/)?([A-Za-z0-9_-]+)\/cohorts\/([A-Za-z0-9_-]+)\/?$/i.exec(ref);
  if (!match?.[1] || !match[2]) return undefined;
  const row = await findClass(deps.db, { path: `${match[1]}/Cohorts/${match[2]}` });
  return row ? toClass(row) : undefined;
}

export async function getClassById(deps: Deps, id: string): Promise<CourseClass | undefined> {
  const row = await findClass(deps.db, { id });
  return row ? toClass(row) : undefined;
}

export async function listCourseAdminEmails(
  deps: Deps,
  principal: Principal,
  course: Course,
): Promise<string[]> {
  await assertCanManage(deps, course, principal);
  const ids = await listCourseAdminIds(deps.db, course.id);
  const users = await Promise.all(ids.map((id) => getUserById(deps, id)));
  return users.flatMap((u) => (u ? [u.email] : []));
}

export async function addCourseAdminByEmail(
  deps: Deps,
  principal: Principal,
  course: Course,
  email: string,
): Promise<void> {
  await assertCanManage(deps, course, principal);
  const address = parseEmail(email);
  if (!address) throw courseErrors.invalid('email_address', 'is not an email address');
  const user = await getUserByEmail(deps, address);
  if (!user) throw courseErrors.userNotFound(address);
  await insertCourseAdmin(deps.db, course.id, user.id, deps.clock.now());
}
