import type { Deps } from '../../deps.ts';
import type { Principal } from '../../http/principal.ts';
import * as awards from './badges.awards.repository.ts';
import { type ContextRef, resolveContext } from './badges.containers.ts';
import { badgeErrors, isUniqueViolation } from './badges.errors.ts';
import type { Page } from './badges.repository.ts';
import * as repo from './badges.repository.ts';
import { findBadgeIn, scopeOf, toViews } from './badges.usecases.ts';
import { Checker, type Input } from './badges.validation.ts';

type CodeDeps = Pick<Deps, 'db' | 'config' | 'ids'>;

async function badgeOf(deps: CodeDeps, principal: Principal, ref: ContextRef, slug: string) {
  const ctx = await resolveContext(deps, principal, ref);
  const [view] = await toViews(deps, [await findBadgeIn(deps, ctx, slug)], ctx);
  if (!view) throw badgeErrors.notFound('badge', 'slug', slug);
  return view;
}

export async function listCodes(
  deps: CodeDeps,
  principal: Principal,
  ref: ContextRef,
  slug: string,
  page?: Page,
) {
  const badge = await badgeOf(deps, principal, ref, slug);
  const { rows, total } = await awards.listCodes(deps.db, badge.row.id, page);
  return { items: rows, total, badge };
}

/**
 * Creates a claim code (or a random 10-hex-digit one). BadgeKit quirk kept: `claimed` and `multiuse` are true
 * whenever the field is present with any value other than null.
 */
export async function createCode(
  deps: CodeDeps,
  principal: Principal,
  ref: ContextRef,
  slug: string,
  input: Input,
  random: boolean,
) {
  const c = new Checker(input);
  const code = random
    ? deps.ids.uuid().replaceAll('-', '').slice(0, 10)
    : c.string('code', { required: true, min: 1, max: 255 });
  const email = c.email('email');
  c.done();
  const badge = await badgeOf(deps, principal, ref, slug);
  const present = (k: string) => input[k] !== undefined && input[k] !== null;
  try {
    const row = await awards.insertCode(deps.db, {
      code: code ?? '',
      claimed: present('claimed'),
      multiuse: present('multiuse'),
      email: email ?? null,
      badgeId: badge.row.id,
    });
    return { row, badge };
  } catch (error) {
    if (isUniqueViolation(error)) throw badgeErrors.duplicate('claimCode', { code, email: email ?? null });
    throw error;
  }
}

export async function getCode(
  deps: CodeDeps,
  principal: Principal,
  ref: ContextRef,
  slug: string,
  code: string,
) {
  const badge = await badgeOf(deps, principal, ref, slug);
  const row = await awards.findCode(deps.db, badge.row.id, code);
  if (!row) throw badgeErrors.notFound('claimCode', 'code', code);
  return { row, badge };
}

export async function deleteCode(
  deps: CodeDeps,
  principal: Principal,
  ref: ContextRef,
  slug: string,
  code: string,
) {
  const found = await getCode(deps, principal, ref, slug, code);
  await awards.deleteCode(deps.db, found.row.id);
  return found;
}

/** Marks a code claimed (a single-use code only once). Claiming does not award the badge. */
export async function claimCode(
  deps: CodeDeps,
  principal: Principal,
  ref: ContextRef,
  slug: string,
  code: string,
  input: Input,
) {
  const c = new Checker(input);
  const email = c.email('email');
  c.done();
  const badge = await badgeOf(deps, principal, ref, slug);
  const row = await deps.db.transaction(async (tx) => {
    const found = await awards.findCode(tx, badge.row.id, code, true);
    if (!found) throw badgeErrors.notFound('claimCode', 'code', code);
    if (found.claimed && !found.multiuse) throw badgeErrors.codeAlreadyUsed(code);
    return (await awards.claimCode(tx, found.id, email?.toLowerCase() ?? null)) ?? found;
  });
  return { row, badge };
}

/** CTX/codes/:code: the badge a code belongs to within the context, with `claimed` (single-use and used). */
export async function badgeForCode(deps: CodeDeps, principal: Principal, ref: ContextRef, code: string) {
  const ctx = await resolveContext(deps, principal, ref);
  const ids = (await repo.listBadges(deps.db, scopeOf(ctx), 'any')).rows.map((b) => b.id);
  const row = await awards.findCodeInBadges(deps.db, ids, code);
  if (!row) throw badgeErrors.notFoundMessage(`Could not find the requested claim code ${code}`);
  const [badge] = await toViews(deps, await repo.findBadgesByIds(deps.db, [row.badgeId]), ctx);
  if (!badge) throw badgeErrors.notFoundMessage(`Could not find the requested claim code ${code}`);
  return { badge, claimed: row.claimed && !row.multiuse };
}
