import type { Executor } from '../../db/client.ts';
import type { Deps } from '../../deps.ts';
import type { Principal } from '../../http/principal.ts';
import type { MilestoneRow } from './badges.awards.repository.ts';
import * as awards from './badges.awards.repository.ts';
import { type ContextRef, resolveContext } from './badges.containers.ts';
import { badgeErrors } from './badges.errors.ts';
import type { Page } from './badges.repository.ts';
import * as repo from './badges.repository.ts';
import { type BadgeView, toViews } from './badges.usecases.ts';
import { Checker, type Input } from './badges.validation.ts';

export interface MilestoneView {
  readonly row: MilestoneRow;
  readonly primaryBadge: BadgeView | null;
  readonly supportBadges: readonly BadgeView[];
}

async function views(deps: Pick<Deps, 'db' | 'config'>, rows: MilestoneRow[]): Promise<MilestoneView[]> {
  const support = await awards.supportBadgeIds(
    deps.db,
    rows.map((r) => r.id),
  );
  const ids = [...new Set([...rows.map((r) => r.primaryBadgeId), ...support.map((s) => s.badgeId)])];
  const badgeViews = await toViews(deps, await repo.findBadgesByIds(deps.db, ids));
  const byId = new Map(badgeViews.map((v) => [v.row.id, v]));
  return rows.map((row) => ({
    row,
    primaryBadge: byId.get(row.primaryBadgeId) ?? null,
    supportBadges: support
      .filter((s) => s.milestoneId === row.id)
      .flatMap((s) => {
        const v = byId.get(s.badgeId);
        return v ? [v] : [];
      }),
  }));
}

/** Milestones whose primary badge is this badge (shown on a single-badge GET). */
export async function milestonesOfPrimary(
  deps: Pick<Deps, 'db' | 'config'>,
  badgeId: number,
  systemId: number,
) {
  return views(deps, await awards.milestonesWithPrimary(deps.db, badgeId, systemId));
}

export async function listMilestones(deps: Deps, principal: Principal, ref: ContextRef, page?: Page) {
  const ctx = await resolveContext(deps, principal, { system: ref.system });
  const { rows, total } = await awards.listMilestones(deps.db, ctx.system.id, page);
  return { items: await views(deps, rows), total };
}

async function load(deps: Deps, principal: Principal, system: string, id: string, db: Executor = deps.db) {
  const ctx = await resolveContext(deps, principal, { system }, db);
  const n = /^\d{1,9}$/.test(id) ? Number(id) : -1;
  const row = await awards.findMilestone(db, ctx.system.id, n);
  if (!row) throw badgeErrors.notFound('milestone', 'id', id);
  return { ctx, row };
}

export async function getMilestone(deps: Deps, principal: Principal, system: string, id: string) {
  const { row } = await load(deps, principal, system, id);
  const [view] = await views(deps, [row]);
  return view as MilestoneView;
}

/** Badge ids must name badges of this system (a milestone never mixes systems). */
async function checkBadgeIds(deps: Deps, systemId: number, c: Checker, field: string, ids: unknown[]) {
  const nums = ids.map((x) =>
    typeof x === 'number' ? x : typeof x === 'string' && /^\d{1,9}$/.test(x) ? Number(x) : Number.NaN,
  );
  if (nums.some((n) => !Number.isSafeInteger(n))) return void c.fail(field, ids, 'must be badge ids');
  const found = await repo.findBadgesByIds(deps.db, nums);
  if (found.length !== new Set(nums).size || found.some((b) => b.systemId !== systemId)) {
    return void c.fail(field, ids, 'must name badges of this system');
  }
  return nums;
}

async function check(deps: Deps, systemId: number, input: Input, partial: boolean) {
  const c = new Checker(input, partial);
  const primary = c.int('primaryBadgeId', true);
  const numberRequired = c.int('numberRequired', true);
  const action = c.oneOf('action', ['issue', 'queue-application'] as const);
  const raw = input.supportBadges;
  let support: number[] | undefined;
  if (raw === undefined && !partial) c.fail('supportBadges', '', 'is required');
  else if (raw !== undefined && (!Array.isArray(raw) || raw.length > 100))
    c.fail('supportBadges', raw, 'must be a list of badge ids');
  else if (Array.isArray(raw)) support = await checkBadgeIds(deps, systemId, c, 'supportBadges', raw);
  if (primary !== undefined) await checkBadgeIds(deps, systemId, c, 'primaryBadgeId', [primary]);
  if (numberRequired !== undefined && numberRequired < 1)
    c.fail('numberRequired', numberRequired, 'must be at least 1');
  c.done();
  return { primary, numberRequired, action, support };
}

export async function createMilestone(deps: Deps, principal: Principal, system: string, input: Input) {
  const ctx = await resolveContext(deps, principal, { system });
  const v = await check(deps, ctx.system.id, input, false);
  const id = await deps.db.transaction(async (tx) => {
    const row = await awards.insertMilestone(tx, {
      systemId: ctx.system.id,
      primaryBadgeId: v.primary ?? 0,
      numberRequired: v.numberRequired ?? 1,
      action: v.action ?? 'issue',
    });
    await awards.setSupport(tx, row.id, v.support ?? []);
    return row.id;
  });
  return getMilestone(deps, principal, system, String(id));
}

export async function updateMilestone(
  deps: Deps,
  principal: Principal,
  system: string,
  id: string,
  input: Input,
) {
  const { ctx, row } = await load(deps, principal, system, id);
  const v = await check(deps, ctx.system.id, input, true);
  await deps.db.transaction(async (tx) => {
    const set: Partial<MilestoneRow> = {};
    if (v.primary !== undefined) set.primaryBadgeId = v.primary;
    if (v.numberRequired !== undefined) set.numberRequired = v.numberRequired;
    if (v.action !== undefined) set.action = v.action;
    await awards.updateMilestone(tx, row.id, set);
    if (v.support !== undefined) await awards.setSupport(tx, row.id, v.support);
  });
  return getMilestone(deps, principal, system, id);
}

export async function deleteMilestone(deps: Deps, principal: Principal, system: string, id: string) {
  const { row } = await load(deps, principal, system, id);
  await awards.deleteMilestone(deps.db, row.id);
}

export async function changeSupport(
  deps: Deps,
  principal: Principal,
  system: string,
  id: string,
  input: Input,
  add: boolean,
) {
  const { ctx, row } = await load(deps, principal, system, id);
  const c = new Checker(input);
  const badgeId = c.int('badgeId', true);
  if (badgeId !== undefined) await checkBadgeIds(deps, ctx.system.id, c, 'badgeId', [badgeId]);
  c.done();
  if (badgeId === undefined) throw badgeErrors.notFound('badge', 'id', '');
  if (add) await awards.addSupport(deps.db, row.id, [badgeId]);
  else await awards.removeSupport(deps.db, row.id, badgeId);
  return getMilestone(deps, principal, system, id);
}
