import { Type } from 'typebox';

const Nullable = <T extends ReturnType<typeof Type.String>>(t: T) => Type.Union([t, Type.Null()]);

export const NativeBadge = Type.Object({
  id: Type.String(),
  slug: Type.String(),
  name: Type.String(),
  description: Type.String(),
  criteria_url: Type.String(),
  image_url: Nullable(Type.String()),
  url: Type.String({ description: 'The Open Badges 2.0 BadgeClass' }),
  app_id: Nullable(Type.String({ description: 'The app whose participation badge this is' })),
  created_at: Type.String({ format: 'date-time' }),
});

export const NativeAward = Type.Object({
  id: Type.String(),
  badge: NativeBadge,
  issued_on: Type.String({ format: 'date-time' }),
  expires: Nullable(Type.String({ format: 'date-time' })),
  assertion_url: Type.String({ description: 'The hosted OB 2.0 Assertion' }),
  image_png_url: Type.String({ description: 'The badge image with the assertion baked in (PNG)' }),
  image_svg_url: Type.String(),
  verify_url: Type.String(),
});

export const BadgeList = Type.Object({ data: Type.Array(NativeBadge), next_cursor: Nullable(Type.String()) });
export const AwardList = Type.Object({ data: Type.Array(NativeAward) });
export const ListQuery = Type.Object({
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 50 })),
  cursor: Type.Optional(
    Type.String({ maxLength: 200, description: 'The `next_cursor` of the previous page.' }),
  ),
});
export const IdParams = Type.Object({ id: Type.String({ maxLength: 20 }) });
export const UserParams = Type.Object({ username: Type.String({ minLength: 1, maxLength: 300 }) });
export const CreateBadgeBody = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 255 }),
  description: Type.String({ minLength: 1, maxLength: 10_000 }),
  criteria_url: Type.String({ format: 'uri', maxLength: 255 }),
  image: Type.String({
    maxLength: 700_000,
    description: 'A data: URI (PNG, JPEG, GIF or SVG, at most 512 KiB) or an https URL',
  }),
  slug: Type.Optional(Type.String({ minLength: 1, maxLength: 255 })),
});
export const AwardBody = Type.Object({
  user: Type.String({ minLength: 1, maxLength: 500, description: 'Profile URL, user id or username' }),
  evidence_url: Type.Optional(Type.String({ format: 'uri', maxLength: 255 })),
  narrative: Type.Optional(Type.String({ maxLength: 10_000 })),
});

export const BackpackItem = Type.Object({
  id: Type.String(),
  format: Type.String({ description: '`ob2` (hosted assertion) or `ob3` (credential)' }),
  source_id: Type.String(),
  name: Type.String(),
  issuer_name: Nullable(Type.String()),
  image_url: Nullable(Type.String()),
  verified_at: Type.String({ format: 'date-time' }),
});
export const BackpackList = Type.Object({ data: Type.Array(BackpackItem) });
export const BackpackImport = Type.Object({
  url: Type.Optional(Type.String({ maxLength: 2000, description: 'A hosted OB 2.0 assertion URL' })),
  json: Type.Optional(
    Type.String({ maxLength: 512 * 1024, description: 'An OB 3.0 credential or OB 2.0 assertion as JSON' }),
  ),
  image: Type.Optional(
    Type.String({ maxLength: 1_400_000, description: 'A baked PNG or SVG as a data: URI' }),
  ),
});
