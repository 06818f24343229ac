import type { Principal } from '../../http/principal.ts';
import { decodeKeyset, encodeCursor } from '../../lib/cursor.ts';
import { eventErrors } from './events.errors.ts';
import { type FeedFilters, type FeedShape, type ReadScope, readFeed } from './events.feed.repository.ts';
import {
  canManageType,
  isEventsOperator,
  readScopeOf,
  scopeAllows,
  scopeCoversProgram,
} from './events.policies.ts';
import { pageKey, prefetch, takePrefetched } from './events.prefetch.ts';
import { findEventType, listEventTypes, upsertEventType } from './events.programs.repository.ts';
import { grantsHeldBy } from './events.programs.ts';
import { type ChangeRow, findEvents, revisionsOf, type StoredEventRow } from './events.repository.ts';
import { BUILT_IN_TYPES, builtInType, type EventTypeInfo, typeInfo } from './events.types.ts';
import type { EventsContext } from './events.usecases.ts';
import { EVENT_TYPE } from './events.validation.ts';

export const FEED_MAX_LIMIT = 1_000;
const REVISIONS_SHOWN = 100;

async function scopeFor(ctx: EventsContext, principal: Principal): Promise<ReadScope> {
  if (principal.kind !== 'program_key') return readScopeOf(principal, []);
  return readScopeOf(principal, await grantsHeldBy(ctx.deps.db, principal.programIds));
}

export interface EventWithHistory {
  readonly event: StoredEventRow;
  readonly revisions: ChangeRow[];
}

/** One event with its revision history (oldest first), if the caller may read it. */
export async function getEvent(
  ctx: EventsContext,
  principal: Principal,
  eventId: string,
): Promise<EventWithHistory> {
  const scope = await scopeFor(ctx, principal);
  const hyphen = eventId.indexOf('-');
  const prefix = hyphen > 0 ? eventId.slice(0, hyphen) : '';
  if (!scopeCoversProgram(scope, prefix)) throw eventErrors.noReadRights(prefix || eventId);
  const [event] = await findEvents(ctx.deps.db, [eventId]);
  if (!event || !scopeAllows(scope, event.programId, event.eventType)) throw eventErrors.notFound(eventId);
  return { event, revisions: await revisionsOf(ctx.deps.db, eventId, REVISIONS_SHOWN) };
}

export interface FeedResult {
  /** The changes as a JSON array text, in the caller's shape. */
  readonly json: string;
  readonly count: number;
  /** Pass back as `since`; always present, so a consumer can store it even after an empty page. */
  readonly nextCursor: string;
  /** True when the page was full: ask again at once. */
  readonly hasMore: boolean;
}

function parseSince(since: string | undefined): { tx: string; seq: number } {
  if (since === undefined || since === '') return { tx: '0', seq: 0 };
  const position = decodeKeyset(since, ['digits', 'int']);
  if (!position) throw eventErrors.invalidCursor();
  const [tx, seq] = position;
  return { tx, seq };
}

/**
 * The change feed: every insert, update and erasure the caller may read, each exactly once, in a stable
 * order, after the `since` cursor. When the page is not full the cursor moves to the read horizon, so a
 * consumer whose filters match little does not rescan the same rows.
 */
export async function readChanges(
  ctx: EventsContext,
  principal: Principal,
  input: FeedFilters & { since?: string | undefined; limit: number },
  shape: FeedShape,
): Promise<FeedResult> {
  const after = parseSince(input.since);
  const limit = Math.min(Math.max(1, input.limit), FEED_MAX_LIMIT);
  const scope = await scopeFor(ctx, principal);
  if (input.program !== undefined && !scopeCoversProgram(scope, input.program)) {
    throw eventErrors.noReadRights(input.program);
  }
  const db = ctx.deps.db;
  const page =
    (await takePrefetched(db, pageKey(principal, scope, input, after, limit, shape))) ??
    (await readFeed(db, scope, input, after, limit, shape));
  const last = page.last;
  const full = page.count === limit;
  if (full && last) {
    const filters: FeedFilters = {
      program: input.program,
      member: input.member,
      type: input.type,
      from: input.from,
      to: input.to,
    };
    prefetch(db, pageKey(principal, scope, filters, last, limit, shape), () =>
      readFeed(db, scope, filters, last, limit, shape),
    );
  }
  const next = full && last ? [last.tx, last.seq] : [page.horizon, 0];
  // The horizon can only be behind `after` if the cursor came from a newer feed position; never go back.
  const keep = !full && BigInt(page.horizon) <= BigInt(after.tx);
  return {
    json: page.json,
    count: page.count,
    nextCursor: keep ? encodeCursor([after.tx, after.seq]) : encodeCursor(next),
    hasMore: full,
  };
}

export async function listTypes(ctx: EventsContext): Promise<EventTypeInfo[]> {
  const registered = (await listEventTypes(ctx.deps.db)).map(typeInfo);
  return [...BUILT_IN_TYPES, ...registered.filter((t) => !builtInType(t.name))];
}

export async function getType(ctx: EventsContext, name: string): Promise<EventTypeInfo> {
  const builtIn = builtInType(name);
  if (builtIn) return builtIn;
  const row = await findEventType(ctx.deps.db, name);
  if (!row) throw eventErrors.typeNotFound(name);
  return typeInfo(row);
}

/** Registers or updates a type; a program owns what it registers, operators manage the rest. */
export async function putType(
  ctx: EventsContext,
  principal: Principal,
  input: { name: string; description: string; schema: Record<string, unknown> | null },
): Promise<EventTypeInfo> {
  if (!EVENT_TYPE.test(input.name))
    throw eventErrors.invalid('name', 'may hold letters, digits and . _ : - (up to 100)');
  if (builtInType(input.name)) throw eventErrors.typeBuiltIn(input.name);
  const existing = await findEventType(ctx.deps.db, input.name);
  if (!canManageType(principal, existing ? existing.ownerProgramId : undefined)) {
    throw existing ? eventErrors.typeNotOwner(input.name) : eventErrors.operatorsOnly();
  }
  if (input.schema) ctx.catalog.compile(input.schema);
  const now = ctx.deps.clock.now();
  const owner =
    principal.kind === 'program_key' && !isEventsOperator(principal)
      ? (principal.programIds[0] ?? null)
      : null;
  const row = await upsertEventType(ctx.deps.db, {
    name: input.name,
    description: input.description,
    schema: input.schema,
    ownerProgramId: existing ? existing.ownerProgramId : owner,
    createdAt: now,
    updatedAt: now,
  });
  ctx.catalog.forget(input.name);
  return typeInfo(row);
}
