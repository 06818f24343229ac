import type { Principal } from '../../http/principal.ts';
import type { FeedFilters, FeedPage, FeedPosition, FeedShape, ReadScope } from './events.feed.repository.ts';

/**
 * Read-ahead for consumers catching up on the change feed. After a full page the next one is almost always
 * asked for at once, with the cursor just returned; the hub starts reading it while the consumer is still
 * receiving and parsing this one, and hands it over when the request comes. A page read a moment early is
 * exactly the page a slightly earlier request would have got: it continues from the same cursor and is
 * consistent in itself, so the feed's promise (every change once, in order) holds unchanged. The request is
 * still authenticated and its read scope (grants) computed afresh; a page read ahead under another scope,
 * filter, limit or shape is never used. Pages are kept for PREFETCH_MS at most, PREFETCH_MAX of them per
 * process (the oldest goes first), and dropped when events are erased.
 */
const PREFETCH_MS = 2_000;
const PREFETCH_MAX = 16;

interface Prefetched {
  readonly page: Promise<FeedPage | undefined>;
  readonly until: number;
}

const caches = new WeakMap<object, Map<string, Prefetched>>();
const shapeIds = new WeakMap<FeedShape, number>();
let shapes = 0;

function cacheFor(db: object): Map<string, Prefetched> {
  let cache = caches.get(db);
  if (!cache) {
    cache = new Map();
    caches.set(db, cache);
  }
  return cache;
}

function shapeId(shape: FeedShape): number {
  let id = shapeIds.get(shape);
  if (id === undefined) {
    id = ++shapes;
    shapeIds.set(shape, id);
  }
  return id;
}

function who(principal: Principal): string {
  if (principal.kind === 'program_key') return `k:${principal.keyId}`;
  if (principal.kind === 'operator') return `o:${principal.tokenId}`;
  return principal.kind;
}

/** Everything a page depends on; two requests with equal keys get equal pages. */
export function pageKey(
  principal: Principal,
  scope: ReadScope,
  filters: FeedFilters,
  after: FeedPosition,
  limit: number,
  shape: FeedShape,
): string {
  return JSON.stringify([
    who(principal),
    scope,
    filters.program ?? null,
    filters.member ?? null,
    filters.type ?? null,
    filters.from?.toISOString() ?? null,
    filters.to?.toISOString() ?? null,
    after.tx,
    after.seq,
    limit,
    shapeId(shape),
  ]);
}

/** The page read ahead under this key, if one is (being) read and still fresh; it is handed over once. */
export async function takePrefetched(db: object, key: string): Promise<FeedPage | undefined> {
  const cache = cacheFor(db);
  const hit = cache.get(key);
  if (!hit) return undefined;
  cache.delete(key);
  return hit.until > performance.now() ? hit.page : undefined;
}

export function prefetch(db: object, key: string, read: () => Promise<FeedPage>): void {
  const cache = cacheFor(db);
  if (cache.has(key)) return;
  while (cache.size >= PREFETCH_MAX) {
    const oldest = cache.keys().next().value;
    if (oldest === undefined) break;
    cache.delete(oldest);
  }
  // A failed read-ahead is only a missed shortcut: the request reads the page itself.
  cache.set(key, { page: read().catch(() => undefined), until: performance.now() + PREFETCH_MS });
}

/** Erasure and retention must not leave erased data in pages read ahead. */
export function dropPrefetched(db: object): void {
  cacheFor(db).clear();
}
