import type { Deps } from '../../deps.ts';
import { dropMemberInTx, enrolWithRole, getCourseById, listActiveMemberIds } from '../courses/index.ts';
import { getUserById } from '../identity/index.ts';
import { courseRole } from './lti.claims.ts';
import { LaunchError } from './lti.errors.ts';
import { materialiseAccount, planAccount } from './lti.provision.ts';
import { findAccountsOfUsers, findContextById, findPlatform, updateContext } from './lti.repository.ts';
import { SCOPES, ServiceError, SYNC_ROSTER, serviceCall } from './lti.services.ts';

export { SYNC_ROSTER };

const MAX_PAGES = 500;
const MEDIA = 'application/vnd.ims.lti-nrps.v2.membershipcontainer+json';

interface Member {
  readonly user_id?: unknown;
  readonly status?: unknown;
  readonly roles?: unknown;
  readonly name?: unknown;
  readonly email?: unknown;
}

export interface RosterResult {
  readonly enrolled: number;
  readonly dropped: number;
  readonly skipped: number;
}

/** The `rel="next"` target of a Link header, if any. */
export function nextLink(header: string | null): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(',')) {
    const match = /<([^>]+)>\s*;(.*)/.exec(part.trim());
    if (match?.[1] && /\brel="?next"?/.test(match[2] ?? '')) return match[1];
  }
  return undefined;
}

async function fetchMembers(
  deps: Deps,
  platform: Parameters<typeof serviceCall>[1],
  first: string,
): Promise<Member[]> {
  const origin = new URL(first).origin;
  const members: Member[] = [];
  let url: string | undefined = first;
  for (let page = 0; url && page < MAX_PAGES; page++) {
    // The bearer token goes only to the platform's own host, whatever a Link header says.
    if (new URL(url).origin !== origin)
      throw new ServiceError(`next page ${url} is on another host`, undefined, false);
    const res = await serviceCall(deps, platform, [SCOPES.roster], url, {
      method: 'GET',
      headers: { accept: MEDIA },
    });
    const body = (await res.json().catch(() => ({}))) as { members?: unknown };
    if (!Array.isArray(body.members)) throw new ServiceError(`${url}: no members array`, res.status, false);
    members.push(...(body.members as Member[]));
    url = nextLink(res.headers.get('link'));
  }
  return members;
}

/**
 * Names and Role Provisioning Services 2.0: brings the LMS roster of a linked context into the hub course.
 * Active members are enrolled with their LMS role (accounts made as a launch would make them); members who
 * are Inactive, Deleted or gone from the roster are marked dropped, never deleted. Only memberships of people
 * linked through this platform are dropped; the course's other members are not the LMS's to remove.
 */
export async function syncRoster(deps: Deps, contextRowId: string): Promise<RosterResult> {
  const context = await findContextById(deps.db, contextRowId);
  const platform = context ? await findPlatform(deps.db, context.platformId) : undefined;
  const course = context ? await getCourseById(deps, context.courseId) : undefined;
  if (!context?.membershipsUrl || !platform || !course) return { enrolled: 0, dropped: 0, skipped: 0 };
  const members = await fetchMembers(deps, platform, context.membershipsUrl);
  const active = new Set<string>();
  let enrolled = 0;
  let skipped = 0;
  for (const m of members) {
    if (typeof m.user_id !== 'string' || m.user_id === '') continue;
    if ((m.status ?? 'Active') !== 'Active') continue;
    active.add(m.user_id);
    const person = {
      issuer: platform.issuer,
      sub: m.user_id,
      name: typeof m.name === 'string' ? m.name : undefined,
      email: typeof m.email === 'string' ? m.email : undefined,
    };
    const roles = Array.isArray(m.roles) ? m.roles.filter((r): r is string => typeof r === 'string') : [];
    try {
      const plan = await planAccount(deps, platform, person);
      await deps.db.transaction(async (tx) => {
        const txDeps = { ...deps, db: tx };
        const user = await materialiseAccount(txDeps, platform, person, plan);
        await enrolWithRole(tx, deps, course, user, courseRole(roles).role);
      });
      enrolled++;
    } catch (error) {
      // One person's conflict (their address belongs to an unlinked account) does not stop the roster.
      if (!(error instanceof LaunchError)) throw error;
      deps.logger.warn(
        { lti: { context: context.id, sub: m.user_id } },
        `NRPS member skipped: ${error.detail}`,
      );
      skipped++;
    }
  }
  let dropped = 0;
  let after: string | undefined;
  for (;;) {
    const ids = await listActiveMemberIds(deps, course.id, {
      limit: 500,
      ...(after ? { afterUserId: after } : {}),
    });
    if (ids.length === 0) break;
    after = ids.at(-1);
    for (const account of await findAccountsOfUsers(deps.db, platform.issuer, ids)) {
      if (active.has(account.sub)) continue;
      const user = await getUserById(deps, account.userId);
      if (user && (await deps.db.transaction((tx) => dropMemberInTx(tx, deps, course, user)))) dropped++;
    }
  }
  await updateContext(deps.db, context.id, { lastRosterSyncAt: deps.clock.now() });
  return { enrolled, dropped, skipped };
}

export function registerRosterJobs(deps: Deps): void {
  deps.jobs.register<{ contextId: string }>(SYNC_ROSTER, async ({ contextId }) => {
    const result = await syncRoster(deps, contextId);
    deps.logger.info({ lti: { context: contextId, ...result } }, 'NRPS roster synced');
  });
}
