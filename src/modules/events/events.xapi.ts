import { withClientTransaction } from '../../db/client.ts';
import type { Principal } from '../../http/principal.ts';
import {
  validateStatement,
  XapiInvalid,
  type XapiStatement,
  type XapiVersion,
} from '../../lib/xapi/index.ts';
import { eventErrors } from './events.errors.ts';
import { canWriteProgram, readScopeOf } from './events.policies.ts';
import { insertProgram } from './events.programs.repository.ts';
import { grantsHeldBy } from './events.programs.ts';
import type { EventsContext } from './events.usecases.ts';
import type { EventInput } from './events.validation.ts';
import { xapiErrors } from './events.xapi.errors.ts';
import { extract, memberKey, refKey } from './events.xapi.extract.ts';
import {
  type ActivityRow,
  type AttachmentBody,
  differingStatements,
  ensurePartitions,
  findStatement,
  type StatementRow,
  storeAttachmentBodies,
  storeStatementRows,
  voidingAmong,
} from './events.xapi.repository.ts';

export type { AttachmentBody };

/** Statements per POST; a longer batch is a 413 (the LRS's documented limit, docs/xapi.md). */
export const XAPI_BATCH_MAX = 1_000;
export const XAPI_QUERY_MAX = 500;
/** One attachment body at most (a larger part is a 413); the request as a whole is capped by the dialect. */
export const XAPI_ATTACHMENT_MAX = 32 * 1024 * 1024;
/** The attachment bodies one `attachments=true` answer carries at most; its page is shortened to fit. */
export const XAPI_ATTACHMENTS_ANSWER_MAX = 64 * 1024 * 1024;

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The program an app's statements live under: `APP_` and its client id without hyphens (36 characters). */
export function appProgramId(appId: string): string {
  return `APP_${appId.replace(/-/g, '').slice(0, 36)}`;
}

/**
 * The program (the LRS) a credential writes to: a program key's own program, or an app's program, created
 * on first use. The Event Store's prefix rule follows: statement `S` is event `<program>-S`.
 */
export async function xapiProgramOf(ctx: EventsContext, principal: Principal): Promise<string> {
  if (principal.kind === 'program_key') {
    const id = principal.programIds[0];
    if (id !== undefined) return id;
  }
  if (principal.kind === 'app' || principal.kind === 'app_user') {
    const id = appProgramId(principal.appId);
    await insertProgram(ctx.deps.db, {
      id,
      name: `xAPI statements of app ${principal.appId}`,
      owner: principal.appId,
      createdAt: ctx.deps.clock.now(),
    });
    return id;
  }
  throw xapiErrors.forbidden('Authorization: these credentials have no Learning Record Store.');
}

/** What a credential reads: its own program, and the producers that granted it access (by verb for typed grants). */
export async function readablePrograms(ctx: EventsContext, principal: Principal, own: string) {
  if (principal.kind !== 'program_key') return { programs: [own], typed: [] };
  const scope = readScopeOf(principal, await grantsHeldBy(ctx.deps.db, principal.programIds));
  return { programs: [...new Set([own, ...scope.programs])], typed: scope.typed };
}

export interface StoreInput {
  readonly statements: readonly XapiStatement[];
  readonly version: XapiVersion;
  /** Set by the LRS on every statement, from the credential (xAPI: authority). */
  readonly authority: Json;
  /** The multipart/mixed parts (attachment bodies), checked against the statements by the caller. */
  readonly attachments?: readonly AttachmentBody[];
}

function mergeDefinitions(programId: string, all: { id: string; definition: Json }[]): ActivityRow[] {
  const byId = new Map<string, Json>();
  for (const { id, definition } of all) {
    const before = byId.get(id) ?? {};
    const merged: Json = { ...before, ...definition };
    for (const map of ['name', 'description']) {
      const a = before[map];
      const b = definition[map];
      if (isObject(a) || isObject(b)) merged[map] = { ...(isObject(a) ? a : {}), ...(isObject(b) ? b : {}) };
    }
    byId.set(id, merged);
  }
  return [...byId]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([activityId, definition]) => ({ programId, activityId, definition }));
}

/**
 * Stores validated statements, all or nothing: ids are given or assigned, `stored`, `authority`, `version`
 * and a missing `timestamp` are set as the specification says; an id already holding other content is a 409
 * (nothing stored), an identical repeat stores nothing; a voiding statement voids its target unless that is
 * itself a voiding statement (400). Each statement becomes an event of the program (type: the verb IRI,
 * member: the actor's IFI, data: the statement) and so appears in the Event Store feed. Returns the ids.
 */
