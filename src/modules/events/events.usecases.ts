import type { Executor } from '../../db/client.ts';
import type { Deps } from '../../deps.ts';
import { AppError, toAppError } from '../../errors/index.ts';
import { isAdmin, type Principal } from '../../http/principal.ts';
import { eventErrors } from './events.errors.ts';
import { canWriteProgram } from './events.policies.ts';
import { dropPrefetched } from './events.prefetch.ts';
import { listPrograms } from './events.programs.repository.ts';
import { putQueueFor, storeDistinct } from './events.put.repository.ts';
import {
  appendChanges,
  currentRevisions,
  deleteMemberEvents,
  deleteOlderThan,
  upsertEvents,
} from './events.repository.ts';
import type { TypeCatalog } from './events.types.ts';
import { type EventInput, type FieldNames, type ValidEvent, validateEvent } from './events.validation.ts';
import {
  isStatementEvent,
  mayBeStatementId,
  putStatementEvent,
  refuseStatementOverwrite,
} from './events.xapi.ts';

export interface EventsContext {
  readonly deps: Pick<Deps, 'db' | 'pool' | 'clock' | 'ids' | 'config'>;
  readonly catalog: TypeCatalog;
}

export interface PutOutcome {
  readonly eventId: string;
  readonly revision: number;
  /** False for an identical repeat, which stores nothing. */
  readonly changed: boolean;
}

export type BatchItemResult =
  | ({ readonly status: 200 } & PutOutcome)
  | {
      readonly status: number;
      readonly eventId: string | null;
      readonly code: string;
      readonly message: string;
    };

export const BATCH_MAX = 1_000;

function prefixOf(eventId: unknown): string | undefined {
  if (typeof eventId !== 'string') return undefined;
  const hyphen = eventId.indexOf('-');
  return hyphen > 0 ? eventId.slice(0, hyphen) : undefined;
}

/**
 * Rights on the id's prefix come first (403), then the shape of the event (400), then its type's schema.
 * Synchronous while the type's validator is cached (a batch checks a thousand events without a thousand
 * promise turns); a promise only when the type must be looked up.
 */
function admit(
  ctx: EventsContext,
  principal: Principal,
  input: EventInput,
  names: FieldNames,
  now: number,
): ValidEvent | Promise<ValidEvent> {
  const prefix = prefixOf(input.eventId);
  if (prefix !== undefined && !canWriteProgram(principal, prefix)) throw eventErrors.noWriteRights(prefix);
  const valid = validateEvent(input, names);
  if (!canWriteProgram(principal, valid.programId)) throw eventErrors.noWriteRights(valid.programId);
  // Only an id shaped like a statement's (<ProgramId>-<UUID>) costs a look-up: statements are immutable.
  if (mayBeStatementId(valid.eventId)) {
    return refuseStatementOverwrite(ctx, valid.eventId)
      .then(() => ctx.catalog.check(ctx.deps.db, valid, now))
      .then(() => valid);
  }
  if (ctx.catalog.checkCached(valid, now)) return valid;
  return ctx.catalog.check(ctx.deps.db, valid, now).then(() => valid);
}

/**
 * Stores events: each new or changed event gets the next revision and one change row (its history and its
 * place in the feed); an identical repeat is a no-op. A list may hold the same id more than once (a batch);
 * it is then stored in rounds, one occurrence of each id per statement, so later items see earlier ones. Run
 * it in a transaction when the list must be stored together.
 */
export async function applyEvents(
  db: Executor,
  events: readonly ValidEvent[],
  now: Date,
): Promise<PutOutcome[]> {
  const rounds: { index: number; event: ValidEvent }[][] = [];
  const occurrences = new Map<string, number>();
  for (const [index, event] of events.entries()) {
    const round = occurrences.get(event.eventId) ?? 0;
    occurrences.set(event.eventId, round + 1);
    let list = rounds[round];
    if (!list) {
      list = [];
      rounds[round] = list;
    }
    list.push({ index, event });
  }
  const outcomes: PutOutcome[] = [];
  const latest = new Map<string, number>();
  for (const round of rounds) {
    const changed = new Map(
      (
        await upsertEvents(
          db,
          round.map((r) => r.event),
          now,
        )
      ).map((c) => [c.eventId, c.revision]),
    );
    for (const [id, revision] of changed) latest.set(id, revision);
    const unknown = round.filter((r) => !changed.has(r.event.eventId) && !latest.has(r.event.eventId));
    if (unknown.length > 0) {
      const current = await currentRevisions(
        db,
        unknown.map((r) => r.event.eventId),
      );
      for (const [id, revision] of current) latest.set(id, revision);
    }
    for (const { index, event } of round) {
      const revision = changed.get(event.eventId);
      outcomes[index] =
        revision === undefined
          ? { eventId: event.eventId, revision: latest.get(event.eventId) ?? 0, changed: false }
          : { eventId: event.eventId, revision, changed: true };
    }
  }
  return outcomes;
}

