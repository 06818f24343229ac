import type { Deps } from '../../deps.ts';
import { scopeOf, toViews } from './badges.badges.ts';
import { type ContextRef, resolveContext } from './badges.containers.ts';
import type { Page } from './badges.repository.ts';
import * as repo from './badges.repository.ts';
import { badgeJson } from './badges.wire.ts';

/**
 * Badge lists as BadgeKit JSON text, cached per process. The key includes the system's `list_version`, which
 * every write that changes a list bumps in its own transaction, and which each request reads with the
 * system row it needs anyway: a stale list is never served, by this process or any other.
 */
const MAX_ENTRIES = 500;
const cache = new Map<string, { json: string; total: number }>();

export async function listBadgesJson(deps: Deps, ref: ContextRef, archived: boolean | 'any', page?: Page) {
  const ctx = await resolveContext(deps, ref);
  const key = [
    ctx.system.id,
    ctx.system.listVersion,
    ctx.issuer?.id,
    ctx.program?.id,
    archived,
    page?.page,
    page?.count,
  ].join(':');
  const hit = cache.get(key);
  if (hit) return hit;
  const { rows, total } = await repo.listBadges(deps.db, scopeOf(ctx), archived, page);
  const json = JSON.stringify((await toViews(deps, rows, ctx)).map(badgeJson));
  if (cache.size >= MAX_ENTRIES) cache.clear();
  const entry = { json, total };
  cache.set(key, entry);
  return entry;
}