export async function storeStatements(
  ctx: EventsContext,
  principal: Principal,
  input: StoreInput,
): Promise<string[]> {
  return (await storeDetailed(ctx, principal, input)).ids;
}

async function storeDetailed(
  ctx: EventsContext,
  principal: Principal,
  input: StoreInput,
): Promise<{ ids: string[]; inserted: number }> {
  if (input.statements.length > XAPI_BATCH_MAX) {
    throw xapiErrors.tooLarge(`statements: at most ${XAPI_BATCH_MAX} statements per request.`);
  }
  const bodies = input.attachments ?? [];
  for (const b of bodies) {
    if (b.content.length > XAPI_ATTACHMENT_MAX) {
      throw xapiErrors.tooLarge(
        `attachments: the part with sha2 ${b.sha2.slice(0, 16)}... is larger than ${XAPI_ATTACHMENT_MAX} bytes.`,
      );
    }
  }
  const programId = await xapiProgramOf(ctx, principal);
  const stored = ctx.deps.clock.now().toISOString();
  const seen = new Set<string>();
  const prepared = input.statements.map((raw, index) => {
    const s = raw as unknown as Json;
    const id = typeof s.id === 'string' ? s.id.toLowerCase() : ctx.deps.ids.uuid();
    if (seen.has(id))
      throw xapiErrors.invalid(`statements[${index}].id: "${id}" appears twice in the batch.`);
    seen.add(id);
    const { stored: _s, authority: _a, version: _v, ...sent } = s;
    const hasTimestamp = typeof s.timestamp === 'string';
    const statement: Json = {
      ...sent,
      id,
      timestamp: hasTimestamp ? s.timestamp : stored,
      stored,
      authority: input.authority,
      version: typeof s.version === 'string' ? s.version : input.version === '2.0.0' ? '2.0.0' : '1.0.0',
    };
    const compare: Json = { ...sent, id };
    if (!hasTimestamp) delete compare.timestamp;
    return {
      index,
      id,
      statement,
      compare,
      hasTimestamp,
      facts: extract(statement as unknown as XapiStatement),
    };
  });

  const targets = prepared.filter((p) => p.facts.voids !== null);
  if (targets.length > 0) {
    const inBatchVoiding = new Set(targets.map((p) => p.id));
    const known = new Set(
      await voidingAmong(
        ctx.deps.pool,
        programId,
        targets.map((p) => p.facts.voids ?? ''),
      ),
    );
    for (const p of targets) {
      const target = p.facts.voids ?? '';
      if (known.has(target) || inBatchVoiding.has(target)) {
        throw xapiErrors.invalid(
          `statements[${p.index}].object.id: statement ${target} is a voiding statement and cannot be voided.`,
        );
      }
    }
  }
  const voidedInBatch = new Set(targets.map((p) => p.facts.voids));
  const rows: StatementRow[] = prepared.map((p) => {
    const s = p.statement;
    const verb = isObject(s.verb) && typeof s.verb.id === 'string' ? s.verb.id : '';
    return {
      eventId: `${programId}-${p.id}`,
      programId,
      statementId: p.id,
      memberId: memberKey(s.actor).slice(0, 2000),
      verbId: refKey(verb),
      timestamp: String(s.timestamp),
      stored,
      json: JSON.stringify(s),
      compareJson: JSON.stringify(p.compare),
      dropTimestamp: !p.hasTimestamp,
      registration: p.facts.registration,
      voids: p.facts.voids,
      voidedNow: voidedInBatch.has(p.id),
      refs: p.facts.refs.map(([kind, key]) => [kind, key] as const),
    };
  });
  const activities = mergeDefinitions(
    programId,
    prepared.flatMap((p) => p.facts.definitions),
  );

  const conflict = (ids: readonly string[]) =>
    xapiErrors.conflict(
      `statementId: ${ids[0]} is already stored with different content (statements are immutable).`,
    );
  if (rows.length === 1 && bodies.length === 0) {
    const result = await storeStatementRows(ctx.deps.pool, rows, activities);
    if (result.clashes.length > 0) throw conflict(result.clashes);
    if (result.inserted.length === 0) {
      // Skipped: stored meanwhile by another request; a repeat only if the content is the same.
      const differing = await differingStatements(ctx.deps.pool, rows);
      if (differing.length > 0) throw conflict(differing);
    }
    return { ids: prepared.map((p) => p.id), inserted: result.inserted.length };
  }
  const inserted = await withClientTransaction(ctx.deps.pool, async (client) => {
    const result = await storeStatementRows(client, rows, activities);
    await storeAttachmentBodies(client, programId, bodies, new Date(stored));
    if (result.clashes.length > 0) throw conflict(result.clashes);
    if (result.inserted.length < rows.length) {
      const done = new Set(result.inserted);
      const differing = await differingStatements(
        client,
        rows.filter((r) => !done.has(r.eventId)),
      );
      if (differing.length > 0) throw conflict(differing);
    }
    return result.inserted.length;
  });
  return { ids: prepared.map((p) => p.id), inserted };
}

