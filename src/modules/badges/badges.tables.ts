import { sql } from 'drizzle-orm';
import {
  boolean,
  customType,
  index,
  integer,
  pgTable,
  text,
  timestamp,
  unique,
  uniqueIndex,
  uuid,
  varchar,
} from 'drizzle-orm/pg-core';

/**
 * The badge issuer's data, modelled on BadgeKit's schema (integer ids, because BadgeKit clients send them back:
 * milestone support badges, criterion ids). Unlike the original, references are enforced and deletes of a
 * container cascade to what it holds, so no orphans are left behind.
 */
const bytea = customType<{ data: Buffer }>({ dataType: () => 'bytea' });
const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });
const id = () => integer('id').primaryKey().generatedAlwaysAsIdentity();

export const badgeImages = pgTable('badge_images', {
  id: id(),
  slug: varchar('slug', { length: 255 }).notNull().unique(),
  url: text('url'),
  mimetype: varchar('mimetype', { length: 255 }),
  data: bytea('data'),
});

export const badgeSystems = pgTable('badge_systems', {
  id: id(),
  slug: varchar('slug', { length: 255 }).notNull().unique(),
  name: varchar('name', { length: 255 }).notNull(),
  url: varchar('url', { length: 255 }).notNull(),
  description: text('description'),
  email: varchar('email', { length: 255 }),
  imageId: integer('image_id').references(() => badgeImages.id, { onDelete: 'set null' }),
  /** Bumped by every change that alters this system's badge lists: keys the per-process list cache. */
  listVersion: integer('list_version').notNull().default(0),
});

export const badgeIssuers = pgTable(
  'badge_issuers',
  {
    id: id(),
    slug: varchar('slug', { length: 255 }).notNull(),
    name: varchar('name', { length: 255 }).notNull(),
    url: varchar('url', { length: 255 }).notNull(),
    description: text('description'),
    email: varchar('email', { length: 255 }),
    imageId: integer('image_id').references(() => badgeImages.id, { onDelete: 'set null' }),
    systemId: integer('system_id')
      .notNull()
      .references(() => badgeSystems.id, { onDelete: 'cascade' }),
  },
  (t) => [unique('badge_issuers_slug_system').on(t.slug, t.systemId)],
);

export const badgePrograms = pgTable(
  'badge_programs',
  {
    id: id(),
    slug: varchar('slug', { length: 255 }).notNull(),
    name: varchar('name', { length: 255 }).notNull(),
    url: varchar('url', { length: 255 }).notNull(),
    description: text('description'),
    email: varchar('email', { length: 255 }),
    imageId: integer('image_id').references(() => badgeImages.id, { onDelete: 'set null' }),
    issuerId: integer('issuer_id')
      .notNull()
      .references(() => badgeIssuers.id, { onDelete: 'cascade' }),
  },
  (t) => [unique('badge_programs_slug_issuer').on(t.slug, t.issuerId)],
);

export const badges = pgTable(
  'badges',
  {
    id: id(),
    slug: varchar('slug', { length: 255 }).notNull().unique(),
    name: varchar('name', { length: 255 }).notNull(),
    strapline: varchar('strapline', { length: 140 }),
    earnerDescription: text('earner_description').notNull(),
    consumerDescription: text('consumer_description').notNull(),
    issuerUrl: varchar('issuer_url', { length: 255 }),
    rubricUrl: varchar('rubric_url', { length: 255 }),
    criteriaUrl: varchar('criteria_url', { length: 255 }).notNull(),
    timeValue: integer('time_value'),
    timeUnits: varchar('time_units', { length: 16 }),
    limit: integer('limit'),
    unique: boolean('unique').notNull().default(false),
    archived: boolean('archived').notNull().default(false),
    created: ts('created').notNull(),
    imageId: integer('image_id')
      .notNull()
      .references(() => badgeImages.id),
    systemId: integer('system_id')
      .notNull()
      .references(() => badgeSystems.id, { onDelete: 'cascade' }),
    issuerId: integer('issuer_id').references(() => badgeIssuers.id, { onDelete: 'cascade' }),
    programId: integer('program_id').references(() => badgePrograms.id, { onDelete: 'cascade' }),
    type: varchar('type', { length: 255 }).notNull(),
    evidenceType: varchar('evidence_type', { length: 16 }),
    /** The OAuth app whose participation badge this is (native API awards); null for BadgeKit-only badges. */
    ownerAppId: uuid('owner_app_id'),
  },
  (t) => [index('badges_system_idx').on(t.systemId, t.id)],
);

