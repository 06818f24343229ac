import { Type } from 'typebox';

export const MailListQuery = Type.Object(
  {
    limit: Type.Integer({ minimum: 1, maximum: 200, default: 50, description: 'Page size (1–200).' }),
    cursor: Type.Optional(
      Type.String({ maxLength: 200, description: 'The `next_cursor` of the previous page.' }),
    ),
  },
  { additionalProperties: false },
);

export const MailEntry = Type.Object({
  id: Type.String({ format: 'uuid' }),
  message_id: Type.String(),
  from: Type.String(),
  to: Type.Array(Type.String()),
  subject: Type.String(),
  text: Type.String(),
  html: Type.Union([Type.String(), Type.Null()]),
  headers: Type.Record(Type.String(), Type.String()),
  created_at: Type.String({ format: 'date-time' }),
});

export const MailList = Type.Object({
  data: Type.Array(MailEntry),
  next_cursor: Type.Union([Type.String(), Type.Null()]),
});
