import type { FastifyInstance } from 'fastify';
import type { Static } from 'typebox';
import type { FeedShape } from './events.feed.repository.ts';
import { programKeyRateLimit } from './events.rate-limit.ts';
import { getEvent, getType, listTypes, putType, readChanges } from './events.read.ts';
import {
  BatchBody,
  BatchResult,
  ErasureBody,
  ErasureResult,
  EventBody,
  EventDetail,
  EventIdParams,
  EventType,
  EventTypeBody,
  EventTypeList,
  Feed,
  FeedQuery,
  PutResult,
  TypeNameParams,
} from './events.schemas.ts';
import type { EventTypeInfo } from './events.types.ts';
import { type EventsContext, eraseMember, putBatch, putEvent } from './events.usecases.ts';
import { type EventInput, isPlainObject, NATIVE_FIELDS, parseDateTime } from './events.validation.ts';

const iso = (d: Date | null) => (d === null ? null : d.toISOString());
const security: Record<string, string[]>[] = [{ programKey: [] }, { bearer: [] }];

function nativeInput(eventId: unknown, body: Record<string, unknown>): EventInput {
  return {
    eventId,
    programId: body.program_id,
    memberId: body.member_id,
    eventType: body.type,
    start: body.start_at,
    end: body.end_at,
    data: body.data,
    referenceEventId: body.reference_event_id,
  };
}

/** A change in the native feed (snake_case). */
const NATIVE_SHAPE: FeedShape = [
  ['event_id', 'event_id'],
  ['revision', 'revision'],
  ['kind', 'kind'],
  ['program_id', 'program_id'],
  ['member_id', 'member_id'],
  ['type', 'event_type'],
  ['start_at', 'start_at'],
  ['end_at', 'end_at'],
  ['data', 'data'],
  ['reference_event_id', 'reference_event_id'],
  ['recorded_at', 'recorded_at'],
];

function eventType(t: EventTypeInfo): Static<typeof EventType> {
  return {
    name: t.name,
    description: t.description,
    schema: t.schema,
    built_in: t.builtIn,
    owner_program_id: t.ownerProgramId,
  };
}

