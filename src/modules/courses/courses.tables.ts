import { sql } from 'drizzle-orm';
import {
  boolean,
  customType,
  index,
  integer,
  jsonb,
  numeric,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';

const at = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });
const tsvector = customType<{ data: string }>({ dataType: () => 'tsvector' });

/** Institutions (OpenLearning portals): a path, a name, groups and a shared secret (sealed) for SSO. */
export const institutions = pgTable('institutions', {
  id: uuid('id').primaryKey(),
  path: text('path').notNull().unique(),
  name: text('name').notNull(),
  /** The SSO shared secret, sealed with encryptSecret: it must be recoverable to verify HMACs. */
  sharedSecretSealed: text('shared_secret_sealed').notNull(),
  generateAccounts: boolean('generate_accounts').notNull().default(false),
  createdAt: at('created_at').notNull(),
});

/** API credentials of an institution (the seed's USERNAME:PASSWORD): `id` is the username, secret hashed. */
export const institutionKeys = pgTable('institution_keys', {
  id: text('id').primaryKey(),
  institutionId: uuid('institution_id')
    .notNull()
    .references(() => institutions.id, { onDelete: 'cascade' }),
  secretHash: text('secret_hash').notNull(),
  createdAt: at('created_at').notNull(),
  expiresAt: at('expires_at').notNull(),
});

