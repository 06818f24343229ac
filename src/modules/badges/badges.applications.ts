import { createHash } from 'node:crypto';
import type { Deps } from '../../deps.ts';
import type { Principal } from '../../http/principal.ts';
import type { ApplicationRow } from './badges.awards.repository.ts';
import * as awards from './badges.awards.repository.ts';
import { type ContextRef, resolveContext } from './badges.containers.ts';
import { badgeErrors } from './badges.errors.ts';
import type { Page } from './badges.repository.ts';
import * as repo from './badges.repository.ts';
import { type BadgeView, findBadgeIn, toViews } from './badges.usecases.ts';
import { Checker, type Input, isUrl } from './badges.validation.ts';

export type AppDeps = Pick<Deps, 'db' | 'config' | 'clock' | 'ids'>;
export const newSlug = (deps: AppDeps) => createHash('md5').update(deps.ids.token(24)).digest('hex');

const PROCESSED: Record<string, boolean | 'any'> = {
  true: true,
  '1': true,
  false: false,
  '0': false,
  any: 'any',
  '': 'any',
};

export function parseProcessed(value: string | undefined): boolean | 'any' {
  if (value === undefined) return 'any';
  const parsed = PROCESSED[value];
  if (parsed === undefined) {
    throw badgeErrors.invalidParameter(
      'processed',
      "Invalid `processed` parameter. Expecting one of 'true', 'false' or 'any'.",
    );
  }
  return parsed;
}

export interface ApplicationView {
  readonly row: ApplicationRow;
  readonly badge: BadgeView | null;
  readonly evidence: Awaited<ReturnType<typeof awards.evidenceOf>>;
}

export async function applicationViews(deps: AppDeps, rows: ApplicationRow[]): Promise<ApplicationView[]> {
  const [evidence, badgeRows] = await Promise.all([
    awards.evidenceOf(
      deps.db,
      rows.map((r) => r.id),
    ),
    repo.findBadgesByIds(deps.db, [...new Set(rows.map((r) => r.badgeId))]),
  ]);
  const badges = new Map((await toViews(deps, badgeRows)).map((b) => [b.row.id, b]));
  return rows.map((row) => ({
    row,
    badge: badges.get(row.badgeId) ?? null,
    evidence: evidence.filter((e) => e.applicationId === row.id),
  }));
}

/** Applications in a context (CTX/applications) or of one badge (B/applications). */
export async function listApplications(
  deps: AppDeps,
  principal: Principal,
  ref: ContextRef,
  badgeSlug: string | undefined,
  filter: { processed: boolean | 'any'; email?: string | undefined },
  page?: Page,
) {
  const ctx = await resolveContext(deps, principal, ref);
  const where = awards.applicationsWhere({
    badgeId: badgeSlug === undefined ? undefined : (await findBadgeIn(deps, ctx, badgeSlug)).id,
    systemId: ctx.system.id,
    issuerId: ctx.issuer?.id,
    programId: ctx.program?.id,
    ...filter,
  });
  const { rows, total } = await awards.listApplications(deps.db, where, page);
  return { items: await applicationViews(deps, rows), total };
}

function checkEvidence(c: Checker) {
  const raw = c.input.evidence;
  if (raw === undefined) return undefined;
  if (!Array.isArray(raw) || raw.length > 50)
    return void c.fail('evidence', raw, 'must be a list of at most 50 items');
  return raw.flatMap((item, n) => {
    const e = (typeof item === 'object' && item !== null ? item : {}) as Input;
    const url = e.url === undefined || e.url === null ? null : e.url;
    if (url !== null && !isUrl(url)) {
      c.fail(`evidence.${n}.url`, url, 'must be a URL');
      return [];
    }
    const mediaType = e.mediaType === undefined || e.mediaType === null ? null : e.mediaType;
    if (mediaType !== null && mediaType !== 'image' && mediaType !== 'link') {
      c.fail(`evidence.${n}.mediaType`, mediaType, 'must be image or link');
      return [];
    }
    const reflection = typeof e.reflection === 'string' ? e.reflection.slice(0, 65535) : null;
    return [{ url: url as string | null, mediaType: mediaType as string | null, reflection }];
  });
}

