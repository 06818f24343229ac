import { randomBytes } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { Deps } from '../../deps.ts';
import { AppError } from '../../errors/index.ts';
import {
  checkAttachments,
  formatStatement,
  parseMultipartMixed,
  parseXapiJson,
  validateStatement,
  verifySignedStatement,
  XapiInvalid,
  type XapiPart,
  type XapiStatement,
} from '../../lib/xapi/index.ts';
import {
  type AttachmentBody,
  consistentThrough,
  type EventsContext,
  findStatements,
  readActivity,
  readAttachmentBodies,
  readStatement,
  storeStatements,
  XAPI_ATTACHMENTS_ANSWER_MAX,
  XAPI_BATCH_MAX,
} from '../../modules/events/index.ts';
import { authorityOf } from './xapi.auth.ts';
import { decodeMore, encodeMore } from './xapi.more.ts';
import { type Format, flatParams, languages, readStatementsGet } from './xapi.query.ts';
import { CONSISTENT_HEADER, versionOf, xapiErrors } from './xapi.wire.ts';

/** Body limits (docs/xapi.md): a JSON request, and a multipart/mixed one with its attachments. */
export const JSON_LIMIT = 16 * 1024 * 1024;
export const MULTIPART_LIMIT = 64 * 1024 * 1024;
const SIGNATURE_USAGE = 'http://adlnet.gov/expapi/attachments/signature';

const ErrorBody = Type.Object({ code: Type.String(), message: Type.String() });
const errors = {
  400: ErrorBody,
  401: ErrorBody,
  403: ErrorBody,
  404: ErrorBody,
  409: ErrorBody,
  413: ErrorBody,
};
const security: Record<string, string[]>[] = [{ programKey: [] }, { bearer: [] }];
const StatementJson = Type.Unknown({ description: 'An xAPI Statement (or an array of them for POST)' });

/**
 * Query parameters as the OpenAPI document lists them. Each is a string on the wire; they are left untyped
 * here (no coercion) because the handlers check them and answer xAPI's own 400s that name the parameter.
 */
const param = (description: string) => Type.Optional(Type.Unknown({ description }));
const StatementsQuery = Type.Object(
  {
    statementId: param('The id of one statement (UUID)'),
    voidedStatementId: param('The id of one voided statement (UUID)'),
    agent: param('JSON Agent or identified Group: statements with it as actor or object'),
    verb: param('Verb IRI'),
    activity: param('Activity IRI (the object)'),
    registration: param('Registration UUID'),
    related_activities: param('true: activity also matches context and sub-statement activities'),
    related_agents: param('true: agent also matches authority, instructor, team and sub-statements'),
    since: param('ISO 8601 timestamp: stored after it'),
    until: param('ISO 8601 timestamp: stored at or before it'),
    limit: param('Page size (0 = the LRS maximum)'),
    format: param('ids, exact or canonical'),
    attachments: param('true: answer multipart/mixed with the attachment bodies'),
    ascending: param('true: oldest stored first'),
    more: param('The cursor of a previous page (the more URL)'),
  },
  { additionalProperties: true },
);
const ActivitiesQuery = Type.Object({ activityId: param('Activity IRI') }, { additionalProperties: true });

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

interface Incoming {
  readonly statements: XapiStatement[];
  readonly single: boolean;
  /** The attachment bodies of a multipart/mixed request (stored with the statements). */
  readonly parts: readonly XapiPart[];
}

