import type { FastifyInstance } from 'fastify';
import { type Static, Type } from 'typebox';
import {
  type EventsContext,
  eraseMember,
  getEvent,
  getType,
  isPlainObject,
  listTypes,
  parseDateTime,
  programKeyRateLimit,
  putBatch,
  putEvent,
  putType,
  readChanges,
  SEED_FIELDS,
} from '../../modules/events/index.ts';
import { eventLocation, SEED_SHAPE, seedChange, seedInput, seedType } from './eventstore.mapping.ts';
import {
  EventIdParams,
  SeedBatchBody,
  SeedBatchResult,
  SeedErasureBody,
  SeedErasureResult,
  SeedErrorBody,
  SeedEvent,
  SeedEventBody,
  SeedEventType,
  SeedEventTypeBody,
  SeedEventTypeList,
  SeedFeed,
  SeedFeedQuery,
  TypeNameParams,
} from './eventstore.schemas.ts';

const security: Record<string, string[]>[] = [{ programKey: [] }];
const keys = { principals: ['program_key'] as const, rateLimit: programKeyRateLimit };
const errors = { 400: SeedErrorBody, 401: SeedErrorBody, 403: SeedErrorBody, 404: SeedErrorBody };

/** The seed's routes, mounted under /eventstore. Thin: map the wire format, call the Event Store. */
export async function eventStoreRoutes(app: FastifyInstance, { ctx }: { ctx: EventsContext }) {
  app.put<{ Params: Static<typeof EventIdParams>; Body: Static<typeof SeedEventBody> }>(
    '/events/:eventId',
    {
      bodyLimit: 128 * 1024,
      schema: {
        tags: ['eventstore'],
        summary: 'Create or update an Event (200, Location, empty body)',
        security,
        params: EventIdParams,
        body: SeedEventBody,
        response: {
          200: Type.Null({ description: 'Stored (or an identical repeat); empty body.' }),
          ...errors,
        },
      },
      config: keys,
    },
    async (request, reply) => {
      await putEvent(ctx, request.principal, seedInput(request.params.eventId, request.body), SEED_FIELDS);
      reply.code(200).header('location', eventLocation(request.params.eventId));
      return reply.send();
    },
  );

  app.get<{ Params: Static<typeof EventIdParams> }>(
    '/events/:eventId',
    {
      schema: {
        tags: ['eventstore'],
        summary: 'An Event and its revisions',
        security,
        params: EventIdParams,
        response: { 200: SeedEvent, ...errors },
      },
      config: keys,
    },
    async (request) => {
      const { event, revisions } = await getEvent(ctx, request.principal, request.params.eventId);
      return {
        EventId: event.eventId,
        ProgramId: event.programId,
        ProgramMemberId: event.memberId,
        EventType: event.eventType,
        EventStartUTC: event.startAt.toISOString(),
        EventEndUTC: event.endAt.toISOString(),
        EventData: event.data,
        ReferenceEventId: event.referenceEventId,
        Revision: event.revision,
        CreatedUTC: event.createdAt.toISOString(),
        UpdatedUTC: event.updatedAt.toISOString(),
        Revisions: revisions.map((r) => {
          const c = seedChange(r);
          return {
            Revision: c.Revision,
            ProgramId: c.ProgramId,
            ProgramMemberId: c.ProgramMemberId ?? '',
            EventType: c.EventType,
            EventStartUTC: c.EventStartUTC ?? '',
            EventEndUTC: c.EventEndUTC ?? '',
            EventData: c.EventData ?? {},
            ReferenceEventId: c.ReferenceEventId,
            RecordedUTC: c.RecordedUTC,
          };
        }),
      };
    },
  );

  app.get<{ Querystring: Static<typeof SeedFeedQuery> }>(
    '/events',
    {
      schema: {
        tags: ['eventstore'],
        summary: 'Pull changes after a cursor (each insert, update and erasure exactly once, in order)',
        security,
        querystring: SeedFeedQuery,
        response: { 200: SeedFeed, ...errors },
      },
      config: keys,
    },
    async (request, reply) => {
      const q = request.query;
      const filters = {
        program: q.program,
        member: q.member,
        type: q.type,
        from: q.from === undefined ? undefined : parseDateTime(q.from, 'from'),
        to: q.to === undefined ? undefined : parseDateTime(q.to, 'to'),
        since: q.since,
        limit: q.limit,
      };
      const result = await readChanges(ctx, request.principal, filters, SEED_SHAPE);
      // The page arrives as JSON text in SeedFeed's shape (see readFeed); it is sent without re-encoding.
      reply.type('application/json; charset=utf-8');
      return reply.send(
        `{"Events":${result.json},"NextCursor":${JSON.stringify(result.nextCursor)},"HasMore":${result.hasMore}}`,
      );
    },
  );

  // find-my-way reads ':' as a parameter; '::' is a literal colon (Google-style custom method).
  app.post<{ Body: Static<typeof SeedBatchBody> }>(
    '/events::batch',
    {
      bodyLimit: 16 * 1024 * 1024,
      schema: {
        tags: ['eventstore'],
        summary: 'Create or update up to 1,000 Events, each all-or-nothing, with a result per item',
        security,
        body: SeedBatchBody,
        response: { 200: SeedBatchResult, ...errors },
      },
      config: keys,
    },
    async (request) => {
      const inputs = request.body.Events.map((item) =>
        isPlainObject(item) ? seedInput(item.EventId, item) : seedInput(undefined, {}),
      );
      const results = await putBatch(ctx, request.principal, inputs, SEED_FIELDS);
      return {
        Results: results.map((r) =>
          'revision' in r
            ? { EventId: r.eventId, Status: r.status, Revision: r.revision, Changed: r.changed }
            : { EventId: r.eventId, Status: r.status, Error: { code: r.code, message: r.message } },
        ),
      };
    },
  );

  app.post<{ Body: Static<typeof SeedErasureBody> }>(
    '/erasures',
    {
      schema: {
        tags: ['eventstore'],
        summary: "Erase every Event of a ProgramMemberId in the key's programs",
        security,
        body: SeedErasureBody,
        response: { 200: SeedErasureResult, ...errors },
      },
      config: keys,
    },
    async (request) => ({
      Erased: await eraseMember(ctx, request.principal, {
        memberId: request.body.ProgramMemberId,
        programId: request.body.ProgramId,
      }),
    }),
  );

  app.get(
    '/event-types',
    {
      schema: {
        tags: ['eventstore'],
        summary: 'Event Types',
        security,
        response: { 200: SeedEventTypeList, ...errors },
      },
      config: keys,
    },
    async () => ({ EventTypes: (await listTypes(ctx)).map(seedType) }),
  );

  app.get<{ Params: Static<typeof TypeNameParams> }>(
    '/event-types/:name',
    {
      schema: {
        tags: ['eventstore'],
        summary: 'One Event Type',
        security,
        params: TypeNameParams,
        response: { 200: SeedEventType, ...errors },
      },
      config: keys,
    },
    async (request) => seedType(await getType(ctx, request.params.name)),
  );

  app.put<{ Params: Static<typeof TypeNameParams>; Body: Static<typeof SeedEventTypeBody> }>(
    '/event-types/:name',
    {
      schema: {
        tags: ['eventstore'],
        summary: 'Register or update an Event Type your program owns (optional JSON Schema for EventData)',
        security,
        params: TypeNameParams,
        body: SeedEventTypeBody,
        response: { 200: SeedEventType, ...errors },
      },
      config: keys,
    },
    async (request) =>
      seedType(
        await putType(ctx, request.principal, {
          name: request.params.name,
          description: request.body.Description,
          schema: request.body.Schema ?? null,
        }),
      ),
  );
}