function checkApplication(input: Input, partial: boolean) {
  const c = new Checker(input, partial);
  const learner = c.email('learner', true);
  const assignedTo = c.email('assignedTo');
  const assignedExpiration = c.date('assignedExpiration');
  const processed = partial ? c.date('processed') : undefined;
  const evidence = checkEvidence(c);
  c.done();
  return { learner: learner?.toLowerCase(), assignedTo, assignedExpiration, processed, evidence };
}

/** An application of a badge, as the principal addresses it. */
export async function loadApplication(
  deps: AppDeps,
  principal: Principal,
  ref: ContextRef,
  badgeSlug: string,
  slug: string,
) {
  const ctx = await resolveContext(deps, principal, ref);
  const badge = await findBadgeIn(deps, ctx, badgeSlug);
  const row = await awards.findApplication(deps.db, badge.id, slug);
  if (!row) throw badgeErrors.notFound('application', 'slug', slug);
  return row;
}

export async function getApplication(
  deps: AppDeps,
  principal: Principal,
  ref: ContextRef,
  badgeSlug: string,
  slug: string,
) {
  const [view] = await applicationViews(deps, [await loadApplication(deps, principal, ref, badgeSlug, slug)]);
  return view as ApplicationView;
}

export async function createApplication(
  deps: AppDeps,
  principal: Principal,
  ref: ContextRef,
  badgeSlug: string,
  input: Input,
) {
  const v = checkApplication(input, false);
  const ctx = await resolveContext(deps, principal, ref);
  const badge = await findBadgeIn(deps, ctx, badgeSlug);
  const row = await deps.db.transaction(async (tx) => {
    const created = await awards.insertApplication(tx, {
      slug: newSlug(deps),
      badgeId: badge.id,
      learner: v.learner ?? '',
      created: deps.clock.now(),
      assignedTo: v.assignedTo ?? null,
      assignedExpiration: v.assignedExpiration ?? null,
      systemId: badge.systemId,
      issuerId: badge.issuerId,
      programId: badge.programId,
    });
    await awards.replaceEvidence(tx, created.id, v.evidence ?? []);
    return created;
  });
  const [view] = await applicationViews(deps, [row]);
  return view as ApplicationView;
}

export async function updateApplication(
  deps: AppDeps,
  principal: Principal,
  ref: ContextRef,
  badgeSlug: string,
  slug: string,
  input: Input,
) {
  const v = checkApplication(input, true);
  const existing = await loadApplication(deps, principal, ref, badgeSlug, slug);
  const row = await deps.db.transaction(async (tx) => {
    const set: Partial<ApplicationRow> = {};
    if (v.learner !== undefined) set.learner = v.learner;
    if (v.assignedTo !== undefined) set.assignedTo = v.assignedTo;
    if (v.assignedExpiration !== undefined) set.assignedExpiration = v.assignedExpiration;
    if (v.processed !== undefined) set.processed = v.processed;
    const updated = Object.keys(set).length ? await awards.updateApplication(tx, existing.id, set) : existing;
    if (v.evidence !== undefined) await awards.replaceEvidence(tx, existing.id, v.evidence);
    return updated ?? existing;
  });
  const [view] = await applicationViews(deps, [row]);
  return view as ApplicationView;
}

export async function deleteApplication(
  deps: AppDeps,
  principal: Principal,
  ref: ContextRef,
  badgeSlug: string,
  slug: string,
) {
  const row = await loadApplication(deps, principal, ref, badgeSlug, slug);
  await awards.deleteApplication(deps.db, row.id);
  return { row, badge: null, evidence: [] } satisfies ApplicationView;
}
