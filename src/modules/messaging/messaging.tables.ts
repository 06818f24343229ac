import {
  boolean,
  index,
  integer,
  pgTable,
  primaryKey,
  text,
  timestamp,
  unique,
  uuid,
} from 'drizzle-orm/pg-core';

const at = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/**
 * One message to one person. `app_id` is the sending app (null: the hub itself); users and apps are keyed
 * by id without foreign keys, as modules do not reach into each other's tables.
 */
export const messages = pgTable(
  'messages',
  {
    id: uuid('id').primaryKey(),
    userId: uuid('user_id').notNull(),
    appId: uuid('app_id'),
    courseId: uuid('course_id'),
    announcementId: uuid('announcement_id'),
    category: text('category'),
    /** As shown and mailed: already prefixed with `[App name]`. */
    subject: text('subject').notNull(),
    contentText: text('content_text').notNull(),
    contentHtml: text('content_html').notNull(),
    replyEnabled: boolean('reply_enabled').notNull(),
    readAt: at('read_at'),
    /**
     * pending | sent | digest_daily | digest_weekly | muted | suppressed | no_address | cancelled |
     * failed (the mail server refused the address for good)
     */
    emailStatus: text('email_status').notNull(),
    emailedAt: at('emailed_at'),
    createdAt: at('created_at').notNull(),
  },
  (t) => [
    index('messages_user_idx').on(t.userId, t.createdAt, t.id),
    index('messages_digest_idx').on(t.emailStatus, t.userId),
    unique('messages_announcement_user_uq').on(t.announcementId, t.userId),
  ],
);

/** Reply-by-email tokens, stored as SHA-256 of the lower-cased token. */
export const messageReplyTokens = pgTable('message_reply_tokens', {
  tokenHash: text('token_hash').primaryKey(),
  messageId: uuid('message_id').notNull(),
  userId: uuid('user_id').notNull(),
  appId: uuid('app_id'),
  expiresAt: at('expires_at').notNull(),
  createdAt: at('created_at').notNull(),
});

/** A reply that came in by email, kept in the thread, and its delivery to the app's reply URL. */
export const messageReplies = pgTable(
  'message_replies',
  {
    id: uuid('id').primaryKey(),
    messageId: uuid('message_id').notNull(),
    userId: uuid('user_id').notNull(),
    appId: uuid('app_id'),
    /** The incoming Message-ID (or a hash of the raw message when it has none): replays are ignored. */
    inboundMessageId: text('inbound_message_id').notNull(),
    replyToken: text('reply_token').notNull(),
    body: text('body').notNull(),
    /** What trimming removed (quoted text, signature), kept for support. */
    elided: text('elided').notNull(),
    source: text('source').notNull(),
    /** pending | delivered | failed | no_reply_url */
    deliveryStatus: text('delivery_status').notNull(),
    attempts: integer('attempts').notNull().default(0),
    lastError: text('last_error'),
    deliveredAt: at('delivered_at'),
    receivedAt: at('received_at').notNull(),
  },
  (t) => [
    unique('message_replies_inbound_uq').on(t.inboundMessageId),
    index('message_replies_message_idx').on(t.messageId, t.receivedAt),
  ],
);

/**
 * Email preferences. `scope` is `default`, `app:<uuid>` or `course:<uuid>`; a course preference beats an
 * app preference, which beats the default; without any, mail goes out immediately.
 */
export const notificationPreferences = pgTable(
  'notification_preferences',
  {
    userId: uuid('user_id').notNull(),
    scope: text('scope').notNull(),
    /** immediately | daily | weekly | never */
    delivery: text('delivery').notNull(),
    updatedAt: at('updated_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.scope] })],
);

/** Addresses the hub must not mail (hard bounces, complaints, operator entries). Lower-cased. */
export const mailSuppressions = pgTable('mail_suppressions', {
  email: text('email').primaryKey(),
  reason: text('reason').notNull(),
  source: text('source').notNull(),
  createdAt: at('created_at').notNull(),
});

/** The per-app secret that signs reply PUTs (Standard Webhooks), sealed with SECRET_KEY. */
export const messagingAppSecrets = pgTable('messaging_app_secrets', {
  appId: uuid('app_id').primaryKey(),
  secretSealed: text('secret_sealed').notNull(),
  createdAt: at('created_at').notNull(),
});

/**
 * A course announcement. One job expands the members page by page; `cursor_user_id` is the last member
 * expanded, so a crashed expansion resumes where it stopped, and the (announcement, user) unique key on
 * messages means nobody is messaged twice.
 */
export const announcements = pgTable(
  'announcements',
  {
    id: uuid('id').primaryKey(),
    courseId: uuid('course_id').notNull(),
    appId: uuid('app_id'),
    senderUserId: uuid('sender_user_id'),
    /** `app:<id>` or `user:<id>`: the idempotency key is unique per sender. */
    senderKey: text('sender_key').notNull(),
    idempotencyKey: text('idempotency_key').notNull(),
    subject: text('subject').notNull(),
    contentText: text('content_text').notNull(),
    contentHtml: text('content_html').notNull(),
    /** pending | expanding | done | cancelled */
    status: text('status').notNull(),
    recipients: integer('recipients').notNull().default(0),
    cursorUserId: text('cursor_user_id'),
    /** null, or a cron schedule for a recurring announcement (`0 8 * * 1`). */
    recurrence: text('recurrence'),
    parentId: uuid('parent_id'),
    /** When the expansion is to start (a scheduled announcement); null: at once. */
    scheduledFor: at('scheduled_for'),
    createdAt: at('created_at').notNull(),
    updatedAt: at('updated_at').notNull(),
    completedAt: at('completed_at'),
  },
  (t) => [
    unique('announcements_idempotency_uq').on(t.senderKey, t.idempotencyKey),
    // The organiser's page lists a course's announcements, newest first.
    index('announcements_course_idx').on(t.courseId, t.createdAt),
  ],
);
