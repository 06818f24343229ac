import { Type } from 'typebox';

const DateTime = Type.String({ format: 'date-time' });
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);
const ProgramIdString = Type.String({ minLength: 1, maxLength: 40, pattern: '^[A-Za-z0-9_]+$' });
const Days = Type.Integer({ minimum: 1, maximum: 3650, description: 'Key lifetime; no expiry when absent.' });

export const ProgramParams = Type.Object({ program_id: ProgramIdString });
export const KeyParams = Type.Object({
  program_id: ProgramIdString,
  key_id: Type.String({ minLength: 1, maxLength: 80 }),
});
export const GrantParams = Type.Object({ program_id: ProgramIdString, consumer_id: ProgramIdString });

export const Program = Type.Object({
  program_id: Type.String(),
  name: Type.String(),
  owner: Nullable(Type.String()),
  created_at: DateTime,
});
export const ProgramList = Type.Object({ data: Type.Array(Program) });

export const ProgramBody = Type.Object(
  {
    program_id: Type.String({
      minLength: 1,
      maxLength: 40,
      description: 'The ProgramId: the prefix of its event ids (letters, digits, _).',
    }),
    name: Type.String({ minLength: 1, maxLength: 200 }),
    owner: Type.Optional(Type.String({ maxLength: 200, description: 'Who runs it (informational).' })),
    expires_in_days: Type.Optional(Days),
  },
  { additionalProperties: false },
);

export const CreatedKey = Type.Object({
  program_id: Type.String(),
  user_id: Type.String({ description: 'The key id: the user name of HTTP Basic.' }),
  api_key: Type.String({ description: 'The secret: the password of HTTP Basic. Shown this once only.' }),
  expires_at: Nullable(DateTime),
});

export const KeyBody = Type.Object(
  {
    name: Type.Optional(Type.String({ maxLength: 200, description: 'What the key is for.' })),
    expires_in_days: Type.Optional(Days),
  },
  { additionalProperties: false },
);

export const Key = Type.Object({
  user_id: Type.String(),
  name: Type.String(),
  created_at: DateTime,
  expires_at: Nullable(DateTime),
  revoked_at: Nullable(DateTime),
  last_used_at: Nullable(DateTime),
});
export const KeyList = Type.Object({ data: Type.Array(Key) });

export const Grant = Type.Object({
  consumer_id: Type.String({ description: 'The program that may read.' }),
  producer_id: Type.String({ description: 'The program whose events it may read.' }),
  types: Nullable(Type.Array(Type.String(), { description: 'Only these event types; null for all.' })),
  created_at: DateTime,
});
export const GrantList = Type.Object({ data: Type.Array(Grant) });

export const GrantBody = Type.Object(
  {
    types: Type.Optional(
      Nullable(Type.Array(Type.String({ minLength: 1, maxLength: 100 }), { maxItems: 100 })),
    ),
  },
  { additionalProperties: false },
);
