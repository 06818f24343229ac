import { Type } from 'typebox';

const DateTime = Type.String({ format: 'date-time' });
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);
const Data = Type.Record(Type.String(), Type.Unknown(), {
  description: 'The event as the program records it.',
});

export const EventIdParams = Type.Object({ event_id: Type.String({ minLength: 1, maxLength: 200 }) });
export const TypeNameParams = Type.Object({ name: Type.String({ minLength: 1, maxLength: 100 }) });

export const EventBody = Type.Object(
  {
    program_id: Type.String({ maxLength: 40, description: 'Must equal the prefix of the event id.' }),
    member_id: Type.String({
      maxLength: 320,
      description: 'The participant in the program (e.g. an email).',
    }),
    type: Type.String({ maxLength: 100 }),
    start_at: Type.String({ maxLength: 40, description: 'RFC 3339; UTC when no offset is given.' }),
    end_at: Type.Optional(Type.String({ maxLength: 40, description: 'Defaults to start_at.' })),
    data: Type.Optional(Type.Unknown({ description: 'A JSON object (at most 64 KiB).' })),
    reference_event_id: Type.Optional(Nullable(Type.String({ maxLength: 200 }))),
  },
  { additionalProperties: false },
);

export const PutResult = Type.Object({
  event_id: Type.String(),
  revision: Type.Integer(),
  changed: Type.Boolean({ description: 'False when the PUT repeated the current revision exactly.' }),
});

const EventFields = {
  program_id: Type.String(),
  member_id: Type.String(),
  type: Type.String(),
  start_at: DateTime,
  end_at: DateTime,
  data: Data,
  reference_event_id: Nullable(Type.String()),
};

export const Revision = Type.Object({ revision: Type.Integer(), ...EventFields, recorded_at: DateTime });

export const EventDetail = Type.Object({
  event_id: Type.String(),
  ...EventFields,
  revision: Type.Integer(),
  created_at: DateTime,
  updated_at: DateTime,
  revisions: Type.Array(Revision, { description: 'Every revision, oldest first (up to 100).' }),
});

export const Change = Type.Object({
  event_id: Type.String(),
  revision: Type.Integer(),
  kind: Type.Union([Type.Literal('put'), Type.Literal('erased')]),
  program_id: Type.String(),
  member_id: Nullable(Type.String()),
  type: Type.String(),
  start_at: Nullable(DateTime),
  end_at: Nullable(DateTime),
  data: Nullable(Data),
  reference_event_id: Nullable(Type.String()),
  recorded_at: DateTime,
});

export const FeedQuery = Type.Object(
  {
    program: Type.Optional(Type.String({ maxLength: 40 })),
    member: Type.Optional(Type.String({ maxLength: 320 })),
    type: Type.Optional(Type.String({ maxLength: 100 })),
    from: Type.Optional(
      Type.String({ maxLength: 40, description: 'Events starting at or after (RFC 3339).' }),
    ),
    to: Type.Optional(Type.String({ maxLength: 40, description: 'Events starting before (RFC 3339).' })),
    cursor: Type.Optional(
      Type.String({ maxLength: 200, description: 'The `next_cursor` of the previous page.' }),
    ),
    limit: Type.Integer({ minimum: 1, maximum: 1000, default: 100 }),
  },
  { additionalProperties: false },
);

export const Feed = Type.Object({
  data: Type.Array(Change),
  next_cursor: Type.String({ description: 'Store it; pass it as `cursor` next time. Never null.' }),
  has_more: Type.Boolean(),
});

export const BatchBody = Type.Object(
  {
    events: Type.Array(Type.Unknown({ description: 'An event body with its `event_id`.' }), {
      maxItems: 1000,
    }),
  },
  { additionalProperties: false },
);

export const BatchResult = Type.Object({
  results: Type.Array(
    Type.Object({
      status: Type.Integer(),
      event_id: Nullable(Type.String()),
      revision: Type.Optional(Type.Integer()),
      changed: Type.Optional(Type.Boolean()),
      code: Type.Optional(Type.String()),
      message: Type.Optional(Type.String()),
    }),
  ),
});

export const ErasureBody = Type.Object(
  {
    member_id: Type.String({ minLength: 1, maxLength: 320 }),
    program_id: Type.Optional(Type.String({ maxLength: 40 })),
  },
  { additionalProperties: false },
);
export const ErasureResult = Type.Object({ erased: Type.Integer() });

export const EventType = Type.Object({
  name: Type.String(),
  description: Type.String(),
  schema: Nullable(Type.Record(Type.String(), Type.Unknown())),
  built_in: Type.Boolean(),
  owner_program_id: Nullable(Type.String()),
});
export const EventTypeList = Type.Object({ data: Type.Array(EventType) });
export const EventTypeBody = Type.Object(
  {
    description: Type.String({ minLength: 1, maxLength: 2000 }),
    schema: Type.Optional(Nullable(Type.Record(Type.String(), Type.Unknown()))),
  },
  { additionalProperties: false },
);