/** PUT /events/{eventId}: create or update one event. */
export async function putEvent(
  ctx: EventsContext,
  principal: Principal,
  input: EventInput,
  names: FieldNames,
): Promise<PutOutcome> {
  // An xAPI statement sent as an event (its EventType is the verb IRI): stored by the xAPI rules.
  if (isStatementEvent(input)) return putStatementEvent(ctx, principal, input);
  const valid = await admit(ctx, principal, input, names, ctx.deps.clock.now().getTime());
  // One statement (shared with concurrent PUTs under load), committed before the caller hears of it.
  return putQueueFor(ctx.deps.pool).submit({ ...valid, receivedAt: ctx.deps.clock.now() });
}

/**
 * Up to BATCH_MAX events. Each is checked on its own; the valid ones are stored together in one
 * transaction. An item is stored whole or not at all, and its result says which.
 */
export async function putBatch(
  ctx: EventsContext,
  principal: Principal,
  inputs: readonly EventInput[],
  names: FieldNames,
): Promise<BatchItemResult[]> {
  if (inputs.length > BATCH_MAX) throw eventErrors.batchTooLarge(BATCH_MAX);
  const results: (BatchItemResult | undefined)[] = [];
  const admitted: { index: number; event: ValidEvent }[] = [];
  const checkedAt = ctx.deps.clock.now().getTime();
  for (const [index, input] of inputs.entries()) {
    try {
      const valid = admit(ctx, principal, input, names, checkedAt);
      admitted.push({ index, event: valid instanceof Promise ? await valid : valid });
      results.push(undefined);
    } catch (error) {
      const appError = toAppError(error);
      if (!(appError instanceof AppError) || appError.status >= 500) throw error;
      const eventId = typeof input.eventId === 'string' ? input.eventId : null;
      results.push({ status: appError.status, eventId, code: appError.code, message: appError.message });
    }
  }
  if (admitted.length > 0) {
    const now = ctx.deps.clock.now();
    const events = admitted.map((a) => a.event);
    const distinct = new Set(events.map((e) => e.eventId)).size === events.length;
    // Distinct ids: one statement, atomic on its own. Repeated ids need rounds, in one transaction.
    const outcomes = distinct
      ? await storeDistinct(ctx.deps.pool, events, now)
      : await ctx.deps.db.transaction((tx) => applyEvents(tx, events, now));
    for (const [i, { index }] of admitted.entries()) {
      const outcome = outcomes[i];
      if (outcome) results[index] = { status: 200, ...outcome };
    }
  }
  return results.map(
    (r) => r ?? { status: 500, eventId: null, code: 'internal', message: 'The item was not processed.' },
  );
}

/**
 * Erases every event whose member is `memberId` in the caller's programs (an operator: in every program),
 * with their revision history, and leaves one tombstone per erased event in the feed (no member, no data) so
 * consumers learn to delete their copies.
 */
export async function eraseMember(
  ctx: EventsContext,
  principal: Principal,
  input: { memberId: string; programId?: string | undefined },
): Promise<number> {
  let programs: string[];
  if (principal.kind === 'program_key') programs = [...principal.programIds];
  else if (isAdmin(principal)) programs = (await listPrograms(ctx.deps.db)).map((p) => p.id);
  else throw eventErrors.operatorsOnly();
  if (input.programId !== undefined) {
    if (!programs.includes(input.programId)) throw eventErrors.noWriteRights(input.programId);
    programs = [input.programId];
  }
  if (input.memberId.trim() === '') throw eventErrors.invalid('ProgramMemberId', 'is required');
  if (programs.length === 0) return 0;
  const now = ctx.deps.clock.now();
  const erased = await ctx.deps.db.transaction(async (tx) => {
    const deleted = await deleteMemberEvents(tx, input.memberId, programs);
    await appendChanges(
      tx,
      deleted.map((row) => ({
        after: row.feedTx,
        eventId: row.eventId,
        revision: row.revision + 1,
        kind: 'erased',
        programId: row.programId,
        memberId: null,
        eventType: row.eventType,
        recordedAt: now,
      })),
    );
    return deleted.length;
  });
  // After the commit: a page read ahead before it could still hold what was erased.
  dropPrefetched(ctx.deps.db);
  return erased;
}

/** Operator retention: deletes what has not changed for `olderThanDays` days, in bounded transactions. */
export async function applyRetention(ctx: EventsContext, olderThanDays: number): Promise<number> {
  if (!Number.isInteger(olderThanDays) || olderThanDays < 1) {
    throw eventErrors.invalid('older-than-days', 'must be a whole number of days, at least 1');
  }
  const cutoff = new Date(ctx.deps.clock.now().getTime() - olderThanDays * 86_400_000);
  let total = 0;
  for (;;) {
    const removed = await ctx.deps.db.transaction((tx) => deleteOlderThan(tx, cutoff, 5_000));
    dropPrefetched(ctx.deps.db);
    total += removed;
    if (removed < 5_000) return total;
  }
}
