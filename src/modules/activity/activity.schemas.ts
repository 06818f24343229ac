import { type TSchema, Type } from 'typebox';

export const MAX_MESSAGE_LENGTH = 1000;

const Url = (description: string) => Type.String({ minLength: 1, maxLength: 2000, description });
const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

export const ActivityBody = Type.Object(
  {
    actor: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 2000,
        description:
          "The person who did it: their profile URL (`PUBLIC_URL/u/<username>`) or user id. Needs the person's " +
          '`activities:publish` grant to the app. Leave it out to publish anonymously, as the app.',
      }),
    ),
    verb: Type.String({
      pattern: '^[A-Za-z][A-Za-z0-9_.:-]{0,63}$',
      description: 'What was done, e.g. `post`, `join`, `complete` (letters first; stored lower-cased).',
    }),
    object: Url('What it was done to: an absolute http(s) URL.'),
    target: Type.Optional(Url('What it was done in or to, e.g. a discussion: an http(s) URL.')),
    course: Type.Optional(Url('The course it happened in: its URL (AS2 `context`).')),
    verb_url: Type.Optional(Url('A link to the thing done, e.g. the posted comment.')),
    message: Type.Optional(
      Type.String({ maxLength: MAX_MESSAGE_LENGTH, description: 'A sentence people read (AS2 `summary`).' }),
    ),
    published: Type.Optional(
      Type.String({ maxLength: 40, description: 'When it happened (RFC 3339); defaults to now.' }),
    ),
  },
  { additionalProperties: false },
);

export const AppActivityParams = Type.Object({
  activity_id: Type.String({
    pattern: '^[A-Za-z0-9._:~-]{1,200}$',
    description: "The app's own id for the activity (1–200 of A–Z a–z 0–9 . _ : ~ -).",
  }),
});

/** Same path template as the PUT (OpenAPI forbids two names for one path segment); here it is the hub's id. */
export const ActivityIdParams = Type.Object({
  activity_id: Type.String({
    maxLength: 64,
    description: "The hub's id of the activity (`id` in responses).",
  }),
});

export const Activity = Type.Object({
  id: Type.String({ format: 'uuid' }),
  app_id: Nullable(Type.String({ description: 'The publishing app; null for the hub itself.' })),
  app_activity_id: Nullable(Type.String()),
  actor: Nullable(Type.String({ description: "The actor's profile URL; null when anonymous." })),
  actor_id: Nullable(Type.String()),
  verb: Type.String(),
  object: Type.String(),
  target: Nullable(Type.String()),
  course: Nullable(Type.String()),
  verb_url: Nullable(Type.String()),
  message: Nullable(Type.String()),
  published: Type.String({ format: 'date-time' }),
  updated: Type.String({ format: 'date-time' }),
});

export const FeedQuery = Type.Object(
  {
    noun: Type.String({
      minLength: 1,
      maxLength: 2000,
      description: 'A profile URL, course URL or any object URL; every activity involving it is returned.',
    }),
    limit: Type.Integer({ minimum: 1, maximum: 100, default: 20, description: 'Page size (1–100).' }),
    cursor: Type.Optional(
      Type.String({ maxLength: 300, description: 'The `next_cursor` of the previous page.' }),
    ),
    verb: Type.Optional(Type.String({ maxLength: 64, description: 'Only this verb.' })),
    app: Type.Optional(
      Type.String({ maxLength: 64, description: 'Only activities published by this app id.' }),
    ),
    since: Type.Optional(Type.String({ format: 'date-time', description: 'Published at or after.' })),
    until: Type.Optional(Type.String({ format: 'date-time', description: 'Published before.' })),
  },
  { additionalProperties: false },
);

export const FeedPage = Type.Object({
  noun: Type.String(),
  data: Type.Array(Activity),
  next_cursor: Nullable(Type.String()),
});

const As2Actor = Type.Object({
  type: Type.String(),
  id: Type.String(),
  name: Type.Optional(Type.String()),
  url: Type.Optional(Type.String()),
});

const As2Activity = Type.Object({
  id: Type.String(),
  type: Type.String(),
  'learnhub:verb': Type.String(),
  actor: As2Actor,
  object: Type.String(),
  target: Type.Optional(Type.String()),
  context: Type.Optional(Type.String()),
  url: Type.Optional(Type.String()),
  summary: Type.Optional(Type.String()),
  published: Type.String(),
  updated: Type.Optional(Type.String()),
  generator: As2Actor,
});

export const As2Page = Type.Object({
  '@context': Type.Array(Type.Union([Type.String(), Type.Record(Type.String(), Type.String())])),
  id: Type.String(),
  type: Type.Literal('OrderedCollectionPage'),
  summary: Type.String(),
  partOf: Type.String(),
  next: Type.Optional(Type.String()),
  orderedItems: Type.Array(As2Activity),
});

export const FeedSettings = Type.Object({
  private: Type.Boolean({ description: 'When true, your activities are shown to nobody but you.' }),
});

export const FeedSettingsBody = Type.Object({ private: Type.Boolean() }, { additionalProperties: false });

export const PrivacyForm = Type.Object({
  _csrf: Type.Optional(Type.String({ maxLength: 200 })),
  private: Type.Optional(Type.String({ maxLength: 10 })),
});

export const CsrfForm = Type.Object({ _csrf: Type.Optional(Type.String({ maxLength: 200 })) });
