import { sql } from 'drizzle-orm';
import {
  boolean,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';

const at = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/**
 * An LMS registered as an LTI 1.3 platform: one (issuer, client id) pair, the deployments it may launch
 * from, and its OIDC endpoints. The switches say what a launch may create.
 */
export const ltiPlatforms = pgTable(
  'lti_platforms',
  {
    id: uuid('id').primaryKey(),
    name: text('name').notNull(),
    issuer: text('issuer').notNull(),
    clientId: text('client_id').notNull(),
    deploymentIds: text('deployment_ids').array().notNull().default(sql`'{}'::text[]`),
    authEndpoint: text('auth_endpoint').notNull(),
    tokenEndpoint: text('token_endpoint').notNull(),
    /** The `aud` of the client assertion when the platform names one other than its token endpoint. */
    tokenAudience: text('token_audience'),
    jwksUrl: text('jwks_url').notNull(),
    /** An unlinked LMS context creates a hub course (on an instructor's launch) when true. */
    autoCreateCourses: boolean('auto_create_courses').notNull().default(false),
    /** A new LTI user is linked to the hub account with the same verified email when true. */
    linkByEmail: boolean('link_by_email').notNull().default(false),
    /** Courses created by launches belong to this institution when set (else to the instructor). */
    institutionId: uuid('institution_id'),
    createdAt: at('created_at').notNull(),
    updatedAt: at('updated_at').notNull(),
  },
  (t) => [uniqueIndex('lti_platforms_issuer_client_idx').on(t.issuer, t.clientId)],
);

/**
 * The tool's own RS256 keys. The newest active key signs; a retired key stays published at /lti/jwks until
 * nothing it signed can still be verified (see lti.keys.ts), then it is deleted.
 */
export const ltiToolKeys = pgTable('lti_tool_keys', {
  kid: text('kid').primaryKey(),
  sealedJwk: text('sealed_jwk').notNull(),
  publicJwk: jsonb('public_jwk').$type<Record<string, unknown>>().notNull(),
  createdAt: at('created_at').notNull(),
  retiredAt: at('retired_at'),
  lastSignedAt: at('last_signed_at'),
});

/** OIDC login in flight: the state (hashed) and its nonce, bound to the browser that started it. */
export const ltiLoginStates = pgTable(
  'lti_login_states',
  {
    stateHash: text('state_hash').primaryKey(),
    platformId: uuid('platform_id')
      .notNull()
      .references(() => ltiPlatforms.id, { onDelete: 'cascade' }),
    nonce: text('nonce').notNull(),
    targetLinkUri: text('target_link_uri').notNull(),
    /** Set when the platform offered client-side storage (lti_storage_target). */
    storageTarget: text('storage_target'),
    createdAt: at('created_at').notNull(),
    expiresAt: at('expires_at').notNull(),
  },
  (t) => [index('lti_login_states_expires_idx').on(t.expiresAt)],
);

/** Nonces of accepted id_tokens, kept until the token would have expired anyway: each is used once. */
export const ltiUsedNonces = pgTable(
  'lti_used_nonces',
  {
    platformId: uuid('platform_id')
      .notNull()
      .references(() => ltiPlatforms.id, { onDelete: 'cascade' }),
    nonce: text('nonce').notNull(),
    expiresAt: at('expires_at').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.platformId, t.nonce] }),
    index('lti_used_nonces_expires_idx').on(t.expiresAt),
  ],
);

/** One LMS person (issuer + sub) is one hub account, for good. */
export const ltiAccounts = pgTable(
  'lti_accounts',
  {
    issuer: text('issuer').notNull(),
    sub: text('sub').notNull(),
    userId: uuid('user_id').notNull(),
    platformId: uuid('platform_id')
      .notNull()
      .references(() => ltiPlatforms.id, { onDelete: 'cascade' }),
    linkedBy: text('linked_by').$type<'created' | 'email'>().notNull(),
    createdAt: at('created_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.issuer, t.sub] }), index('lti_accounts_user_idx').on(t.userId)],
);

/** An LMS context (course) linked once to a hub course, with the service endpoints its launches announced. */
export const ltiContexts = pgTable(
  'lti_contexts',
  {
    id: uuid('id').primaryKey(),
    platformId: uuid('platform_id')
      .notNull()
      .references(() => ltiPlatforms.id, { onDelete: 'cascade' }),
    contextId: text('context_id').notNull(),
    courseId: uuid('course_id').notNull(),
    title: text('title'),
    lineItemsUrl: text('line_items_url'),
    agsScopes: text('ags_scopes').array().notNull().default(sql`'{}'::text[]`),
    membershipsUrl: text('memberships_url'),
    lastRosterSyncAt: at('last_roster_sync_at'),
    createdAt: at('created_at').notNull(),
    updatedAt: at('updated_at').notNull(),
  },
  (t) => [
    uniqueIndex('lti_contexts_platform_context_idx').on(t.platformId, t.contextId),
    index('lti_contexts_course_idx').on(t.courseId),
  ],
);

/**
 * A resource link placed in the LMS: where it leads in the hub (`course` page, or an `activity` of another
 * module, named by `targetRef`) and the AGS line item its grades go to.
 */
export const ltiResourceLinks = pgTable(
  'lti_resource_links',
  {
    id: uuid('id').primaryKey(),
    platformId: uuid('platform_id')
      .notNull()
      .references(() => ltiPlatforms.id, { onDelete: 'cascade' }),
    resourceLinkId: text('resource_link_id').notNull(),
    contextRowId: uuid('context_row_id')
      .notNull()
      .references(() => ltiContexts.id, { onDelete: 'cascade' }),
    targetKind: text('target_kind').$type<'course' | 'activity'>().notNull(),
    targetRef: text('target_ref').notNull(),
    title: text('title'),
    lineItemUrl: text('line_item_url'),
    createdAt: at('created_at').notNull(),
    updatedAt: at('updated_at').notNull(),
  },
  (t) => [uniqueIndex('lti_resource_links_platform_link_idx').on(t.platformId, t.resourceLinkId)],
);

/** Scores sent (or to send) to a platform's AGS line item: the operator's delivery log. */
export const ltiScoreDeliveries = pgTable(
  'lti_score_deliveries',
  {
    id: uuid('id').primaryKey(),
    platformId: uuid('platform_id')
      .notNull()
      .references(() => ltiPlatforms.id, { onDelete: 'cascade' }),
    resourceLinkRowId: uuid('resource_link_row_id')
      .notNull()
      .references(() => ltiResourceLinks.id, { onDelete: 'cascade' }),
    /** Null until the job has found or created the line item (a link placed without one). */
    lineItemUrl: text('line_item_url'),
    userId: uuid('user_id').notNull(),
    sub: text('sub').notNull(),
    score: jsonb('score').$type<Record<string, unknown>>().notNull(),
    scoreTimestamp: at('score_timestamp').notNull(),
    status: text('status').$type<'pending' | 'delivered' | 'failed'>().notNull(),
    attempts: integer('attempts').notNull().default(0),
    lastStatus: integer('last_status'),
    lastError: text('last_error'),
    createdAt: at('created_at').notNull(),
    deliveredAt: at('delivered_at'),
  },
  (t) => [
    // One delivery per score timestamp and person on a resource link: a second request is the same delivery.
    uniqueIndex('lti_score_deliveries_once_idx').on(t.resourceLinkRowId, t.sub, t.scoreTimestamp),
    index('lti_score_deliveries_platform_idx').on(t.platformId, t.createdAt),
  ],
);
