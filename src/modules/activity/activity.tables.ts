import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';

const at = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/**
 * One activity: `{actor, verb, object, target, course, verb_url, message}` as an app (or the hub itself, from
 * its domain events) published it. `app_id` and `actor_user_id` name rows of other modules without foreign
 * keys: modules do not reach into each other's tables. Deleted activities stay as tombstones (content
 * cleared, `deleted_at` set) so a repeated PUT or a replayed domain event cannot bring them back.
 */
export const activities = pgTable(
  'activities',
  {
    id: uuid('id').primaryKey(),
    /** The publishing app; null when the hub published it from a domain event. */
    appId: uuid('app_id'),
    /** The app's own id for the activity (PUT /api/v1/activities/{id}); unique per app. */
    appActivityId: text('app_activity_id'),
    /** The domain event this activity came from; makes the consumer idempotent. */
    sourceEventId: uuid('source_event_id'),
    /** Null for an anonymous activity (attributed to the app). */
    actorUserId: uuid('actor_user_id'),
    /** The actor's profile URL when published. */
    actorUrl: text('actor_url'),
    verb: text('verb').notNull(),
    verbUrl: text('verb_url'),
    object: text('object').notNull(),
    /** The object's title as the app gave it (AS2 `name`), plain text; null when it gave none. */
    objectName: text('object_name'),
    target: text('target'),
    course: text('course'),
    message: text('message'),
    /** SHA-256 of the content (title included) except the publish time: an unchanged PUT is a no-op. */
    contentHash: text('content_hash').notNull(),
    publishedAt: at('published_at').notNull(),
    createdAt: at('created_at').notNull(),
    updatedAt: at('updated_at').notNull(),
    deletedAt: at('deleted_at'),
  },
  (t) => [
    uniqueIndex('activities_app_activity_idx')
      .on(t.appId, t.appActivityId)
      .where(sql`${t.appActivityId} is not null`),
    uniqueIndex('activities_source_event_idx').on(t.sourceEventId).where(sql`${t.sourceEventId} is not null`),
  ],
);

/**
 * The feed index: one row per (noun, activity) for each noun an activity involves (actor, object, target,
 * course), keyed by a 64-bit hash of the normalised noun. A feed read is one backward range scan of this
 * primary key, newest first, whatever the table size. Rows are written in the same statement as their
 * activity and removed when it is deleted or changed. No foreign key: it would cost a lookup per row on
 * every publish, and rows are only ever removed by their full key.
 */
export const activityNouns = pgTable(
  'activity_nouns',
  {
    nounHash: bigint('noun_hash', { mode: 'bigint' }).notNull(),
    publishedAt: at('published_at').notNull(),
    activityId: uuid('activity_id').notNull(),
  },
  (t) => [primaryKey({ columns: [t.nounHash, t.publishedAt, t.activityId] })],
);

/** A person's feed settings; no row means the defaults (a public feed). */
export const activitySettings = pgTable('activity_settings', {
  userId: uuid('user_id').primaryKey(),
  /** When true, activities by this person are shown to nobody but them. */
  private: boolean('private').notNull().default(false),
  updatedAt: at('updated_at').notNull(),
});
