import { Type } from 'typebox';

const Url = Type.String({ format: 'uri', maxLength: 2000 });

export const PlatformBody = Type.Object(
  {
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    issuer: Url,
    client_id: Type.String({ minLength: 1, maxLength: 255 }),
    deployment_ids: Type.Array(Type.String({ minLength: 1, maxLength: 255 }), { maxItems: 100 }),
    auth_endpoint: Url,
    token_endpoint: Url,
    token_audience: Type.Optional(Type.Union([Type.String({ maxLength: 2000 }), Type.Null()])),
    jwks_url: Url,
    auto_create_courses: Type.Optional(Type.Boolean()),
    link_by_email: Type.Optional(Type.Boolean()),
    institution_id: Type.Optional(Type.Union([Type.String({ format: 'uuid' }), Type.Null()])),
  },
  { additionalProperties: false },
);

export const PlatformPatch = Type.Partial(Type.Omit(PlatformBody, ['issuer', 'client_id']), {
  additionalProperties: false,
});

export const ToolUrls = Type.Object({
  domain: Type.String(),
  login_url: Type.String(),
  launch_url: Type.String(),
  deep_linking_url: Type.String(),
  jwks_url: Type.String(),
  registration_url: Type.String(),
});

export const Platform = Type.Object({
  id: Type.String({ format: 'uuid' }),
  name: Type.String(),
  issuer: Type.String(),
  client_id: Type.String(),
  deployment_ids: Type.Array(Type.String()),
  auth_endpoint: Type.String(),
  token_endpoint: Type.String(),
  token_audience: Type.Union([Type.String(), Type.Null()]),
  jwks_url: Type.String(),
  auto_create_courses: Type.Boolean(),
  link_by_email: Type.Boolean(),
  institution_id: Type.Union([Type.String(), Type.Null()]),
  created_at: Type.String({ format: 'date-time' }),
  updated_at: Type.String({ format: 'date-time' }),
  tool: ToolUrls,
});

export const PlatformList = Type.Object({
  data: Type.Array(Platform),
  next_cursor: Type.Union([Type.String(), Type.Null()]),
});

export const ListQuery = Type.Object({
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 50 })),
  cursor: Type.Optional(Type.String({ maxLength: 100 })),
});

export const IdParams = Type.Object({ id: Type.String({ maxLength: 100 }) });

export const ToolKey = Type.Object({
  kid: Type.String(),
  created_at: Type.String({ format: 'date-time' }),
  retired_at: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  last_signed_at: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
});

export const ToolKeyList = Type.Object({ data: Type.Array(ToolKey), tool: ToolUrls });
