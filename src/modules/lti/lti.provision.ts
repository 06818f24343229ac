import type { Executor } from '../../db/client.ts';
import type { Deps } from '../../deps.ts';
import type { Principal } from '../../http/principal.ts';
import { enqueue } from '../../jobs/enqueue.ts';
import { hashToken } from '../../lib/secrets.ts';
import {
  type Course,
  createCourse,
  enrolWithRole,
  getCourseById,
  resolveCourseRef,
} from '../courses/index.ts';
import { createUser, getUserByEmail, getUserById, type User } from '../identity/index.ts';
import { courseRole, type LaunchClaims } from './lti.claims.ts';
import { launchErrors } from './lti.errors.ts';
import { resolveActivity } from './lti.hooks.ts';
import {
  findAccount,
  findContext,
  insertAccount,
  insertContext,
  type PlatformRow,
  updateContext,
  upsertResourceLink,
} from './lti.repository.ts';
import { SYNC_ROSTER } from './lti.services.ts';

export interface LaunchResult {
  readonly user: User;
  readonly course: Course | undefined;
  /** Where the person goes: the course page or the activity (a path on the hub). */
  readonly location: string;
}

export type AccountPlan =
  | { kind: 'existing'; user: User }
  | { kind: 'link'; user: User }
  | { kind: 'create' };

