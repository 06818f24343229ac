import type { Principal } from '../../http/principal.ts';
import type { EventsContext } from './events.usecases.ts';
import { isPlainObject } from './events.validation.ts';
import { xapiErrors } from './events.xapi.errors.ts';
import { refKey } from './events.xapi.extract.ts';
import {
  type AttachmentBody,
  findActivity,
  findAttachmentBodies,
  findStatement,
  type QueriedStatement,
  queryStatements,
  statementsConsistentThrough,
} from './events.xapi.repository.ts';
import { readablePrograms, XAPI_QUERY_MAX, xapiProgramOf } from './events.xapi.ts';

/** Reading statements, their attachments and activities back, as the credential may see them. */

type Json = Record<string, unknown>;

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
    throw xapiErrors.notFound(
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
    if (!isPlainObject(value) || !Array.isArray(value.attachments)) return;
    for (const a of value.attachments) {
      if (isPlainObject(a) && typeof a.sha2 === 'string') wanted.add(a.sha2.toLowerCase());
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
