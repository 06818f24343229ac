import { Type } from 'typebox';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);
const Data = Type.Record(Type.String(), Type.Unknown());
const Utc = Type.String({ format: 'date-time' });

export const EventIdParams = Type.Object({ eventId: Type.String({ minLength: 1, maxLength: 200 }) });
export const TypeNameParams = Type.Object({ name: Type.String({ minLength: 1, maxLength: 100 }) });

/**
 * The seed's payload. Fields are typed loosely here on purpose: the Event Store checks them itself so that
 * rights on the id's prefix are decided (403) before the body's shape (400), and each error names the field.
 */
export const SeedEventBody = Type.Object(
  {
    ProgramId: Type.Optional(
      Type.Unknown({ description: 'The Program that owns the Event; equals the id prefix.' }),
    ),
    ProgramMemberId: Type.Optional(Type.Unknown({ description: 'Email or other id of the participant.' })),
    EventType: Type.Optional(Type.Unknown({ description: 'See GET /eventstore/event-types.' })),
    EventStartUTC: Type.Optional(Type.Unknown({ description: 'UTC date/time (ISO 8601).' })),
    EventEndUTC: Type.Optional(Type.Unknown({ description: 'UTC date/time; defaults to EventStartUTC.' })),
    EventData: Type.Optional(Type.Unknown({ description: 'JSON object, at most 64 KiB.' })),
    ReferenceEventId: Type.Optional(Type.Unknown({ description: 'Optional id of another Event.' })),
  },
  { additionalProperties: false },
);

const EventFields = {
  ProgramId: Type.String(),
  ProgramMemberId: Type.String(),
  EventType: Type.String(),
  EventStartUTC: Utc,
  EventEndUTC: Utc,
  EventData: Data,
  ReferenceEventId: Nullable(Type.String()),
};

export const SeedEvent = Type.Object({
  EventId: Type.String(),
  ...EventFields,
  Revision: Type.Integer(),
  CreatedUTC: Utc,
  UpdatedUTC: Utc,
  Revisions: Type.Array(Type.Object({ Revision: Type.Integer(), ...EventFields, RecordedUTC: Utc })),
});

export const SeedChange = Type.Object({
  EventId: Type.String(),
  Revision: Type.Integer(),
  Deleted: Type.Boolean({ description: 'True for an erasure tombstone: delete your copy of the event.' }),
  ProgramId: Type.String(),
  ProgramMemberId: Nullable(Type.String()),
  EventType: Type.String(),
  EventStartUTC: Nullable(Utc),
  EventEndUTC: Nullable(Utc),
  EventData: Nullable(Data),
  ReferenceEventId: Nullable(Type.String()),
  RecordedUTC: Utc,
});

export const SeedFeedQuery = Type.Object(
  {
    program: Type.Optional(Type.String({ maxLength: 40 })),
    member: Type.Optional(Type.String({ maxLength: 320 })),
    type: Type.Optional(Type.String({ maxLength: 100 })),
    from: Type.Optional(Type.String({ maxLength: 40 })),
    to: Type.Optional(Type.String({ maxLength: 40 })),
    since: Type.Optional(
      Type.String({ maxLength: 200, description: 'The NextCursor of your previous pull.' }),
    ),
    limit: Type.Integer({ minimum: 1, maximum: 1000, default: 100 }),
  },
  { additionalProperties: false },
);

export const SeedFeed = Type.Object({
  Events: Type.Array(SeedChange),
  NextCursor: Type.String(),
  HasMore: Type.Boolean(),
});

export const SeedBatchBody = Type.Object(
  {
    Events: Type.Array(Type.Unknown({ description: 'A PUT payload plus its EventId.' }), { maxItems: 1000 }),
  },
  { additionalProperties: false },
);

const SeedError = Type.Object({ code: Type.String(), message: Type.String() });

export const SeedBatchResult = Type.Object({
  Results: Type.Array(
    Type.Object({
      EventId: Nullable(Type.String()),
      Status: Type.Integer(),
      Revision: Type.Optional(Type.Integer()),
      Changed: Type.Optional(Type.Boolean()),
      Error: Type.Optional(SeedError),
    }),
  ),
});

export const SeedErasureBody = Type.Object(
  {
    ProgramMemberId: Type.String({ minLength: 1, maxLength: 320 }),
    ProgramId: Type.Optional(Type.String({ maxLength: 40 })),
  },
  { additionalProperties: false },
);
export const SeedErasureResult = Type.Object({ Erased: Type.Integer() });

export const SeedEventType = Type.Object({
  Name: Type.String(),
  Description: Type.String(),
  Schema: Nullable(Data),
  BuiltIn: Type.Boolean(),
  OwnerProgramId: Nullable(Type.String()),
});
export const SeedEventTypeList = Type.Object({ EventTypes: Type.Array(SeedEventType) });
export const SeedEventTypeBody = Type.Object(
  { Description: Type.String({ minLength: 1, maxLength: 2000 }), Schema: Type.Optional(Nullable(Data)) },
  { additionalProperties: false },
);

export const SeedErrorBody = Type.Object({ error: SeedError });