/** The Event Store in the native API (snake_case, problem+json errors). */
export async function eventRoutes(app: FastifyInstance, { ctx }: { ctx: EventsContext }): Promise<void> {
  const writers = { principals: ['program_key'] as const, rateLimit: programKeyRateLimit };
  const readers = { principals: ['program_key', 'operator'] as const, rateLimit: programKeyRateLimit };

  app.put<{ Params: Static<typeof EventIdParams>; Body: Static<typeof EventBody> }>(
    '/api/v1/events/:event_id',
    {
      bodyLimit: 128 * 1024,
      schema: {
        tags: ['events'],
        summary: 'Create or update an event (a changed repeat adds a revision; an identical one is a no-op)',
        security,
        params: EventIdParams,
        body: EventBody,
        response: { 200: PutResult },
      },
      config: writers,
    },
    async (request) => {
      const outcome = await putEvent(
        ctx,
        request.principal,
        nativeInput(request.params.event_id, request.body),
        NATIVE_FIELDS,
      );
      return { event_id: outcome.eventId, revision: outcome.revision, changed: outcome.changed };
    },
  );

  app.get<{ Params: Static<typeof EventIdParams> }>(
    '/api/v1/events/:event_id',
    {
      schema: {
        tags: ['events'],
        summary: 'One event with its revision history',
        security,
        params: EventIdParams,
        response: { 200: EventDetail },
      },
      config: readers,
    },
    async (request) => {
      const { event, revisions } = await getEvent(ctx, request.principal, request.params.event_id);
      return {
        event_id: event.eventId,
        program_id: event.programId,
        member_id: event.memberId,
        type: event.eventType,
        start_at: event.startAt.toISOString(),
        end_at: event.endAt.toISOString(),
        data: event.data,
        reference_event_id: event.referenceEventId,
        revision: event.revision,
        created_at: event.createdAt.toISOString(),
        updated_at: event.updatedAt.toISOString(),
        revisions: revisions.map((r) => ({
          revision: r.revision,
          program_id: r.programId,
          member_id: r.memberId ?? '',
          type: r.eventType,
          start_at: iso(r.startAt) ?? '',
          end_at: iso(r.endAt) ?? '',
          data: r.data ?? {},
          reference_event_id: r.referenceEventId,
          recorded_at: r.recordedAt.toISOString(),
        })),
      };
    },
  );

  app.get<{ Querystring: Static<typeof FeedQuery> }>(
    '/api/v1/events',
    {
      schema: {
        tags: ['events'],
        summary: 'The change feed: every insert, update and erasure you may read, once each, in order',
        security,
        querystring: FeedQuery,
        response: { 200: Feed },
      },
      config: readers,
    },
    async (request, reply) => {
      const q = request.query;
      const result = await readChanges(
        ctx,
        request.principal,
        {
          program: q.program,
          member: q.member,
          type: q.type,
          from: q.from === undefined ? undefined : parseDateTime(q.from, 'from'),
          to: q.to === undefined ? undefined : parseDateTime(q.to, 'to'),
          since: q.cursor,
          limit: q.limit,
        },
        NATIVE_SHAPE,
      );
      // The page arrives as JSON text in the schema's shape (see readFeed); it is sent without re-encoding.
      reply.type('application/json; charset=utf-8');
      return reply.send(
        `{"data":${result.json},"next_cursor":${JSON.stringify(result.nextCursor)},"has_more":${result.hasMore}}`,
      );
    },
  );

  app.post<{ Body: Static<typeof BatchBody> }>(
    '/api/v1/events/batch',
    {
      bodyLimit: 16 * 1024 * 1024,
      schema: {
        tags: ['events'],
        summary: 'Create or update up to 1,000 events; each is stored whole or not at all',
        security,
        body: BatchBody,
        response: { 200: BatchResult },
      },
      config: writers,
    },
    async (request) => {
      const inputs = request.body.events.map((item) =>
        isPlainObject(item) ? nativeInput(item.event_id, item) : nativeInput(undefined, {}),
      );
      const results = await putBatch(ctx, request.principal, inputs, NATIVE_FIELDS);
      return {
        results: results.map((r) =>
          'revision' in r
            ? { status: r.status, event_id: r.eventId, revision: r.revision, changed: r.changed }
            : { status: r.status, event_id: r.eventId, code: r.code, message: r.message },
        ),
      };
    },
  );

  app.post<{ Body: Static<typeof ErasureBody> }>(
    '/api/v1/events/erasures',
    {
      schema: {
        tags: ['events'],
        summary: "Erase every event of a member across the caller's programs (leaves tombstones in the feed)",
        security,
        body: ErasureBody,
        response: { 200: ErasureResult },
      },
      config: readers,
    },
    async (request) => ({
      erased: await eraseMember(ctx, request.principal, {
        memberId: request.body.member_id,
        programId: request.body.program_id,
      }),
    }),
  );

  app.get(
    '/api/v1/event-types',
    {
      schema: { tags: ['events'], summary: 'Event types', security, response: { 200: EventTypeList } },
      config: readers,
    },
    async () => ({ data: (await listTypes(ctx)).map(eventType) }),
  );

  app.get<{ Params: Static<typeof TypeNameParams> }>(
    '/api/v1/event-types/:name',
    {
      schema: {
        tags: ['events'],
        summary: 'One event type',
        security,
        params: TypeNameParams,
        response: { 200: EventType },
      },
      config: readers,
    },
    async (request) => eventType(await getType(ctx, request.params.name)),
  );

  app.put<{ Params: Static<typeof TypeNameParams>; Body: Static<typeof EventTypeBody> }>(
    '/api/v1/event-types/:name',
    {
      schema: {
        tags: ['events'],
        summary: 'Register or update an event type and its optional JSON Schema for event data',
        security,
        params: TypeNameParams,
        body: EventTypeBody,
        response: { 200: EventType },
      },
      config: readers,
    },
    async (request) =>
      eventType(
        await putType(ctx, request.principal, {
          name: request.params.name,
          description: request.body.description,
          schema: request.body.schema ?? null,
        }),
      ),
  );
}