/** Reads a JSON or multipart/mixed body into validated statements, attachments checked (xAPI §"Attachments"). */
async function readBody(request: FastifyRequest): Promise<Incoming> {
  const version = versionOf(request);
  const type = String(request.headers['content-type'] ?? '');
  let json: unknown = request.body;
  let parts: XapiPart[] | undefined;
  if (/^multipart\/mixed/i.test(type)) {
    if (!Buffer.isBuffer(request.body)) throw xapiErrors.invalid('body: a multipart/mixed body is required.');
    const parsed = parseMultipartMixed(request.body, type);
    json = parsed.statementsJson;
    parts = parsed.parts;
  } else if (!/^application\/json/i.test(type)) {
    throw xapiErrors.invalid('Content-Type: must be application/json or multipart/mixed.');
  }
  const single = !Array.isArray(json);
  const list: unknown[] = Array.isArray(json) ? json : [json];
  if (list.length === 0) throw xapiErrors.invalid('statements: the batch is empty.');
  if (list.length > XAPI_BATCH_MAX) {
    throw xapiErrors.tooLarge(`statements: at most ${XAPI_BATCH_MAX} statements per request.`);
  }
  const statements = list.map((s, i) =>
    validateStatement(s, version, single ? 'statement' : `statements[${i}]`),
  );
  for (const [i, s] of statements.entries()) {
    if (JSON.stringify(s).includes('\\u0000')) {
      throw xapiErrors.invalid(`${single ? 'statement' : `statements[${i}]`}: contains a NUL character.`);
    }
  }
  const wantParts = statements.some(
    (s) =>
      Array.isArray((s as unknown as Json).attachments) &&
      ((s as unknown as Json).attachments as unknown[]).some((a) => isObject(a) && a.fileUrl === undefined),
  );
  if (parts === undefined && wantParts) {
    throw xapiErrors.invalid(
      'attachments: attachments without fileUrl must be sent as multipart/mixed parts.',
    );
  }
  if (parts !== undefined) {
    checkAttachments(statements, parts);
    for (const s of statements) {
      const signature = ((s as unknown as Json).attachments as unknown[] | undefined)?.find(
        (a) => isObject(a) && a.usageType === SIGNATURE_USAGE,
      );
      if (isObject(signature)) {
        const part = parts.find((p) => p.sha2 === signature.sha2);
        if (!part) throw xapiErrors.invalid('attachments: the signature part is missing.');
        await verifySignedStatement(s, part);
      }
    }
  }
  return { statements, single, parts: parts ?? [] };
}

/** The SHA-2 hashes of the attachments a stored statement (and its SubStatement) names. */
function attachmentHashes(json: string): string[] {
  const s = JSON.parse(json) as Json;
  const list = [s, s.object].flatMap((v) =>
    isObject(v) && Array.isArray(v.attachments) ? (v.attachments as unknown[]) : [],
  );
  return list.flatMap((a) => (isObject(a) && typeof a.sha2 === 'string' ? [a.sha2.toLowerCase()] : []));
}

/**
 * `attachments=true` (Communication 2.1.3): multipart/mixed, the statement(s) JSON first, then one part per
 * attachment body with its X-Experience-API-Hash and Content-Transfer-Encoding: binary.
 */
function sendMultipart(reply: FastifyReply, json: string, bodies: readonly AttachmentBody[]) {
  const boundary = `xapi-${randomBytes(16).toString('hex')}`;
  const chunks: Buffer[] = [
    Buffer.from(`--${boundary}\r\nContent-Type: application/json; charset=utf-8\r\n\r\n${json}`),
  ];
  for (const b of bodies) {
    chunks.push(
      Buffer.from(
        `\r\n--${boundary}\r\nContent-Type: ${b.contentType}\r\nContent-Transfer-Encoding: binary\r\n` +
          `X-Experience-API-Hash: ${b.sha2}\r\n\r\n`,
      ),
      b.content,
    );
  }
  chunks.push(Buffer.from(`\r\n--${boundary}--\r\n`));
  return reply.type(`multipart/mixed; boundary=${boundary}`).send(Buffer.concat(chunks));
}

function shape(json: string, format: Format, langs: string[]): string {
  if (format === 'exact') return json;
  return JSON.stringify(formatStatement(JSON.parse(json) as XapiStatement, format, langs));
}