function username(name: string | undefined, deps: Pick<Deps, 'ids'>): string {
  const base =
    (name ?? '')
      .normalize('NFKD')
      .replace(/[^A-Za-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 20)
      .toLowerCase() || 'learner';
  const suffix = deps.ids.token(6).replace(/[^A-Za-z0-9]/g, 'x');
  return `${base.length >= 2 ? base : 'learner'}-${suffix}`.replace(/^[^A-Za-z0-9]+/, 'u');
}

/** sub + iss → the account: already linked, linked now by verified email (if allowed), or to create. */
export interface LmsPerson {
  readonly issuer: string;
  readonly sub: string;
  readonly name: string | undefined;
  readonly email: string | undefined;
}

export async function planAccount(
  deps: Deps,
  platform: PlatformRow,
  claims: LmsPerson,
): Promise<AccountPlan> {
  const linked = await findAccount(deps.db, claims.issuer, claims.sub);
  if (linked) {
    const user = await getUserById(deps, linked.userId);
    if (!user)
      throw launchErrors.accountConflict(
        `account ${linked.userId} linked to ${claims.issuer} ${claims.sub} is gone`,
      );
    return { kind: 'existing', user };
  }
  if (!claims.email) return { kind: 'create' };
  const holder = await getUserByEmail(deps, claims.email);
  if (!holder) return { kind: 'create' };
  // Never a second account for the address; link only when the operator allows it and the hub has proven
  // the address (anyone can sign up with someone else's address and wait for their LMS to link it).
  if (platform.linkByEmail && holder.emailVerified) return { kind: 'link', user: holder };
  throw launchErrors.accountConflict(
    `platform ${platform.id} sub ${claims.sub}: email belongs to account ${holder.id} (${platform.linkByEmail ? 'address not verified' : 'link_by_email is off'})`,
  );
}

/** The launch path (`/lti/launch/<path>`, `/openlearning/lti/<path>`) or the `hub_course` custom parameter. */
function namedTarget(
  claims: LaunchClaims,
  launchPath: string | undefined,
  publicUrl: string,
): string | undefined {
  if (launchPath) return launchPath;
  if (claims.custom.hub_course) return claims.custom.hub_course;
  for (const prefix of [`${publicUrl}/lti/launch/`, `${publicUrl}/openlearning/lti/`]) {
    if (claims.targetLinkUri.startsWith(prefix))
      return claims.targetLinkUri.slice(prefix.length).split(/[?#]/)[0];
  }
  return undefined;
}

/**
 * Maps a verified launch onto the hub: the account, the course (linked context, named target, or created
 * when allowed), the membership with the LMS role, the resource link. Everything is decided before anything
 * is written, and written in one transaction: a refused launch creates nothing.
 */
export async function provisionLaunch(
  deps: Deps,
  platform: PlatformRow,
  claims: LaunchClaims,
  launchPath: string | undefined,
): Promise<LaunchResult> {
  const { role, teaching } = courseRole(claims.roles);
  const account = await planAccount(deps, platform, claims);
  const where = `platform ${platform.id} context ${claims.context?.id ?? '(none)'}`;

  const named = namedTarget(claims, launchPath, deps.config.publicUrl);
  const activity = claims.custom.hub_activity
    ? await resolveActivity(deps, claims.custom.hub_activity)
    : undefined;
  if (claims.custom.hub_activity && !activity)
    throw launchErrors.notFound(`${where}: activity ${claims.custom.hub_activity} is unknown`);
  let course = activity ? await getCourseById(deps, activity.courseId) : undefined;
  if (!course && named) {
    course = await resolveCourseRef(deps, decodeURIComponent(named));
    if (!course) throw launchErrors.notFound(`${where}: launch target ${named} is not a hub course`);
  }
  const contextRow = claims.context ? await findContext(deps.db, platform.id, claims.context.id) : undefined;
  if (!course && contextRow) {
    course = await getCourseById(deps, contextRow.courseId);
    if (!course) throw launchErrors.notFound(`${where}: linked course ${contextRow.courseId} was deleted`);
  }
  const createCourseNow = !course && claims.context !== undefined && platform.autoCreateCourses && teaching;
  if (!course && !createCourseNow && claims.messageType === 'LtiResourceLinkRequest')
    throw launchErrors.unlinkedContext(
      `${where}: no linked course, ${platform.autoCreateCourses ? `role ${role} may not create one` : 'auto_create_courses is off'}`,
    );

  const now = deps.clock.now();
  return deps.db.transaction(async (tx) => {
    const txDeps = { ...deps, db: tx };
    const user = await materialiseAccount(txDeps, platform, claims, account);
    if (createCourseNow && claims.context) {
      const owner: Principal = platform.institutionId
        ? { kind: 'institution', institutionId: platform.institutionId }
        : { kind: 'user', userId: user.id, admin: false };
      course = await createCourse(txDeps, owner, {
        title: (claims.context.title ?? `LMS course ${claims.context.id}`).slice(0, 200),
        published: false,
      });
    }
    if (course && claims.context) {
      const services = {
        lineItemsUrl: claims.ags?.lineItems ?? null,
        agsScopes: claims.ags?.scopes ?? [],
        membershipsUrl: claims.nrpsUrl ?? null,
        title: claims.context.title ?? null,
        updatedAt: now,
      };
      const ctx =
        contextRow ??
        (await insertContext(tx, {
          id: deps.ids.uuid(),
          platformId: platform.id,
          contextId: claims.context.id,
          courseId: course.id,
          ...services,
          createdAt: now,
        }));
      if (contextRow) await updateContext(tx, contextRow.id, services);
      // An instructor's launch refreshes the roster (one pending sync per context at a time).
      if (teaching && claims.nrpsUrl)
        await enqueue(tx, SYNC_ROSTER, { contextId: ctx.id }, { jobKey: `${SYNC_ROSTER}:${ctx.id}` });
      if (claims.resourceLink)
        await upsertResourceLink(tx, {
          id: deps.ids.uuid(),
          platformId: platform.id,
          resourceLinkId: claims.resourceLink.id,
          contextRowId: ctx.id,
          targetKind: activity ? 'activity' : 'course',
          targetRef: activity ? activity.ref : course.id,
          title: claims.resourceLink.title ?? null,
          lineItemUrl: claims.ags?.lineItem ?? null,
          createdAt: now,
          updatedAt: now,
        });
    }
    if (course) await enrolWithRole(tx, deps, course, user, role);
    const location = activity?.path ?? (course ? `/courses/${course.path}` : '/');
    return { user, course, location };
  });
}

/** Carries out an account plan inside the caller's transaction: the account and its link, or neither. */
export async function materialiseAccount(
  txDeps: Deps & { readonly db: Executor },
  platform: PlatformRow,
  person: LmsPerson,
  plan: AccountPlan,
): Promise<User> {
  if (plan.kind === 'existing') return plan.user;
  let user: User;
  if (plan.kind === 'create') {
    const email =
      person.email ?? `lti-${hashToken(`${person.issuer}\n${person.sub}`).slice(0, 32)}@lti.invalid`;
    user = await createUser(txDeps, {
      username: username(person.name ?? person.email?.split('@')[0], txDeps),
      name: (person.name ?? person.email?.split('@')[0] ?? 'LMS learner').slice(0, 100),
      email,
      password: txDeps.ids.token(24),
      // The platform's word is not proof of the address, so a real one is mailed a verification link. A
      // placeholder (no email claim) is under .invalid: it can never receive mail or match an invitation.
      emailVerified: person.email === undefined,
    });
  } else user = plan.user;
  await insertAccount(txDeps.db, {
    issuer: person.issuer,
    sub: person.sub,
    userId: user.id,
    platformId: platform.id,
    linkedBy: plan.kind === 'link' ? 'email' : 'created',
    createdAt: txDeps.clock.now(),
  });
  return user;
}
