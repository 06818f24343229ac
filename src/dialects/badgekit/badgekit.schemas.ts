import { type TSchema, Type } from 'typebox';

/**
 * BadgeKit's JSON shapes as TypeBox schemas, for the bodies the dialect sends as finished bytes (the badge
 * lists, badgekit.listcache.ts), which no serialiser compares with a schema: the contract test does. They
 * follow badgekit.wire.ts field for field.
 */
const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);
const Bit = Type.Union([Type.Literal(0), Type.Literal(1)]);

const containerFields = {
  id: Type.Integer(),
  slug: Type.String(),
  url: Type.String(),
  name: Type.String(),
};

export const BkProgram = Type.Object({
  ...containerFields,
  description: Nullable(Type.String()),
  email: Nullable(Type.String()),
  imageUrl: Nullable(Type.String()),
});

export const BkIssuer = Type.Object({
  ...containerFields,
  description: Nullable(Type.String()),
  email: Nullable(Type.String()),
  imageUrl: Nullable(Type.String()),
  programs: Type.Array(BkProgram),
});

export const BkSystem = Type.Object({
  ...containerFields,
  email: Nullable(Type.String()),
  imageUrl: Nullable(Type.String()),
  issuers: Type.Array(BkIssuer),
});

const badgeFields = {
  id: Type.Integer(),
  slug: Type.String(),
  name: Type.String(),
  strapline: Nullable(Type.String()),
  earnerDescription: Type.String(),
  consumerDescription: Type.String(),
  issuerUrl: Nullable(Type.String()),
  rubricUrl: Nullable(Type.String()),
  timeValue: Nullable(Type.Integer()),
  timeUnits: Nullable(Type.String()),
  limit: Nullable(Type.Integer()),
  unique: Bit,
  created: Type.String({ format: 'date-time' }),
  imageUrl: Nullable(Type.String()),
  type: Type.String(),
  archived: Type.Boolean(),
  system: Type.Optional(BkSystem),
  issuer: Type.Optional(BkIssuer),
  program: Type.Optional(BkProgram),
  criteriaUrl: Type.String(),
  criteria: Type.Array(
    Type.Object({ id: Type.Integer(), description: Type.String(), required: Bit, note: Type.String() }),
  ),
  alignments: Type.Array(
    Type.Object({
      id: Type.Integer(),
      name: Type.String(),
      url: Type.String(),
      description: Nullable(Type.String()),
    }),
  ),
  evidenceType: Nullable(Type.String()),
  categories: Type.Array(Type.String()),
  tags: Type.Array(Type.Object({ id: Type.Integer(), value: Type.String() })),
};

/** A badge inside a milestone: its own milestones are never loaded there. */
const BkMilestoneBadge = Type.Object({ ...badgeFields, milestones: Type.Array(Type.Never()) });

export const BkMilestone = Type.Object({
  id: Type.Integer(),
  action: Type.String(),
  numberRequired: Type.Integer(),
  primaryBadge: Nullable(BkMilestoneBadge),
  supportBadges: Type.Array(BkMilestoneBadge),
});

export const BkBadge = Type.Object({ ...badgeFields, milestones: Type.Array(BkMilestone) });

/** `GET .../badges`: `pageData` only when both `page` and `count` were given. */
export const BkBadgeList = Type.Object({
  badges: Type.Array(BkBadge),
  pageData: Type.Optional(
    Type.Object({ page: Type.Integer(), count: Type.Integer(), total: Type.Integer() }),
  ),
});
