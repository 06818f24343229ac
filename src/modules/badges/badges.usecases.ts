import { createHash } from 'node:crypto';
import type { Deps } from '../../deps.ts';
import type { Principal } from '../../http/principal.ts';
import {
  type BadgeContext,
  type ContextRef,
  checkSystem,
  findContext,
  imageUrlOf,
  resolveContext,
  storeImage,
} from './badges.containers.ts';
import { badgeErrors, isUniqueViolation } from './badges.errors.ts';
import type { MilestoneView } from './badges.milestones.ts';
import { milestonesOfPrimary } from './badges.milestones.ts';
import { withRemoteImage } from './badges.remote-image.ts';
import type {
  BadgeScope,
  BadgeWithRelations,
  IssuerRow,
  Page,
  ProgramRow,
  SystemRow,
} from './badges.repository.ts';
import * as repo from './badges.repository.ts';
import { checkBadge, type Input } from './badges.validation.ts';

export interface BadgeView {
  readonly row: BadgeWithRelations;
  readonly imageUrl: string | null;
  readonly system?: SystemRow | undefined;
  readonly issuer?: IssuerRow | undefined;
  readonly program?: ProgramRow | undefined;
  readonly milestones: readonly MilestoneView[];
}

export function scopeOf(ctx: BadgeContext): BadgeScope {
  return { systemId: ctx.system.id, issuerId: ctx.issuer?.id, programId: ctx.program?.id };
}

/** Attaches image URLs and the badges' containers, loading each distinct issuer/program once. */
export async function toViews(
  deps: Pick<Deps, 'db' | 'config'>,
  rows: BadgeWithRelations[],
  ctx?: BadgeContext,
) {
  const need = <T>(ids: (number | null)[], known?: T & { id: number }) => [
    ...new Set(ids.filter((id): id is number => id !== null && id !== known?.id)),
  ];
  const [systems, issuers, programs] = await Promise.all([
    Promise.all(
      need(
        rows.map((r) => r.systemId),
        ctx?.system,
      ).map((id) => repo.findSystemById(deps.db, id)),
    ),
    repo.issuersOf(
      deps.db,
      need(
        rows.map((r) => r.issuerId),
        ctx?.issuer,
      ),
    ),
    repo.programsOf(
      deps.db,
      need(
        rows.map((r) => r.programId),
        ctx?.program,
      ),
    ),
  ]);
  const byId = <T extends { id: number }>(list: (T | undefined)[], extra?: T) =>
    new Map([...list, extra].filter((x): x is T => x !== undefined).map((x) => [x.id, x]));
  const s = byId(systems, ctx?.system);
  const i = byId(issuers, ctx?.issuer);
  const p = byId(programs, ctx?.program);
  return rows.map(
    (row): BadgeView => ({
      row,
      imageUrl: imageUrlOf(deps, { slug: row.imageSlug, url: row.imageUrl }),
      system: s.get(row.systemId),
      issuer: row.issuerId === null ? undefined : i.get(row.issuerId),
      program: row.programId === null ? undefined : p.get(row.programId),
      milestones: [],
    }),
  );
}

const ARCHIVED: Record<string, boolean | 'any'> = {
  true: true,
  '1': true,
  false: false,
  '0': false,
  any: 'any',
  '': 'any',
};

export function parseArchived(value: string | undefined): boolean | 'any' {
  if (value === undefined) return false;
  const parsed = ARCHIVED[value];
  if (parsed === undefined) {
    throw badgeErrors.invalidParameter(
      'archived',
      "Invalid `archived` parameter. Expecting one of 'true', 'false' or 'any'.",
    );
  }
  return parsed;
}

/** Which list a context names, and the version its contents are at (bumped by every write to them). */
export interface BadgeListKey {
  readonly systemId: number;
  readonly version: number;
  readonly issuerId: number | null;
  readonly programId: number | null;
}

/** The list key of a context, in one prepared statement (the BadgeKit list cache asks this per request). */
export async function badgeListKey(
  deps: Pick<Deps, 'pool'>,
  principal: Principal,
  ref: ContextRef,
): Promise<BadgeListKey> {
  const found = await repo.findListKey(deps.pool, ref.system, ref.issuer, ref.program);
  const ids = checkSystem(
    principal,
    ref.system,
    found && { ...found, id: found.system_id, slug: ref.system },
  );
  if (ref.issuer !== undefined && ids.issuer_id === null)
    throw badgeErrors.notFound('issuer', 'slug', ref.issuer);
  if (ref.program !== undefined && ids.program_id === null)
    throw badgeErrors.notFound('program', 'slug', ref.program);
  return {
    systemId: ids.system_id,
    version: ids.list_version,
    issuerId: ids.issuer_id,
    programId: ids.program_id,
  };
}

/** The badges of a context, with the list key they were read at. */
export async function listBadges(
  deps: Deps,
  principal: Principal,
  ref: ContextRef,
  archived: boolean | 'any',
  page?: Page,
) {
  const ctx = await resolveContext(deps, principal, ref);
  const { rows, total } = await repo.listBadges(deps.db, scopeOf(ctx), archived, page);
  const key: BadgeListKey = {
    systemId: ctx.system.id,
    version: ctx.system.listVersion,
    issuerId: ctx.issuer?.id ?? null,
    programId: ctx.program?.id ?? null,
  };
  return { items: await toViews(deps, rows, ctx), total, key };
}

