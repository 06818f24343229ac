import { Type } from 'typebox';
import { MAX_REDIRECT_URIS } from './oauth.validation.ts';

const Url = (description: string) => Type.String({ maxLength: 2000, description });
const NullableUrl = (description: string) => Type.Union([Url(description), Type.Null()]);

const appFields = {
  name: Type.String({ minLength: 1, maxLength: 100, description: 'Shown to people on the consent page.' }),
  homepage_url: Type.Optional(NullableUrl('The app’s website (http or https).')),
  logo_url: Type.Optional(NullableUrl('An https image shown on the consent page.')),
  redirect_uris: Type.Optional(
    Type.Array(Url('https, or http to localhost/127.0.0.1; compared exactly.'), {
      maxItems: MAX_REDIRECT_URIS,
      description: 'Where the hub may send people back with an authorization code.',
    }),
  ),
  reply_url: Type.Optional(NullableUrl('Where replies to the app’s emails are delivered.')),
};

export const AppCreateBody = Type.Object(
  {
    ...appFields,
    owner: Type.Optional(
      Type.String({
        maxLength: 2000,
        description: 'Owner (profile URL, id or username); operators and admins only. Default: the caller.',
      }),
    ),
  },
  { additionalProperties: false },
);

export const AppUpdateBody = Type.Object(
  { ...appFields, name: Type.Optional(appFields.name) },
  { additionalProperties: false, minProperties: 1 },
);

export const AppParams = Type.Object({
  id: Type.String({ format: 'uuid', description: 'The app id (= client_id).' }),
});

export const AppOut = Type.Object({
  id: Type.String({ format: 'uuid' }),
  client_id: Type.String(),
  name: Type.String(),
  homepage_url: Type.Union([Type.String(), Type.Null()]),
  logo_url: Type.Union([Type.String(), Type.Null()]),
  redirect_uris: Type.Array(Type.String()),
  reply_url: Type.Union([Type.String(), Type.Null()]),
  owner_user_id: Type.Union([Type.String({ format: 'uuid' }), Type.Null()]),
  secret_rotated_at: Type.String({ format: 'date-time' }),
  created_at: Type.String({ format: 'date-time' }),
  updated_at: Type.String({ format: 'date-time' }),
});

export const AppWithSecretOut = Type.Object({
  ...AppOut.properties,
  client_secret: Type.String({ description: 'Shown only in this response; store it now.' }),
});

export const AppListQuery = Type.Object(
  {
    limit: Type.Integer({ minimum: 1, maximum: 100, default: 20, description: 'Page size (1–100).' }),
    cursor: Type.Optional(
      Type.String({ maxLength: 200, description: 'The `next_cursor` of the previous page.' }),
    ),
  },
  { additionalProperties: false },
);

export const AppList = Type.Object({
  data: Type.Array(AppOut),
  next_cursor: Type.Union([Type.String(), Type.Null()]),
});

export const VerifyBody = Type.Object(
  {
    user_profile: Type.String({
      minLength: 1,
      maxLength: 2000,
      description: 'The user as the app knows them: profile URL, user id or username.',
    }),
    token: Type.String({ minLength: 1, maxLength: 4096, description: 'The access token the app holds.' }),
  },
  { additionalProperties: false },
);

export const VerifyOut = Type.Object({
  active: Type.Literal(true),
  user: Type.Object({
    id: Type.String({ format: 'uuid' }),
    username: Type.String(),
    name: Type.String(),
    profile_url: Type.String(),
  }),
  scopes: Type.Array(Type.String()),
  app: Type.Object({ client_id: Type.String(), name: Type.String() }),
});

export const NoContent = Type.Null({ description: 'No content' });
