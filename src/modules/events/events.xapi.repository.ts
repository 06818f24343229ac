import type pg from 'pg';

/** One statement as the store writes it: its event row, its index row and the agents/activities it names. */
export interface StatementRow {
  readonly eventId: string;
  readonly programId: string;
  readonly statementId: string;
  readonly memberId: string;
  readonly verbId: string;
  readonly timestamp: string;
  readonly stored: string;
  /** The statement as stored (with stored, authority, version), as JSON text. */
  readonly json: string;
  /** The statement as compared for an identical repeat (without what the LRS sets), as JSON text. */
  readonly compareJson: string;
  readonly dropTimestamp: boolean;
  readonly registration: string | null;
  readonly voids: string | null;
  /** Voided by a voiding statement of the same batch. */
  readonly voidedNow: boolean;
  readonly refs: readonly (readonly [kind: string, key: string])[];
}

export interface ActivityRow {
  readonly programId: string;
  readonly activityId: string;
  readonly definition: Record<string, unknown>;
}

function rowJson(r: StatementRow): string {
  return (
    `{"event_id":${JSON.stringify(r.eventId)},"program_id":${JSON.stringify(r.programId)},` +
    `"statement_id":"${r.statementId}","member_id":${JSON.stringify(r.memberId)},` +
    `"verb_id":${JSON.stringify(r.verbId)},"ts":"${r.timestamp}","stored":"${r.stored}",` +
    `"data":${r.json},"cmp":${r.compareJson},"drop_ts":${r.dropTimestamp},` +
    `"registration":${r.registration === null ? 'null' : `"${r.registration}"`},` +
    `"voids":${r.voids === null ? 'null' : `"${r.voids}"`},"voided_now":${r.voidedNow},` +
    `"refs":${JSON.stringify(r.refs)}}`
  );
}

/*
 * Stores statements in ONE statement: nothing is written when any id already holds different content (the
 * caller answers 409), identical repeats are skipped, and every new statement becomes an event (current row
 * and feed change, as a seed PUT does), an index row, its agent/activity rows, and voids its target. A
 * statement whose voiding statement arrived earlier is stored voided. The activity definitions of the batch
 * (merged by the caller) update the Activities resource.
 */
const STORE = {
  name: 'xapi_store_v2',
  text: `
    with n as materialized (
      -- stored is this transaction's start (ms): see statementsConsistentThrough.
      select to_char(date_trunc('milliseconds', now()) at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as st
    ),
    x as materialized (
      select x.event_id, x.program_id, x.statement_id, x.member_id, x.verb_id,
        case when x.drop_ts then n.st::timestamptz else x.ts end as ts, n.st::timestamptz as stored,
        x.data || jsonb_build_object('stored', n.st)
          || (case when x.drop_ts then jsonb_build_object('timestamp', n.st) else '{}'::jsonb end) as data,
        x.cmp, x.drop_ts, x.registration, x.voids, x.voided_now, x.refs, r.n
      from n, jsonb_array_elements($1::jsonb) with ordinality as r(item, n),
        jsonb_to_record(r.item) as x(event_id text, program_id text, statement_id uuid, member_id text,
          verb_id text, ts timestamptz, data jsonb, cmp jsonb, drop_ts boolean,
          registration uuid, voids uuid, voided_now boolean, refs jsonb)
    ),
    clash as (
      select x.statement_id from x join stored_events s on s.event_id = x.event_id
      where (s.data - 'stored' - 'authority' - 'version' - (case when x.drop_ts then 'timestamp' else '' end))
            is distinct from x.cmp
    ),
    ins as (
      insert into stored_events (event_id, program_id, member_id, event_type, start_at, end_at, data,
                                 reference_event_id, revision, created_at, updated_at)
      select event_id, program_id, member_id, verb_id, ts, ts, data, null, 1, stored, stored
      from x where not exists (select 1 from clash) order by event_id
      on conflict (event_id) do nothing
      returning event_id, feed_tx
    ),
    changes as (
      insert into event_changes (tx, event_id, revision, kind, program_id, member_id, event_type, start_at,
                                 end_at, data, reference_event_id, recorded_at)
      select ins.feed_tx, x.event_id, 1, 'put', x.program_id, x.member_id, x.verb_id, x.ts, x.ts, x.data, null,
             x.stored
      from ins join x using (event_id) order by x.event_id
    ),
    st as (
      insert into xapi_statements (program_id, statement_id, stored, event_id, verb_id, registration, voiding,
                                   voids, voided)
      select x.program_id, x.statement_id, x.stored, x.event_id, x.verb_id, x.registration, x.voids is not null,
             x.voids,
             x.voids is null and (x.voided_now or exists (
               select 1 from xapi_statements v where v.program_id = x.program_id and v.voids = x.statement_id))
      from ins join x using (event_id) order by x.n
      returning program_id, statement_id, stored, seq, verb_id, voids
    ),
    refs as (
      insert into xapi_statement_refs (program_id, kind, key, verb_id, stored, seq, statement_id)
      select st.program_id, (r->>0)::"char", r->>1, st.verb_id, st.stored, st.seq, st.statement_id
      from st join x on x.program_id = st.program_id and x.statement_id = st.statement_id,
           jsonb_array_elements(x.refs) r
    ),
    voiding as (
      update xapi_statements t set voided = true from st
      where st.voids is not null and t.program_id = st.program_id and t.statement_id = st.voids
        and not t.voiding
    ),
    acts as (
      insert into xapi_activities as a (program_id, activity_id, definition, updated_at)
      select program_id, activity_id, definition, now()
      from jsonb_to_recordset($2::jsonb) as y(program_id text, activity_id text, definition jsonb)
      where exists (select 1 from ins)
      order by activity_id
      on conflict (program_id, activity_id) do update set
        definition = jsonb_strip_nulls(a.definition || excluded.definition || jsonb_build_object(
          'name', nullif(coalesce(a.definition->'name', '{}') || coalesce(excluded.definition->'name', '{}'), '{}'),
          'description', nullif(coalesce(a.definition->'description', '{}')
                                || coalesce(excluded.definition->'description', '{}'), '{}'))),
        updated_at = excluded.updated_at
    )
    select (select coalesce(array_agg(statement_id::text), '{}') from clash) as clashes,
           (select coalesce(array_agg(event_id), '{}') from ins) as inserted`,
};

