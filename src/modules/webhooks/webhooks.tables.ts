import { boolean, index, integer, jsonb, pgTable, text, timestamp, unique, uuid } from 'drizzle-orm/pg-core';

/**
 * Webhooks are keyed by `app_id` (an OAuth client of the oauth module) without a foreign key: modules do not
 * reach into each other's tables, and an app's deletion is that module's business.
 */
export const webhookEndpoints = pgTable(
  'webhook_endpoints',
  {
    id: uuid('id').primaryKey(),
    appId: uuid('app_id').notNull(),
    url: text('url').notNull(),
    description: text('description').notNull().default(''),
    /** Event types this endpoint receives; `*` means every type. */
    eventTypes: text('event_types').array().notNull(),
    enabled: boolean('enabled').notNull().default(true),
    disabledReason: text('disabled_reason'),
    disabledAt: timestamp('disabled_at', { withTimezone: true, mode: 'date' }),
    /** `whsec_...` sealed with encryptSecret(secretKey, 'webhooks', ...): it must be read back to sign. */
    secretSealed: text('secret_sealed').notNull(),
    /** Time of the first failed attempt since the last successful one; null while healthy. */
    failingSince: timestamp('failing_since', { withTimezone: true, mode: 'date' }),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull(),
  },
  (t) => [index('webhook_endpoints_app_idx').on(t.appId, t.createdAt, t.id)],
);

/**
 * One message to one endpoint. Its id is the `webhook-id` header, the same on every attempt and every
 * redelivery so receivers can de-duplicate. `chain` counts redeliveries: each starts a new attempt chain.
 */
export const webhookDeliveries = pgTable(
  'webhook_deliveries',
  {
    id: uuid('id').primaryKey(),
    endpointId: uuid('endpoint_id')
      .notNull()
      .references(() => webhookEndpoints.id, { onDelete: 'cascade' }),
    appId: uuid('app_id').notNull(),
    eventId: uuid('event_id').notNull(),
    eventType: text('event_type').notNull(),
    /** The exact body sent, so every attempt signs and sends identical bytes. */
    body: text('body').notNull(),
    status: text('status', { enum: ['pending', 'succeeded', 'failed'] }).notNull(),
    chain: integer('chain').notNull().default(1),
    /** Attempts made in the current chain. */
    attemptsInChain: integer('attempts_in_chain').notNull().default(0),
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true, mode: 'date' }),
    lastStatusCode: integer('last_status_code'),
    lastError: text('last_error'),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull(),
  },
  (t) => [
    unique('webhook_deliveries_endpoint_event_uq').on(t.endpointId, t.eventId),
    index('webhook_deliveries_endpoint_created_idx').on(t.endpointId, t.createdAt, t.id),
  ],
);

/** The delivery log: one row per HTTP attempt. */
export const webhookAttempts = pgTable(
  'webhook_attempts',
  {
    id: uuid('id').primaryKey(),
    deliveryId: uuid('delivery_id')
      .notNull()
      .references(() => webhookDeliveries.id, { onDelete: 'cascade' }),
    chain: integer('chain').notNull(),
    attempt: integer('attempt').notNull(),
    attemptedAt: timestamp('attempted_at', { withTimezone: true, mode: 'date' }).notNull(),
    succeeded: boolean('succeeded').notNull(),
    statusCode: integer('status_code'),
    /** Network error or timeout description when there was no HTTP response. */
    error: text('error'),
    durationMs: integer('duration_ms').notNull(),
    /** The first bytes of the receiver's answer, for debugging. */
    responseExcerpt: text('response_excerpt'),
  },
  // A job that runs twice (crash before acknowledgement) cannot record the same attempt twice.
  (t) => [unique('webhook_attempts_delivery_chain_attempt_uq').on(t.deliveryId, t.chain, t.attempt)],
);

/** Notices to an app's owner (e.g. an endpoint was disabled), with where the mail went if it was sent. */
export const webhookNotices = pgTable(
  'webhook_notices',
  {
    id: uuid('id').primaryKey(),
    appId: uuid('app_id').notNull(),
    endpointId: uuid('endpoint_id').notNull(),
    kind: text('kind').notNull(),
    message: text('message').notNull(),
    details: jsonb('details').$type<Record<string, unknown>>().notNull(),
    mailedTo: text('mailed_to'),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull(),
  },
  (t) => [index('webhook_notices_app_idx').on(t.appId, t.createdAt)],
);