/** The badge `slug` as addressed through a context (found by slug and the context's ids). */
export async function findBadgeIn(deps: Pick<Deps, 'db'>, ctx: BadgeContext, slug: string) {
  const row = await repo.findBadge(deps.db, scopeOf(ctx), slug);
  if (!row) throw badgeErrors.notFound('badge', 'slug', slug);
  return row;
}

export async function getBadge(
  deps: Deps,
  principal: Principal,
  ref: ContextRef,
  slug: string,
): Promise<BadgeView> {
  return badgeWithMilestones(deps, await resolveContext(deps, principal, ref), slug);
}

/** A badge for its public (OB 1.0) BadgeClass: no principal, as the document is public. */
export async function publicBadge(deps: Deps, ref: ContextRef, slug: string): Promise<BadgeView> {
  return badgeWithMilestones(deps, await findContext(deps, ref), slug);
}

async function badgeWithMilestones(deps: Deps, ctx: BadgeContext, slug: string): Promise<BadgeView> {
  const row = await findBadgeIn(deps, ctx, slug);
  const [view] = await toViews(deps, [row], ctx);
  if (!view) throw badgeErrors.notFound('badge', 'slug', slug);
  return { ...view, milestones: await milestonesOfPrimary(deps, row.id, ctx.system.id) };
}

export async function createBadge(
  deps: Deps,
  principal: Principal,
  ref: ContextRef,
  input: Input,
  ownerAppId?: string,
) {
  const { set, image, children } = checkBadge(input, false);
  const ctx = await resolveContext(deps, principal, ref);
  // After the permission check, so only a caller who may create badges makes the hub fetch a URL.
  const stored = await withRemoteImage(deps, image);
  const now = deps.clock.now();
  const slug =
    typeof set.slug === 'string'
      ? set.slug
      : createHash('md5')
          .update(`${now.getTime()}${String(set.name)}`)
          .digest('hex');
  try {
    const id = await deps.db.transaction(async (tx) => {
      if (!stored) throw badgeErrors.invalid([{ field: 'image', value: '', message: 'Missing value' }]);
      const imageId = (await storeImage(deps, tx, stored)).id;
      const row = await repo.insertBadge(tx, {
        ...(set as Omit<typeof set, never>),
        name: String(set.name),
        earnerDescription: String(set.earnerDescription),
        consumerDescription: String(set.consumerDescription),
        criteriaUrl: String(set.criteriaUrl),
        type: String(set.type),
        slug,
        created: now,
        imageId,
        systemId: ctx.system.id,
        issuerId: ctx.issuer?.id ?? null,
        programId: ctx.program?.id ?? null,
        ownerAppId: ownerAppId ?? null,
      });
      await repo.replaceChildren(tx, row.id, children);
      await repo.bumpListVersion(tx, ctx.system.id);
      return row.id;
    });
    const [row] = await repo.findBadgesByIds(deps.db, [id]);
    if (!row) throw badgeErrors.notFound('badge', 'slug', slug);
    const [view] = await toViews(deps, [row], ctx);
    return view as BadgeView;
  } catch (error) {
    if (isUniqueViolation(error)) throw badgeErrors.duplicate('badge', { ...set, slug });
    throw error;
  }
}

export async function updateBadge(
  deps: Deps,
  principal: Principal,
  ref: ContextRef,
  slug: string,
  input: Input,
) {
  const { set, image, children } = checkBadge(input, true);
  const ctx = await resolveContext(deps, principal, ref);
  const existing = await findBadgeIn(deps, ctx, slug);
  const stored = await withRemoteImage(deps, image);
  try {
    await deps.db.transaction(async (tx) => {
      const patch = stored ? { ...set, imageId: (await storeImage(deps, tx, stored)).id } : set;
      await repo.updateBadge(tx, existing.id, patch);
      await repo.replaceChildren(tx, existing.id, children);
      await repo.bumpListVersion(tx, existing.systemId);
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw badgeErrors.duplicate('badge', { ...existing, ...set });
    throw error;
  }
  const [row] = await repo.findBadgesByIds(deps.db, [existing.id]);
  if (!row) throw badgeErrors.notFound('badge', 'slug', slug);
  const [view] = await toViews(deps, [row], ctx);
  return view as BadgeView;
}

/** Deletes a badge (with its criteria, codes and awards); the view has no relations, as BadgeKit's has none. */
export async function deleteBadge(
  deps: Deps,
  principal: Principal,
  ref: ContextRef,
  slug: string,
): Promise<BadgeView> {
  const ctx = await resolveContext(deps, principal, ref);
  const row = await findBadgeIn(deps, ctx, slug);
  await deps.db.transaction(async (tx) => {
    await repo.deleteBadge(tx, row.id);
    await repo.bumpListVersion(tx, row.systemId);
  });
  const bare = { ...row, criteria: [], alignments: [], categories: [], tags: [] };
  return {
    row: bare,
    imageUrl: imageUrlOf(deps, { slug: row.imageSlug, url: row.imageUrl }),
    milestones: [],
  };
}

/** BadgeKit's /public/badges: the public path of every badge (by its deepest container); public. */
export async function allBadgeLocations(deps: Deps, archived: boolean | 'any') {
  const rows = await repo.listAllBadges(deps.db, archived);
  const views = await toViews(
    deps,
    rows.map((r) => ({
      ...r,
      imageSlug: null,
      imageUrl: null,
      criteria: [],
      alignments: [],
      categories: [],
      tags: [],
    })),
  );
  return views.map(
    (v) =>
      `/systems/${v.system?.slug ?? ''}${v.issuer ? `/issuers/${v.issuer.slug}` : ''}${v.program ? `/programs/${v.program.slug}` : ''}/badges/${v.row.slug}`,
  );
}
