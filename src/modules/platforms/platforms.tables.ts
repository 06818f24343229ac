import { sql } from 'drizzle-orm';
import { boolean, index, integer, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';

const at = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/**
 * LMS platforms registered to read the hub through the peerScholar dialect. A platform sees only the courses
 * in its scope: listed courses, the courses of listed institutions, or every course (`all`).
 */
export const platforms = pgTable('platforms', {
  id: uuid('id').primaryKey(),
  name: text('name').notNull(),
  /** courses | institutions | all */
  scope: text('scope').notNull(),
  courseIds: uuid('course_ids').array().notNull().default(sql`'{}'::uuid[]`),
  institutionIds: uuid('institution_ids').array().notNull().default(sql`'{}'::uuid[]`),
  /** Where its RS256 public keys are published (fetched through the outbound guard), or null for PEM keys. */
  jwksUrl: text('jwks_url'),
  /** The `iss` and `aud` its tokens must carry. */
  issuer: text('issuer').notNull(),
  audience: text('audience').notNull(),
  enabled: boolean('enabled').notNull().default(true),
  createdAt: at('created_at').notNull(),
  updatedAt: at('updated_at').notNull(),
});

/** PEM public keys given at registration, by `kid` (unique across platforms: the kid finds the platform). */
export const platformKeys = pgTable(
  'platform_keys',
  {
    kid: text('kid').primaryKey(),
    platformId: uuid('platform_id')
      .notNull()
      .references(() => platforms.id, { onDelete: 'cascade' }),
    pem: text('pem').notNull(),
    createdAt: at('created_at').notNull(),
  },
  (t) => [index('platform_keys_platform_idx').on(t.platformId)],
);

/**
 * Integer ids for hub records that have uuids (courses, memberships, accounts), as the peerScholar wire format
 * wants integers. An identity column: stable, never reused, assigned on first sight.
 */
export const integerIds = pgTable(
  'integer_ids',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    kind: text('kind').notNull(),
    ref: text('ref').notNull(),
  },
  (t) => [uniqueIndex('integer_ids_ref_idx').on(t.kind, t.ref)],
);

/** Course notifications posted by platforms (or the hub): shown on the course and sent to its members. */
export const courseNotifications = pgTable(
  'course_notifications',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    courseId: uuid('course_id').notNull(),
    activityId: integer('activity_id'),
    senderUserId: uuid('sender_user_id'),
    platformId: uuid('platform_id'),
    content: text('content').notNull(),
    startsAt: at('starts_at').notNull(),
    endsAt: at('ends_at').notNull(),
    createdAt: at('created_at').notNull(),
  },
  (t) => [index('course_notifications_course_idx').on(t.courseId, t.id)],
);
