import type { Deps } from '../../deps.ts';
import type { Principal } from '../../http/principal.ts';
import {
  type BadgeListKey,
  badgeListKey,
  type ContextRef,
  listBadges,
  type Page,
} from '../../modules/badges/index.ts';
import { badgeJson } from './badgekit.wire.ts';

/**
 * BadgeKit badge-list responses, cached per process as the finished body bytes. The key includes the
 * system's `list_version`, which every write that changes a list bumps in its own transaction, and which each
 * request reads afresh (with the nesting's ids, in one prepared statement): a stale list is never served, by
 * this process or any other. A hit costs that one query and no JSON work; the bytes are sent as they are.
 */
const MAX_ENTRIES = 500;
const cache = new Map<string, Buffer>();

const keyOf = (key: BadgeListKey, archived: boolean | 'any', page: Page | undefined) =>
  `${key.systemId}:${key.version}:${key.issuerId ?? ''}:${key.programId ?? ''}:${archived}:${page?.page}:${page?.count}`;

/** The body of `GET .../badges` (`{"badges": [...], "pageData"?: {...}}`) as UTF-8 JSON bytes. */
export async function listBadgesJson(
  deps: Deps,
  principal: Principal,
  ref: ContextRef,
  archived: boolean | 'any',
  page?: Page,
): Promise<Buffer> {
  const hit = cache.get(keyOf(await badgeListKey(deps, principal, ref), archived, page));
  return hit ?? build(deps, principal, ref, archived, page);
}

/** A miss: the rows and their JSON, stored under the version the context was read at. */
async function build(
  deps: Deps,
  principal: Principal,
  ref: ContextRef,
  archived: boolean | 'any',
  page?: Page,
) {
  const { items, total, key } = await listBadges(deps, principal, ref, archived, page);
  const json = JSON.stringify(items.map(badgeJson));
  const pageData = page ? `,"pageData":${JSON.stringify({ page: page.page, count: page.count, total })}` : '';
  const body = Buffer.from(`{"badges":${json}${pageData}}`, 'utf8');
  if (cache.size >= MAX_ENTRIES) cache.clear();
  cache.set(keyOf(key, archived, page), body);
  return body;
}