/** The Statements resource and the Activities resource, over the Event Store (events module). */
export async function xapiStatementRoutes(
  app: FastifyInstance,
  { deps, ctx }: { deps: Deps; ctx: EventsContext },
) {
  // xAPI refuses a JSON object with a repeated key (Data 2.2, XAPI-00021); the library's parser finds them.
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser(
    'application/json',
    { parseAs: 'string', bodyLimit: JSON_LIMIT },
    (_r, body, done) => {
      try {
        done(null, parseXapiJson(String(body), 'statement'));
      } catch (error) {
        done(error instanceof XapiInvalid ? new AppError('xapi.invalid', error.message) : (error as Error));
      }
    },
  );
  app.addContentTypeParser(
    /^multipart\/mixed/i,
    { parseAs: 'buffer', bodyLimit: MULTIPART_LIMIT },
    (_r, body, done) => done(null, body),
  );
  const store = (request: FastifyRequest, statements: XapiStatement[], parts: readonly XapiPart[]) =>
    storeStatements(ctx, request.principal, {
      statements,
      version: versionOf(request),
      authority: authorityOf(deps.config.publicUrl, request.principal),
      attachments: parts.map((p) => ({
        sha2: p.sha2.toLowerCase(),
        contentType: p.contentType,
        content: p.body,
      })),
    });

  app.put(
    '/statements',
    {
      bodyLimit: MULTIPART_LIMIT,
      schema: {
        tags: ['xapi'],
        summary: 'Store one statement with the given statementId (204; an identical repeat is a no-op)',
        security,
        querystring: Type.Object({ statementId: Type.String() }, { additionalProperties: true }),
        body: StatementJson,
        response: { 204: Type.Null(), ...errors },
      },
    },
    async (request, reply) => {
      const params = flatParams(request.query);
      const id = params.statementId;
      for (const p of Object.keys(params)) {
        if (p !== 'statementId') throw xapiErrors.invalid(`${p}: is not a parameter of PUT /statements.`);
      }
      if (id === undefined) throw xapiErrors.invalid('statementId: is required.');
      if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id)) {
        throw xapiErrors.invalid('statementId: must be a UUID.');
      }
      const { statements, single, parts } = await readBody(request);
      const statement = statements[0] as unknown as Json | undefined;
      if (!single || !statement)
        throw xapiErrors.invalid('statement: PUT takes one statement, not an array.');
      if (typeof statement.id === 'string' && statement.id.toLowerCase() !== id.toLowerCase()) {
        throw xapiErrors.invalid(`statement.id: "${statement.id}" differs from the statementId parameter.`);
      }
      await store(request, [{ ...statement, id: id.toLowerCase() } as XapiStatement], parts);
      return reply.code(204).send();
    },
  );

  app.post(
    '/statements',
    {
      bodyLimit: MULTIPART_LIMIT,
      schema: {
        tags: ['xapi'],
        summary: 'Store one statement or a batch, all or nothing; answers the ids in order',
        security,
        body: StatementJson,
        response: { 200: Type.Array(Type.String()), ...errors },
      },
    },
    async (request) => {
      const params = flatParams(request.query);
      const extra = Object.keys(params)[0];
      if (extra !== undefined) throw xapiErrors.invalid(`${extra}: is not a parameter of POST /statements.`);
      const { statements, parts } = await readBody(request);
      return store(request, statements, parts);
    },
  );

  app.get(
    '/statements',
    {
      schema: {
        tags: ['xapi'],
        summary:
          'One statement (statementId, voidedStatementId) or a page of them (StatementResult with more)',
        security,
        querystring: StatementsQuery,
        response: { 200: Type.Unknown(), ...errors },
      },
    },
    async (request, reply) => getStatements(request, reply),
  );

  async function getStatements(request: FastifyRequest, reply: FastifyReply) {
    let params = flatParams(request.query);
    let after: { stored: Date; seq: string } | undefined;
    if (params.more !== undefined) {
      if (Object.keys(params).length > 1) throw xapiErrors.invalid('more: takes no other parameter.');
      const state = decodeMore(deps.secretKey, params.more);
      params = state.query;
      after = { stored: new Date(state.stored), seq: state.seq };
      if (Number.isNaN(after.stored.getTime()) || !/^\d{1,19}$/.test(state.seq)) {
        throw xapiErrors.invalid('more: not a cursor this LRS issued.');
      }
    }
    const get = readStatementsGet(params, versionOf(request));
    const langs = languages(request.headers['accept-language']);
    const consistent = (await consistentThrough(ctx)).toISOString();
    reply.header(CONSISTENT_HEADER, consistent).type('application/json; charset=utf-8');
    if (get.kind === 'single') {
      const json = await readStatement(ctx, request.principal, get.id, get.voided);
      const stored = (JSON.parse(json) as { stored?: string }).stored;
      if (stored) reply.header('last-modified', new Date(stored).toUTCString());
      const body = shape(json, get.format, langs);
      if (!get.attachments) return reply.send(body);
      return sendMultipart(reply, body, await readAttachmentBodies(ctx, request.principal, [json]));
    }
    const page = await findStatements(ctx, request.principal, { ...get.filters, after });
    let statements = page.statements;
    let next = page.next;
    let bodies: AttachmentBody[] = [];
    if (get.attachments) {
      // The answer carries at most XAPI_ATTACHMENTS_ANSWER_MAX bytes of bodies: a page that would carry
      // more is shortened (at least one statement stays) and `more` continues after its last statement.
      bodies = await readAttachmentBodies(
        ctx,
        request.principal,
        statements.map((s) => s.json),
      );
      const size = new Map(bodies.map((b) => [b.sha2, b.content.length]));
      let total = 0;
      const seen = new Set<string>();
      let keep = 0;
      for (const s of statements) {
        for (const sha2 of attachmentHashes(s.json)) {
          if (seen.has(sha2)) continue;
          seen.add(sha2);
          total += size.get(sha2) ?? 0;
        }
        if (keep > 0 && total > XAPI_ATTACHMENTS_ANSWER_MAX) break;
        keep += 1;
      }
      if (keep < statements.length) {
        statements = statements.slice(0, keep);
        const last = statements[statements.length - 1];
        next = last ? { stored: last.stored, seq: last.seq } : next;
        const kept = new Set(statements.flatMap((s) => attachmentHashes(s.json)));
        bodies = bodies.filter((b) => kept.has(b.sha2));
      }
    }
    const more = next
      ? `${app.prefix}/statements?more=${encodeMore(deps.secretKey, {
          query: get.params,
          stored: next.stored.toISOString(),
          seq: next.seq,
        })}`
      : '';
    const body = statements.map((s) => shape(s.json, get.format, langs)).join(',');
    const result = `{"statements":[${body}],"more":${JSON.stringify(more)}}`;
    return get.attachments ? sendMultipart(reply, result, bodies) : reply.send(result);
  }

  app.get(
    '/activities',
    {
      schema: {
        tags: ['xapi'],
        summary: 'The stored (merged) definition of an activity',
        security,
        querystring: ActivitiesQuery,
        response: { 200: Type.Unknown(), ...errors },
      },
    },
    async (request, reply) => {
      const params = flatParams(request.query);
      for (const p of Object.keys(params)) {
        if (p !== 'activityId') throw xapiErrors.invalid(`${p}: is not a parameter of GET /activities.`);
      }
      const id = params.activityId;
      if (id === undefined || !/^[a-z][a-z0-9+.-]*:\S+$/i.test(id)) {
        throw xapiErrors.invalid('activityId: is required and must be an IRI.');
      }
      const activity = await readActivity(ctx, request.principal, id);
      return reply.type('application/json; charset=utf-8').send(JSON.stringify(activity));
    },
  );
}