export interface StoreResult {
  readonly clashes: string[];
  readonly inserted: string[];
}

export async function storeStatementRows(
  pool: pg.Pool | pg.PoolClient,
  rows: readonly StatementRow[],
  activities: readonly ActivityRow[],
): Promise<StoreResult> {
  const json = `[${rows.map(rowJson).join(',')}]`;
  const acts = JSON.stringify(
    activities.map((a) => ({ program_id: a.programId, activity_id: a.activityId, definition: a.definition })),
  );
  const result = await pool.query<{ clashes: string[]; inserted: string[] }>({
    ...STORE,
    values: [json, acts],
  });
  const row = result.rows[0];
  return { clashes: row?.clashes ?? [], inserted: row?.inserted ?? [] };
}

/** Statements whose stored content differs from what was sent (checked after a race skipped them). */
export async function differingStatements(
  db: pg.Pool | pg.PoolClient,
  rows: readonly StatementRow[],
): Promise<string[]> {
  if (rows.length === 0) return [];
  const result = await db.query<{ statement_id: string }>(
    `select x.statement_id::text from jsonb_to_recordset($1::jsonb) as x(event_id text, statement_id uuid,
       cmp jsonb, drop_ts boolean)
     join stored_events s on s.event_id = x.event_id
     where (s.data - 'stored' - 'authority' - 'version' - (case when x.drop_ts then 'timestamp' else '' end))
           is distinct from x.cmp`,
    [
      JSON.stringify(
        rows.map((r) => ({
          event_id: r.eventId,
          statement_id: r.statementId,
          cmp: JSON.parse(r.compareJson),
          drop_ts: r.dropTimestamp,
        })),
      ),
    ],
  );
  return result.rows.map((r) => r.statement_id);
}

/** Which of these statement ids (of one program) are voiding statements: those cannot be voided. */
export async function voidingAmong(
  pool: pg.Pool,
  programId: string,
  statementIds: readonly string[],
): Promise<string[]> {
  if (statementIds.length === 0) return [];
  const result = await pool.query<{ id: string }>(
    `select statement_id::text as id from xapi_statements
     where program_id = $1 and statement_id = any($2::uuid[]) and voiding`,
    [programId, statementIds],
  );
  return result.rows.map((r) => r.id);
}

export interface FoundStatement {
  readonly programId: string;
  readonly voided: boolean;
  readonly stored: Date;
  readonly seq: string;
  readonly json: string;
}

