import type { Deps } from '../../deps.ts';
import { decodeKeyset, encodeCursor } from '../../lib/cursor.ts';
import { activityErrors } from './activity.errors.ts';
import { type FeedQuery, readFeed, readFeedJson } from './activity.feed.repository.ts';
import { normaliseUrl, nounHash, nounKey } from './activity.nouns.ts';
import type { ActivityRow } from './activity.repository.ts';

export const FEED_DEFAULT_LIMIT = 20;
export const FEED_MAX_LIMIT = 100;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface FeedRequest {
  readonly noun: string;
  readonly limit?: number | undefined;
  readonly cursor?: string | undefined;
  readonly verb?: string | undefined;
  readonly app?: string | undefined;
  readonly since?: string | undefined;
  readonly until?: string | undefined;
  /** The person reading (their own private activities stay visible to them); undefined for everyone else. */
  readonly viewerId?: string | undefined;
}

export interface FeedPage {
  readonly noun: string;
  readonly items: ActivityRow[];
  readonly nextCursor: string | null;
}

function parseCursor(cursor: string | undefined) {
  if (cursor === undefined) return undefined;
  const position = decodeKeyset(cursor, ['timestamp', 'uuid']);
  if (!position) throw activityErrors.invalidCursor();
  const [publishedAt, id] = position;
  return { publishedAt, id };
}

function parseTime(field: 'since' | 'until', value: string | undefined): Date | undefined {
  if (value === undefined) return undefined;
  const date = new Date(value);
  if (Number.isNaN(date.getTime()))
    throw activityErrors.invalidPublished(`${field} must be an RFC 3339 date-time`);
  return date;
}

/** Checks and normalises a feed request; undefined when it can only be empty (an app filter no app has). */
function feedQuery(deps: Pick<Deps, 'config'>, request: FeedRequest, extra: number) {
  const noun = normaliseUrl(request.noun);
  if (!noun) throw activityErrors.invalidNoun();
  const limit = Math.min(Math.max(request.limit ?? FEED_DEFAULT_LIMIT, 1), FEED_MAX_LIMIT);
  const since = parseTime('since', request.since);
  const until = parseTime('until', request.until);
  const after = parseCursor(request.cursor);
  const app = request.app !== undefined && !UUID.test(request.app) ? undefined : request.app?.toLowerCase();
  // An app filter that is not an app id matches nothing.
  if (request.app !== undefined && app === undefined) return { noun, limit, query: undefined };
  const query: FeedQuery = {
    hash: nounHash(nounKey(deps.config.publicUrl, noun)),
    limit: limit + extra,
    after,
    verb: request.verb?.toLowerCase(),
    appId: app,
    since,
    until,
    viewerId: request.viewerId,
  };
  return { noun, limit, query };
}

/**
 * Every visible activity involving the noun (as actor, object, target or course), newest first, keyset-paged.
 * A noun nobody has mentioned is an empty feed, not an error. One query: the profile URL's key is computed
 * without looking the person up.
 */
export async function activityFeed(
  deps: Pick<Deps, 'pool' | 'config'>,
  request: FeedRequest,
): Promise<FeedPage> {
  const { noun, limit, query } = feedQuery(deps, request, 1);
  if (!query) return { noun, items: [], nextCursor: null };
  const rows = await readFeed(deps.pool, query);
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  const nextCursor =
    rows.length > limit && last ? encodeCursor([last.publishedAt.toISOString(), last.id]) : null;
  return { noun, items, nextCursor };
}

export interface FeedJson {
  readonly noun: string;
  /** The activities as a JSON array text in the native API's shape (built by PostgreSQL). */
  readonly items: string;
  readonly nextCursor: string | null;
}

/** The same feed as activityFeed(), for the native JSON API: the page comes back as JSON text. */
export async function activityFeedJson(
  deps: Pick<Deps, 'pool' | 'config'>,
  request: FeedRequest,
): Promise<FeedJson> {
  const { noun, query } = feedQuery(deps, request, 0);
  if (!query) return { noun, items: '[]', nextCursor: null };
  const page = await readFeedJson(deps.pool, query);
  const nextCursor = page.more && page.last ? encodeCursor([page.last.at, page.last.id]) : null;
  return { noun, items: page.items, nextCursor };
}
