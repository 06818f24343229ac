import { Type } from 'typebox';

const Uuid = Type.String({ format: 'uuid' });
const Timestamp = Type.String({ format: 'date-time' });
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) =>
  Type.Union([schema, Type.Null()]);
export const DeliverySchema = Type.Union(
  [Type.Literal('immediately'), Type.Literal('daily'), Type.Literal('weekly'), Type.Literal('never')],
  { description: 'When to email: at once, in a daily or weekly digest, or never (inbox only).' },
);

export const SendMessageBody = Type.Object(
  {
    user_profile: Type.String({
      minLength: 1,
      maxLength: 500,
      description: 'The recipient: profile URL (`PUBLIC_URL/u/<username>`), user id or username.',
    }),
    subject: Type.String({ minLength: 1, maxLength: 200 }),
    content: Type.String({
      minLength: 1,
      // The use-case enforces 50,000 characters with its own error code; this only bounds parsing.
      maxLength: 200_000,
      description: 'Plain text, or Markdown when `format` is `markdown` (rendered to sanitised HTML).',
    }),
    format: Type.Optional(Type.Union([Type.Literal('text'), Type.Literal('markdown')], { default: 'text' })),
    reply_enabled: Type.Optional(Type.Boolean({ default: false })),
    course_id: Type.Optional(Uuid),
    category: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
  },
  { additionalProperties: false },
);

export const SentMessage = Type.Object({
  id: Uuid,
  reply_token: Type.Optional(Type.String({ description: 'Only for reply-enabled messages.' })),
});

export const MessageJson = Type.Object({
  id: Uuid,
  app_id: Nullable(Uuid),
  course_id: Nullable(Uuid),
  category: Nullable(Type.String()),
  subject: Type.String(),
  text: Type.String(),
  html: Type.String(),
  reply_enabled: Type.Boolean(),
  read: Type.Boolean(),
  email_status: Type.String(),
  created_at: Timestamp,
});

export const MessageList = Type.Object({
  data: Type.Array(MessageJson),
  unread_count: Type.Integer(),
  next_cursor: Nullable(Type.String()),
});

export const MessageListQuery = Type.Object(
  {
    limit: Type.Integer({ minimum: 1, maximum: 100, default: 25 }),
    cursor: Type.Optional(Type.String({ maxLength: 200 })),
    unread: Type.Optional(Type.Boolean({ description: 'Only unread messages.' })),
  },
  { additionalProperties: false },
);

export const IdParams = Type.Object({ id: Uuid }, { additionalProperties: false });
export const MarkReadBody = Type.Object({ read: Type.Boolean() }, { additionalProperties: false });

export const Preference = Type.Object({
  scope: Type.String({ description: '`default`, `app:<app id>` or `course:<course id>`.' }),
  delivery: DeliverySchema,
});
export const PreferenceList = Type.Object({ data: Type.Array(Preference) });
export const PutPreferenceBody = Type.Object(
  { scope: Type.String({ minLength: 1, maxLength: 60 }), delivery: DeliverySchema },
  { additionalProperties: false },
);
export const DeletePreferenceQuery = Type.Object(
  { scope: Type.String({ minLength: 1, maxLength: 60 }) },
  { additionalProperties: false },
);

export const ReplySecret = Type.Object({
  secret: Type.String({ description: 'Standard Webhooks secret (`whsec_...`) that signs reply PUTs.' }),
});

export const InboundResult = Type.Object({
  status: Type.Union([Type.Literal('accepted'), Type.Literal('duplicate'), Type.Literal('dropped')]),
  reply_id: Type.Optional(Uuid),
  reason: Type.Optional(Type.String()),
});

export const PostmarkInbound = Type.Object(
  {
    RawEmail: Type.Optional(Type.String({ maxLength: 4 * 1024 * 1024 })),
    OriginalRecipient: Type.Optional(Type.String({ maxLength: 500 })),
    ToFull: Type.Optional(
      Type.Array(Type.Object({ Email: Type.String({ maxLength: 500 }) }), { maxItems: 50 }),
    ),
  },
  { description: 'Postmark inbound webhook JSON ("Include raw email content" must be on).' },
);

export const PostmarkEvent = Type.Object(
  {
    RecordType: Type.String({ maxLength: 50 }),
    Type: Type.Optional(Type.String({ maxLength: 50 })),
    Email: Type.Optional(Type.String({ maxLength: 320 })),
    Recipient: Type.Optional(Type.String({ maxLength: 320 })),
  },
  { description: 'Postmark bounce, spam-complaint and subscription-change webhooks.' },
);

export const Ok = Type.Object({ ok: Type.Boolean() });