const badgeRef = () =>
  integer('badge_id')
    .notNull()
    .references(() => badges.id, { onDelete: 'cascade' });

export const badgeCriteria = pgTable(
  'badge_criteria',
  {
    id: id(),
    badgeId: badgeRef(),
    description: text('description').notNull(),
    note: text('note').notNull().default(''),
    required: boolean('required').notNull().default(false),
  },
  (t) => [index('badge_criteria_badge_idx').on(t.badgeId)],
);

export const badgeAlignments = pgTable(
  'badge_alignments',
  {
    id: id(),
    badgeId: badgeRef(),
    name: text('name').notNull(),
    url: text('url').notNull(),
    description: text('description'),
  },
  (t) => [index('badge_alignments_badge_idx').on(t.badgeId)],
);

export const badgeCategories = pgTable(
  'badge_categories',
  { id: id(), badgeId: badgeRef(), value: varchar('value', { length: 255 }).notNull() },
  (t) => [index('badge_categories_badge_idx').on(t.badgeId)],
);

export const badgeTags = pgTable(
  'badge_tags',
  { id: id(), badgeId: badgeRef(), value: varchar('value', { length: 255 }).notNull() },
  (t) => [index('badge_tags_badge_idx').on(t.badgeId)],
);

export const badgeClaimCodes = pgTable(
  'badge_claim_codes',
  {
    id: id(),
    code: varchar('code', { length: 255 }).notNull(),
    claimed: boolean('claimed').notNull().default(false),
    email: varchar('email', { length: 255 }),
    multiuse: boolean('multiuse').notNull().default(false),
    badgeId: badgeRef(),
  },
  (t) => [unique('badge_claim_codes_code_badge').on(t.code, t.badgeId)],
);

/**
 * Awards. A BadgeKit DELETE revokes (sets `revoked_at`) instead of deleting, so the hosted assertion can answer
 * 410 with `revoked: true`; a revoked award no longer counts for the (email, badge) uniqueness.
 */
export const badgeInstances = pgTable(
  'badge_instances',
  {
    id: id(),
    slug: varchar('slug', { length: 255 }).notNull().unique(),
    email: varchar('email', { length: 255 }).notNull(),
    issuedOn: ts('issued_on').notNull(),
    expires: ts('expires'),
    claimCode: varchar('claim_code', { length: 255 }),
    badgeId: badgeRef(),
    /** Per-award salt for the hashed OB 2.0 recipient identity. */
    salt: varchar('salt', { length: 64 }).notNull(),
    evidenceUrl: text('evidence_url'),
    narrative: text('narrative'),
    /** The hub user the award was made to, when known (native awards). */
    userId: uuid('user_id'),
    revokedAt: ts('revoked_at'),
    revocationReason: text('revocation_reason'),
  },
  (t) => [
    uniqueIndex('badge_instances_email_badge').on(t.email, t.badgeId).where(sql`${t.revokedAt} is null`),
    index('badge_instances_badge_idx').on(t.badgeId, t.id),
  ],
);

export const badgeApplications = pgTable(
  'badge_applications',
  {
    id: id(),
    slug: varchar('slug', { length: 255 }).notNull().unique(),
    badgeId: badgeRef(),
    learner: varchar('learner', { length: 255 }).notNull(),
    created: ts('created').notNull(),
    assignedTo: varchar('assigned_to', { length: 255 }),
    assignedExpiration: ts('assigned_expiration'),
    processed: ts('processed'),
    systemId: integer('system_id'),
    issuerId: integer('issuer_id'),
    programId: integer('program_id'),
  },
  (t) => [index('badge_applications_badge_idx').on(t.badgeId, t.created)],
);