/** One statement by id, in any of the given programs (newest first when several programs hold the id). */
export async function findStatement(
  pool: pg.Pool,
  programIds: readonly string[],
  statementId: string,
): Promise<FoundStatement[]> {
  const result = await pool.query<{
    program_id: string;
    voided: boolean;
    stored: Date;
    seq: string;
    json: string;
  }>(
    `select s.program_id, s.voided, s.stored, s.seq::text as seq, e.data::text as json
     from xapi_statements s join stored_events e on e.event_id = s.event_id
     where s.program_id = any($1::text[]) and s.statement_id = $2::uuid
     order by s.stored desc`,
    [programIds, statementId],
  );
  return result.rows.map((r) => ({
    programId: r.program_id,
    voided: r.voided,
    stored: r.stored,
    seq: r.seq,
    json: r.json,
  }));
}

export interface StatementQuery {
  readonly programs: readonly string[];
  /** Programs readable only for some verbs (a grant limited to types). */
  readonly typed: ReadonlyArray<{ readonly programId: string; readonly types: readonly string[] }>;
  readonly agent?: { readonly key: string; readonly related: boolean } | undefined;
  readonly activity?: { readonly key: string; readonly related: boolean } | undefined;
  readonly verb?: string | undefined;
  readonly registration?: string | undefined;
  readonly since?: Date | undefined;
  readonly until?: Date | undefined;
  readonly ascending: boolean;
  readonly after?: { readonly stored: Date; readonly seq: string } | undefined;
  readonly limit: number;
}

export interface QueriedStatement {
  readonly stored: Date;
  readonly seq: string;
  readonly json: string;
}

/*
 * The statement query. One driving index, chosen by the most selective filter given: an agent or activity
 * (xapi_statement_refs, with the verb in the same index when given), else the verb, registration or stored
 * order (xapi_statements). The other filters are index lookups per candidate row. Rows come in stored order
 * (then seq), so the LIMIT stops the scan early; voided statements are left out.
 */
export async function queryStatements(pool: pg.Pool, q: StatementQuery): Promise<QueriedStatement[]> {
  const { text, values } = statementQuerySql(q);
  const result = await pool.query<{ stored: Date; seq: string; json: string }>(text, values);
  return result.rows;
}

/** The SQL of a statement query (exported so a test can EXPLAIN exactly what runs). */
export function statementQuerySql(q: StatementQuery): { text: string; values: unknown[] } {
  const values: unknown[] = [];
  const param = (v: unknown) => {
    values.push(v);
    return `$${values.length}`;
  };
  const dir = q.ascending ? 'asc' : 'desc';
  const cmp = q.ascending ? '>' : '<';
  const programs = [...q.programs, ...q.typed.map((t) => t.programId)];
  const where: string[] = ['not s.voided'];
  let from: string;
  let order: string;
  const driver = q.agent
    ? { kind: q.agent.related ? 'A' : 'a', key: q.agent.key }
    : q.activity
      ? { kind: q.activity.related ? 'O' : 'o', key: q.activity.key }
      : undefined;
  if (driver) {
    const p = param(programs);
    from = `xapi_statement_refs d join xapi_statements s on s.program_id = d.program_id
              and s.statement_id = d.statement_id and s.stored = d.stored`;
    where.push(
      `d.program_id = any(${p}::text[])`,
      `d.kind = ${param(driver.kind)}`,
      `d.key = ${param(driver.key)}`,
    );
    if (q.verb !== undefined) where.push(`d.verb_id = ${param(q.verb)}`);
    if (q.agent && q.activity) {
      where.push(
        `exists (select 1 from xapi_statement_refs r where r.program_id = s.program_id and r.kind = ${param(
          q.activity.related ? 'O' : 'o',
        )} and r.key = ${param(q.activity.key)} and r.stored = s.stored and r.statement_id = s.statement_id)`,
      );
    }
    order = `d.stored ${dir}, d.seq ${dir}`;
    if (q.since) where.push(`d.stored > ${param(q.since)}`);
    if (q.until) where.push(`d.stored <= ${param(q.until)}`);
    if (q.after)
      where.push(`(d.stored, d.seq) ${cmp} (${param(q.after.stored)}, ${param(q.after.seq)}::bigint)`);
  } else {
    from = 'xapi_statements s';
    where.push(`s.program_id = any(${param(programs)}::text[])`);
    if (q.verb !== undefined) where.push(`s.verb_id = ${param(q.verb)}`);
    order = `s.stored ${dir}, s.seq ${dir}`;
    if (q.since) where.push(`s.stored > ${param(q.since)}`);
    if (q.until) where.push(`s.stored <= ${param(q.until)}`);
    if (q.after)
      where.push(`(s.stored, s.seq) ${cmp} (${param(q.after.stored)}, ${param(q.after.seq)}::bigint)`);
  }
  if (q.registration !== undefined) where.push(`s.registration = ${param(q.registration)}::uuid`);
  if (q.typed.length > 0) {
    where.push(
      `(s.program_id = any(${param([...q.programs])}::text[]) or exists (
        select 1 from jsonb_to_recordset(${param(JSON.stringify(q.typed))}::jsonb) as t("programId" text, types text[])
        where t."programId" = s.program_id and s.verb_id = any(t.types)))`,
    );
  }
  const text = `
    select s.stored, s.seq::text as seq, e.data::text as json
    from (select s.* from ${from} where ${where.join(' and ')} order by ${order} limit ${param(q.limit)}) s
    join stored_events e on e.event_id = s.event_id
    order by s.stored ${dir}, s.seq ${dir}`;
  return { text, values };
}