export const institutionAdmins = pgTable(
  'institution_admins',
  {
    institutionId: uuid('institution_id')
      .notNull()
      .references(() => institutions.id, { onDelete: 'cascade' }),
    userId: uuid('user_id').notNull(),
    createdAt: at('created_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.institutionId, t.userId] })],
);

/** People in an institution portal: joined (user_id set) or invited (pending until they sign up). */
export const institutionMembers = pgTable(
  'institution_members',
  {
    id: uuid('id').primaryKey(),
    institutionId: uuid('institution_id')
      .notNull()
      .references(() => institutions.id, { onDelete: 'cascade' }),
    email: text('email').notNull(),
    userId: uuid('user_id'),
    fullName: text('full_name'),
    groups: text('groups').array().notNull().default(sql`'{}'::text[]`),
    identifier: text('identifier'),
    username: text('username'),
    /** Classes to enrol the person in once they have an account. */
    enrolCohorts: text('enrol_cohorts').array().notNull().default(sql`'{}'::text[]`),
    invitedAt: at('invited_at'),
    createdAt: at('created_at').notNull(),
  },
  (t) => [
    uniqueIndex('institution_members_email_idx').on(t.institutionId, t.email),
    index('institution_members_user_idx').on(t.userId),
    // Sign-up and email verification look pending invitations up by address alone.
    index('institution_members_pending_email_idx').on(t.email).where(sql`${t.userId} is null`),
  ],
);

export const courses = pgTable(
  'courses',
  {
    id: uuid('id').primaryKey(),
    path: text('path').notNull().unique(),
    shortcode: text('shortcode'),
    title: text('title').notNull(),
    description: text('description').notNull().default(''),
    category: text('category'),
    tags: text('tags').array().notNull().default(sql`'{}'::text[]`),
    courseStyle: text('course_style'),
    signupUrl: text('signup_url'),
    language: text('language'),
    startsAt: at('starts_at'),
    endsAt: at('ends_at'),
    status: text('status').notNull().default('online'),
    published: boolean('published').notNull().default(true),
    ownerAppId: uuid('owner_app_id'),
    ownerInstitutionId: uuid('owner_institution_id'),
    ownerUserId: uuid('owner_user_id'),
    /** Weighted document: title A, tags B, description C (ranking title > tags > description). */
    /** Weighted document set by the repository: title A, tags B, description C (title > tags > description). */
    search: tsvector('search').notNull(),
    createdAt: at('created_at').notNull(),
    updatedAt: at('updated_at').notNull(),
  },
  (t) => [
    uniqueIndex('courses_app_shortcode_idx').on(t.ownerAppId, t.shortcode),
    uniqueIndex('courses_institution_shortcode_idx').on(t.ownerInstitutionId, t.shortcode),
    uniqueIndex('courses_user_shortcode_idx').on(t.ownerUserId, t.shortcode),
    index('courses_search_idx').using('gin', t.search),
    index('courses_title_trgm_idx').using('gin', t.title.op('gin_trgm_ops')),
    index('courses_created_idx').on(t.createdAt, t.id),
    // The course pages: `/courses/<shortcode>` looks shortcodes up case-insensitively, and "related
    // courses" finds courses sharing a tag (`tags && $1`).
    index('courses_shortcode_lower_idx').on(sql`lower(${t.shortcode})`),
    index('courses_tags_idx').using('gin', t.tags),
  ],
);

export const courseClasses = pgTable(
  'course_classes',
  {
    id: uuid('id').primaryKey(),
    courseId: uuid('course_id')
      .notNull()
      .references(() => courses.id, { onDelete: 'cascade' }),
    /** The full path, e.g. `courses/myCourse/Cohorts/FirstClass`. */
    path: text('path').notNull().unique(),
    title: text('title').notNull(),
    type: text('type').notNull(),
    isBilled: boolean('is_billed').notNull().default(false),
    price: numeric('price', { precision: 12, scale: 2 }),
    currency: text('currency'),
    activationCodeHash: text('activation_code_hash'),
    startsAt: at('starts_at'),
    createdAt: at('created_at').notNull(),
  },
  (t) => [index('course_classes_course_idx').on(t.courseId, t.createdAt)],
);

export const courseAdmins = pgTable(
  'course_admins',
  {
    courseId: uuid('course_id')
      .notNull()
      .references(() => courses.id, { onDelete: 'cascade' }),
    userId: uuid('user_id').notNull(),
    createdAt: at('created_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.courseId, t.userId] })],
);

export const memberships = pgTable(
  'course_memberships',
  {
    courseId: uuid('course_id')
      .notNull()
      .references(() => courses.id, { onDelete: 'cascade' }),
    userId: uuid('user_id').notNull(),
    classId: uuid('class_id').references(() => courseClasses.id, { onDelete: 'set null' }),
    role: text('role').notNull().default('Student'),
    status: text('status').notNull().default('active'),
    enabled: boolean('enabled').notNull().default(true),
    progress: integer('progress').notNull().default(0),
    completedAt: at('completed_at'),
    lastAccessAt: at('last_access_at'),
    createdAt: at('created_at').notNull(),
    updatedAt: at('updated_at').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.courseId, t.userId] }),
    index('course_memberships_user_idx').on(t.userId),
    index('course_memberships_active_idx').on(t.courseId, t.status, t.userId),
  ],
);

/** Invitations to a class by email, pending until the person has an account. */
export const courseInvitations = pgTable(
  'course_invitations',
  {
    id: uuid('id').primaryKey(),
    classId: uuid('class_id')
      .notNull()
      .references(() => courseClasses.id, { onDelete: 'cascade' }),
    email: text('email').notNull(),
    acceptedAt: at('accepted_at'),
    createdAt: at('created_at').notNull(),
  },
  (t) => [
    uniqueIndex('course_invitations_class_email_idx').on(t.classId, t.email),
    index('course_invitations_pending_email_idx').on(t.email).where(sql`${t.acceptedAt} is null`),
  ],
);

/** Bulk invites and imports: the input, a progress counter and the result lists. Resumable by `position`. */
export const courseJobs = pgTable('course_jobs', {
  id: uuid('id').primaryKey(),
  institutionId: uuid('institution_id')
    .notNull()
    .references(() => institutions.id, { onDelete: 'cascade' }),
  kind: text('kind').notNull(),
  status: text('status').notNull(),
  input: jsonb('input').$type<Record<string, unknown>>().notNull(),
  total: integer('total').notNull(),
  position: integer('position').notNull().default(0),
  result: jsonb('result').$type<Record<string, unknown>>().notNull(),
  createdAt: at('created_at').notNull(),
  finishedAt: at('finished_at'),
});
