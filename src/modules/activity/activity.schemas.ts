import { type TSchema, Type } from 'typebox';

export const MAX_MESSAGE_LENGTH = 1000;
/** The longest object title, in characters (checked again after trimming, for AS2 input too). */
export const MAX_OBJECT_NAME_LENGTH = 200;

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
    object_name: Type.Optional(
      Type.String({
        maxLength: MAX_OBJECT_NAME_LENGTH,
        description:
          'The title of the object, e.g. `Week 2 sketches` (AS2 `name`): plain text, trimmed, at most 200 ' +
          "characters, no control characters. Shown as the link text of the object on the hub's pages.",
      }),
    ),
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

/** An AS2 reference: a URL, or an object with its URL as `id` (other properties are ignored). */
const As2Ref = (description: string) =>
  Type.Union(
    [
      Url(description),
      Type.Object({ id: Url('Its URL.'), type: Type.Optional(Type.String({ maxLength: 100 })) }),
    ],
    { description },
  );
const LanguageMap = (maxLength: number, description: string) =>
  Type.Record(Type.String({ maxLength: 35 }), Type.String({ maxLength }), { description });

/**
 * An activity as Activity Streams 2.0 (`Content-Type: application/activity+json`): the same fields under AS2
 * names. Properties not listed are ignored, as AS2 consumers do.
 */
export const As2ActivityBody = Type.Object(
  {
    '@context': Type.Optional(Type.Unknown()),
    type: Type.String({
      pattern: '^[A-Za-z][A-Za-z0-9_.:-]{0,63}$',
      description:
        'The AS2 type (`Create`, `Join`, ...); lower-cased, it is the verb unless `learnhub:verb` is given.',
    }),
    'learnhub:verb': Type.Optional(
      Type.String({
        pattern: '^[A-Za-z][A-Za-z0-9_.:-]{0,63}$',
        description: 'The verb, as the hub sends it.',
      }),
    ),
    actor: Type.Optional(
      Type.Union([
        Type.String({ minLength: 1, maxLength: 2000 }),
        Type.Object({
          id: Type.Optional(Type.String({ minLength: 1, maxLength: 2000 })),
          url: Type.Optional(Type.String({ minLength: 1, maxLength: 2000 })),
          type: Type.Optional(Type.String({ maxLength: 100 })),
        }),
      ]),
    ),
    object: Type.Union([
      Url('What it was done to.'),
      Type.Object({
        id: Url("The object's URL."),
        type: Type.Optional(Type.String({ maxLength: 100 })),
        name: Type.Optional(Type.String({ maxLength: 2000, description: 'Its title (`object_name`).' })),
        nameMap: Type.Optional(LanguageMap(2000, 'Its title by language, when `name` is absent.')),
        summary: Type.Optional(Type.String({ maxLength: MAX_MESSAGE_LENGTH })),
      }),
    ]),
    target: Type.Optional(As2Ref('Where it was done (`target`).')),
    context: Type.Optional(As2Ref('The course (`course`).')),
    url: Type.Optional(Url('A link to the thing done (`verb_url`).')),
    summary: Type.Optional(
      Type.String({ maxLength: MAX_MESSAGE_LENGTH, description: 'A sentence people read (`message`).' }),
    ),
    summaryMap: Type.Optional(
      LanguageMap(MAX_MESSAGE_LENGTH, 'The sentence by language, when `summary` is absent.'),
    ),
    published: Type.Optional(Type.String({ maxLength: 40 })),
  },
  { description: 'An Activity Streams 2.0 activity.' },
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
  object_name: Nullable(Type.String({ description: "The object's title, when the app gave one." })),
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
  object: Type.Union([
    Type.String(),
    Type.Object({ type: Type.String(), id: Type.String(), name: Type.String(), url: Type.String() }),
  ]),
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