/** The merged definition of an activity named by one of the programs' statements. */
export async function findActivity(
  pool: pg.Pool,
  programIds: readonly string[],
  activityId: string,
): Promise<Record<string, unknown> | undefined> {
  const result = await pool.query<{ definition: Record<string, unknown> }>(
    `select definition from xapi_activities where program_id = any($1::text[]) and activity_id = $2
     order by updated_at desc limit 1`,
    [programIds, activityId],
  );
  return result.rows[0]?.definition;
}

/** Monthly partitions of the statement index tables from `first`, `months` ahead (idempotent). */
export async function ensurePartitions(pool: pg.Pool, first: Date, months: number): Promise<void> {
  await pool.query('select xapi_ensure_partitions($1::date, $2::int)', [first.toISOString(), months]);
}

export interface AttachmentBody {
  readonly sha2: string;
  readonly contentType: string;
  readonly content: Buffer;
}

/** Stores attachment bodies of one program by SHA-2; a body already stored (same hash) is kept as is. */
export async function storeAttachmentBodies(
  db: pg.Pool | pg.PoolClient,
  programId: string,
  bodies: readonly AttachmentBody[],
  at: Date,
): Promise<void> {
  for (const b of bodies) {
    await db.query(
      `insert into xapi_attachments (program_id, sha2, content_type, content, length, stored_at)
       values ($1, $2, $3, $4, $5, $6) on conflict (program_id, sha2) do nothing`,
      [programId, b.sha2, b.contentType, b.content, b.content.length, at],
    );
  }
}

/** The stored bodies with these hashes, from any of the programs (the same hash is the same bytes). */
export async function findAttachmentBodies(
  pool: pg.Pool,
  programIds: readonly string[],
  sha2s: readonly string[],
): Promise<AttachmentBody[]> {
  if (sha2s.length === 0 || programIds.length === 0) return [];
  const result = await pool.query<{ sha2: string; content_type: string; content: Buffer }>(
    `select distinct on (sha2) sha2, content_type, content from xapi_attachments
     where program_id = any($1::text[]) and sha2 = any($2::text[]) order by sha2`,
    [programIds, sha2s],
  );
  return result.rows.map((r) => ({ sha2: r.sha2, contentType: r.content_type, content: r.content }));
}

/*
 * X-Experience-API-Consistent-Through. Every statement's `stored` is the start of the transaction that
 * writes it (STORE), and a transaction that has not started yet will get a later one. So every statement
 * stored before the oldest transaction still running in this database has committed (or never will): that
 * start, or now when nothing runs, floored to the millisecond as `stored` is, is the honest bound. This is
 * the change feed's horizon (events.feed.repository readFeed: the oldest transaction in flight) told in time
 * instead of transaction ids. Idle sessions have no transaction and do not count; this query's own
 * transaction started at now().
 */
export async function statementsConsistentThrough(pool: pg.Pool): Promise<Date> {
  const result = await pool.query<{ at: Date }>(
    `select date_trunc('milliseconds', least(now(), coalesce(min(a.xact_start), now()))) as at
     from pg_stat_get_activity(null) a
     where a.datid = (select oid from pg_database where datname = current_database())
       and a.xact_start is not null`,
  );
  return result.rows[0]?.at ?? new Date(0);
}