export const badgeEvidence = pgTable('badge_evidence', {
  id: id(),
  applicationId: integer('application_id')
    .notNull()
    .references(() => badgeApplications.id, { onDelete: 'cascade' }),
  url: varchar('url', { length: 255 }),
  mediaType: varchar('media_type', { length: 8 }),
  reflection: text('reflection'),
});

export const badgeReviews = pgTable('badge_reviews', {
  id: id(),
  slug: varchar('slug', { length: 255 }).notNull().unique(),
  applicationId: integer('application_id')
    .notNull()
    .references(() => badgeApplications.id, { onDelete: 'cascade' }),
  author: varchar('author', { length: 255 }).notNull(),
  comment: text('comment'),
});

export const badgeReviewItems = pgTable('badge_review_items', {
  id: id(),
  reviewId: integer('review_id')
    .notNull()
    .references(() => badgeReviews.id, { onDelete: 'cascade' }),
  criterionId: integer('criterion_id').notNull(),
  satisfied: boolean('satisfied').notNull().default(false),
  comment: text('comment'),
});

export const badgeMilestones = pgTable('badge_milestones', {
  id: id(),
  systemId: integer('system_id')
    .notNull()
    .references(() => badgeSystems.id, { onDelete: 'cascade' }),
  primaryBadgeId: integer('primary_badge_id')
    .notNull()
    .references(() => badges.id, { onDelete: 'cascade' }),
  numberRequired: integer('number_required').notNull(),
  action: varchar('action', { length: 32 }).notNull().default('issue'),
});

export const badgeMilestoneBadges = pgTable(
  'badge_milestone_badges',
  {
    id: id(),
    milestoneId: integer('milestone_id')
      .notNull()
      .references(() => badgeMilestones.id, { onDelete: 'cascade' }),
    badgeId: badgeRef(),
  },
  (t) => [unique('badge_milestone_badges_pair').on(t.milestoneId, t.badgeId)],
);

/** BadgeKit webhook per system; the secret is sealed (encryptSecret 'badgekit-webhook') to sign deliveries. */
export const badgeWebhooks = pgTable(
  'badge_webhooks',
  {
    id: id(),
    url: varchar('url', { length: 255 }).notNull(),
    secretSealed: text('secret_sealed').notNull(),
    systemId: integer('system_id')
      .notNull()
      .references(() => badgeSystems.id, { onDelete: 'cascade' }),
  },
  (t) => [unique('badge_webhooks_url_system').on(t.url, t.systemId)],
);

/** BadgeKit API consumers: `key` claim → sealed HS256 secret, bound to one system. */
export const badgeConsumers = pgTable('badge_consumers', {
  id: id(),
  apiKey: varchar('api_key', { length: 255 }).notNull().unique(),
  apiSecretSealed: text('api_secret_sealed').notNull(),
  description: varchar('description', { length: 255 }),
  systemId: integer('system_id')
    .notNull()
    .references(() => badgeSystems.id, { onDelete: 'cascade' }),
  createdAt: ts('created_at').notNull(),
});

/** One webhook delivery (BadgeKit format), retried by the job until a 2xx or the attempts run out. */
export const badgeWebhookDeliveries = pgTable('badge_webhook_deliveries', {
  id: uuid('id').primaryKey(),
  webhookId: integer('webhook_id')
    .notNull()
    .references(() => badgeWebhooks.id, { onDelete: 'cascade' }),
  body: text('body').notNull(),
  attempts: integer('attempts').notNull().default(0),
  lastStatus: integer('last_status'),
  lastError: text('last_error'),
  deliveredAt: ts('delivered_at'),
  createdAt: ts('created_at').notNull(),
});

export * from './badges.wallet.tables.ts';
