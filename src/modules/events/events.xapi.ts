import { AppError } from '../../errors/index.ts';
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
import { extract, memberKey, refKey } from './events.xapi.extract.ts';
import {
  type ActivityRow,
  type AttachmentBody,
  differingStatements,
  ensurePartitions,
  findActivity,
  findAttachmentBodies,
  findStatement,
  type QueriedStatement,
  queryStatements,
  type StatementRow,
  statementsConsistentThrough,
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

const xapiError = {
  invalid: (m: string) => new AppError('xapi.invalid', m),
  conflict: (m: string) => new AppError('xapi.conflict', m),
  forbidden: (m: string) => new AppError('xapi.forbidden', m),
  notFound: (m: string) => new AppError('xapi.not_found', m),
  tooLarge: (m: string) => new AppError('xapi.too_large', m),
};

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
  throw xapiError.forbidden('Authorization: these credentials have no Learning Record Store.');
}

/** What a credential reads: its own program, and the producers that granted it access (by verb for typed grants). */
async function readablePrograms(ctx: EventsContext, principal: Principal, own: string) {
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
    throw xapiError.tooLarge(`statements: at most ${XAPI_BATCH_MAX} statements per request.`);
  }
  const bodies = input.attachments ?? [];
  for (const b of bodies) {
    if (b.content.length > XAPI_ATTACHMENT_MAX) {
      throw xapiError.tooLarge(
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
    if (seen.has(id)) throw xapiError.invalid(`statements[${index}].id: "${id}" appears twice in the batch.`);
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
        throw xapiError.invalid(
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
    xapiError.conflict(
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
  let inserted = 0;
  const client = await ctx.deps.pool.connect();
  try {
    await client.query('begin');
    const result = await storeStatementRows(client, rows, activities);
    await storeAttachmentBodies(client, programId, bodies, new Date(stored));
    inserted = result.inserted.length;
    if (result.clashes.length > 0) throw conflict(result.clashes);
    if (result.inserted.length < rows.length) {
      const inserted = new Set(result.inserted);
      const differing = await differingStatements(
        client,
        rows.filter((r) => !inserted.has(r.eventId)),
      );
      if (differing.length > 0) throw conflict(differing);
    }
    await client.query('commit');
  } catch (error) {
    await client.query('rollback').catch(() => {});
    throw error;
  } finally {
    client.release();
  }
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
    throw xapiError.conflict(`eventId: ${eventId} is an xAPI statement and cannot be changed.`);
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

/** One statement by id; `voided: true` asks for a voided one (voidedStatementId), false for one that is not. */
export async function readStatement(
  ctx: EventsContext,
  principal: Principal,
  statementId: string,
  voided: boolean,
): Promise<string> {
  const own = await xapiProgramOf(ctx, principal);
  const { programs, typed } = await readablePrograms(ctx, principal, own);
  const all = [...programs, ...typed.map((t) => t.programId)];
  const found = await findStatement(ctx.deps.pool, all, statementId.toLowerCase());
  const hit = found.find((f) => {
    if (f.voided !== voided) return false;
    if (programs.includes(f.programId)) return true;
    const verb = (JSON.parse(f.json) as { verb?: { id?: string } }).verb?.id ?? '';
    return typed.some((t) => t.programId === f.programId && t.types.includes(verb));
  });
  if (!hit) {
    throw xapiError.notFound(
      `${voided ? 'voidedStatementId' : 'statementId'}: no ${voided ? 'voided ' : ''}statement ${statementId}.`,
    );
  }
  return hit.json;
}

export interface StatementFilters {
  readonly agent?: string | undefined;
  readonly verb?: string | undefined;
  readonly activity?: string | undefined;
  readonly registration?: string | undefined;
  readonly relatedActivities: boolean;
  readonly relatedAgents: boolean;
  readonly since?: Date | undefined;
  readonly until?: Date | undefined;
  readonly ascending: boolean;
  readonly limit: number;
  readonly after?: { readonly stored: Date; readonly seq: string } | undefined;
}

export interface StatementPage {
  readonly statements: readonly QueriedStatement[];
  /** The position after the last one, when there may be more. */
  readonly next?: { readonly stored: Date; readonly seq: string } | undefined;
}

/** A page of statements (newest stored first unless ascending), voided ones left out. */
export async function findStatements(
  ctx: EventsContext,
  principal: Principal,
  f: StatementFilters,
): Promise<StatementPage> {
  const own = await xapiProgramOf(ctx, principal);
  const { programs, typed } = await readablePrograms(ctx, principal, own);
  const limit = Math.min(Math.max(f.limit, 1), XAPI_QUERY_MAX);
  const rows = await queryStatements(ctx.deps.pool, {
    programs,
    typed,
    agent: f.agent === undefined ? undefined : { key: refKey(f.agent), related: f.relatedAgents },
    activity:
      f.activity === undefined ? undefined : { key: refKey(f.activity), related: f.relatedActivities },
    verb: f.verb === undefined ? undefined : refKey(f.verb),
    registration: f.registration?.toLowerCase(),
    since: f.since,
    until: f.until,
    ascending: f.ascending,
    after: f.after,
    limit: limit + 1,
  });
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return {
    statements: page,
    next: rows.length > limit && last ? { stored: last.stored, seq: last.seq } : undefined,
  };
}

/**
 * The stored bodies of the attachments these statements (as stored JSON) name, for `attachments=true`,
 * from the programs the credential reads; attachments given only by fileUrl have none and are left out.
 */
export async function readAttachmentBodies(
  ctx: EventsContext,
  principal: Principal,
  statementsJson: readonly string[],
): Promise<AttachmentBody[]> {
  const wanted = new Set<string>();
  const collect = (value: unknown) => {
    if (!isObject(value) || !Array.isArray(value.attachments)) return;
    for (const a of value.attachments) {
      if (isObject(a) && typeof a.sha2 === 'string') wanted.add(a.sha2.toLowerCase());
    }
  };
  for (const json of statementsJson) {
    const s = JSON.parse(json) as Json;
    collect(s);
    collect(s.object);
  }
  if (wanted.size === 0) return [];
  const own = await xapiProgramOf(ctx, principal);
  const { programs, typed } = await readablePrograms(ctx, principal, own);
  return findAttachmentBodies(ctx.deps.pool, [...programs, ...typed.map((t) => t.programId)], [...wanted]);
}

/**
 * The X-Experience-API-Consistent-Through time: every statement stored before it is visible to a query that
 * starts now (the oldest transaction in flight; see the repository). Ask before running the query.
 */
export function consistentThrough(ctx: EventsContext): Promise<Date> {
  return statementsConsistentThrough(ctx.deps.pool);
}

/** The Activities resource: the merged definition the program's statements gave the activity. */
export async function readActivity(
  ctx: EventsContext,
  principal: Principal,
  activityId: string,
): Promise<Json> {
  const own = await xapiProgramOf(ctx, principal);
  const { programs } = await readablePrograms(ctx, principal, own);
  const definition = await findActivity(ctx.deps.pool, programs, activityId);
  return { objectType: 'Activity', id: activityId, ...(definition ? { definition } : {}) };
}

/** Prepares the coming months' partitions of the statement index (daily job; idempotent). */
export async function prepareXapiPartitions(ctx: EventsContext, months = 3): Promise<void> {
  await ensurePartitions(ctx.deps.pool, ctx.deps.clock.now(), months);
}