/*
 * The other way in: a program sends a statement through the Event Store's PUT. It opts in per event by
 * naming the statement's verb IRI as the EventType (seed type names cannot hold '/', so no existing event
 * changes meaning); EventData is then the statement, checked and stored by the xAPI rules (immutable, 409 on
 * other content), and the event id is `<ProgramId>-<statement id>`.
 */
const VERB_TYPE = /^[a-z][a-z0-9+.-]*:\/\//i;
const STATEMENT_EVENT_ID =
  /^([A-Za-z0-9_]{1,40})-([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i;

/** Whether an event id has a statement's shape, so a seed PUT onto it must be checked against statements. */
export function mayBeStatementId(eventId: unknown): boolean {
  return typeof eventId === 'string' && STATEMENT_EVENT_ID.test(eventId);
}

/** A seed PUT of another kind must not overwrite a statement (statements are immutable): 409. */
export async function refuseStatementOverwrite(ctx: EventsContext, eventId: unknown): Promise<void> {
  if (typeof eventId !== 'string') return;
  const match = STATEMENT_EVENT_ID.exec(eventId);
  if (!match) return;
  const [, programId = '', statementId = ''] = match;
  const found = await findStatement(ctx.deps.pool, [programId], statementId.toLowerCase());
  if (found.length > 0) {
    throw xapiErrors.conflict(`eventId: ${eventId} is an xAPI statement and cannot be changed.`);
  }
}

export function isStatementEvent(input: EventInput): boolean {
  return typeof input.eventType === 'string' && VERB_TYPE.test(input.eventType);
}

export async function putStatementEvent(
  ctx: EventsContext,
  principal: Principal,
  input: EventInput,
): Promise<{ eventId: string; revision: number; changed: boolean }> {
  const eventId = typeof input.eventId === 'string' ? input.eventId : '';
  const match = STATEMENT_EVENT_ID.exec(eventId);
  if (!match) {
    throw eventErrors.invalid('eventId', 'an xAPI statement event id is "<ProgramId>-<statement UUID>"');
  }
  const [, programId = '', statementId = ''] = match;
  if (!canWriteProgram(principal, programId)) throw eventErrors.noWriteRights(programId);
  if (input.programId !== programId) throw eventErrors.prefixMismatch(eventId, String(input.programId));
  let statement: XapiStatement;
  try {
    statement = validateStatement(input.data, '1.0.3', 'EventData');
  } catch (error) {
    if (error instanceof XapiInvalid) throw eventErrors.invalid('EventData', error.message);
    throw error;
  }
  const s = statement as unknown as Json;
  const verb = isObject(s.verb) ? s.verb.id : undefined;
  if (verb !== input.eventType) throw eventErrors.invalid('EventType', 'must equal EventData.verb.id');
  if (typeof s.id === 'string' && s.id.toLowerCase() !== statementId.toLowerCase()) {
    throw eventErrors.invalid('EventData.id', 'must equal the statement UUID of the event id');
  }
  const authority = {
    objectType: 'Agent',
    account: { homePage: `${ctx.deps.config.publicUrl}/eventstore`, name: programId },
  };
  const outcome = await storeDetailed(ctx, principal, {
    statements: [{ ...s, id: statementId.toLowerCase() } as unknown as XapiStatement],
    version: '1.0.3',
    authority,
  });
  return { eventId, revision: 1, changed: outcome.inserted > 0 };
}

/** Prepares the coming months' partitions of the statement index (daily job; idempotent). */
export async function prepareXapiPartitions(ctx: EventsContext, months = 3): Promise<void> {
  await ensurePartitions(ctx.deps.pool, ctx.deps.clock.now(), months);
}
