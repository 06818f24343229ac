import type { Deps } from '../../deps.ts';
import { scopeOf, toViews } from './badges.badges.ts';
import { type ContextRef, resolveContext } from './badges.containers.ts';
import { badgeErrors } from './badges.errors.ts';
import type { Page } from './badges.repository.ts';
import * as repo from './badges.repository.ts';
import { badgeJson } from './badges.wire.ts';

/**
 * BadgeKit badge-list responses, cached per process as the finished body bytes. The key includes the
 * system's `list_version`, which every write that changes a list bumps in its own transaction, and which each
 * request reads afresh (with the nesting's ids, in one prepared statement): a stale list is never served, by
 * this process or any other. A hit costs that one query and no JSON work; the bytes are sent as they are.
 */
const MAX_ENTRIES = 500;
const cache = new Map<string, Buffer>();

const keyOf = (
  systemId: number,
  version: number,
  issuerId: number | null | undefined,
  programId: number | null | undefined,
  archived: boolean | 'any',
  page: Page | undefined,
) => `${systemId}:${version}:${issuerId ?? ''}:${programId ?? ''}:${archived}:${page?.page}:${page?.count}`;

/** The body of `GET .../badges` (`{"badges": [...], "pageData"?: {...}}`) as UTF-8 JSON bytes. */
export async function listBadgesJson(
  deps: Deps,
  ref: ContextRef,
  archived: boolean | 'any',
  page?: Page,
): Promise<Buffer> {
  const ids = await repo.findListKey(deps.pool, ref.system, ref.issuer, ref.program);
  if (!ids) throw badgeErrors.notFound('system', 'slug', ref.system);
  if (ref.issuer !== undefined && ids.issuer_id === null)
    throw badgeErrors.notFound('issuer', 'slug', ref.issuer);
  if (ref.program !== undefined && ids.program_id === null)
    throw badgeErrors.notFound('program', 'slug', ref.program);
  const hit = cache.get(
    keyOf(ids.system_id, ids.list_version, ids.issuer_id, ids.program_id, archived, page),
  );
  return hit ?? build(deps, ref, archived, page);
}

/** A miss: the full context, the rows and their JSON, stored under the version that context was read at. */
async function build(deps: Deps, ref: ContextRef, archived: boolean | 'any', page?: Page) {
  const ctx = await resolveContext(deps, ref);
  const { rows, total } = await repo.listBadges(deps.db, scopeOf(ctx), archived, page);
  const json = JSON.stringify((await toViews(deps, rows, ctx)).map(badgeJson));
  const pageData = page ? `,"pageData":${JSON.stringify({ page: page.page, count: page.count, total })}` : '';
  const body = Buffer.from(`{"badges":${json}${pageData}}`, 'utf8');
  if (cache.size >= MAX_ENTRIES) cache.clear();
  const { system, issuer, program } = ctx;
  cache.set(keyOf(system.id, system.listVersion, issuer?.id, program?.id, archived, page), body);
  return body;
}
