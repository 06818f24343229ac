import { sql } from 'drizzle-orm';
import {
  bigserial,
  customType,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
} from 'drizzle-orm/pg-core';

/** PostgreSQL's 64-bit, never-wrapping transaction id; carried as a decimal string. */
const xid8 = customType<{ data: string; driverData: string }>({ dataType: () => 'xid8' });

const at = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/** A program publishes events under its ProgramId (the prefix of its event ids). */
export const eventPrograms = pgTable('event_programs', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  /** Who runs the program (free text or a user id); informational. */
  owner: text('owner'),
  createdAt: at('created_at').notNull(),
});

/** A program's API keys: `id` is the seed's `userId`, only a SHA-256 of the secret is stored. */
export const eventProgramKeys = pgTable(
  'event_program_keys',
  {
    id: text('id').primaryKey(),
    programId: text('program_id')
      .notNull()
      .references(() => eventPrograms.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    secretHash: text('secret_hash').notNull(),
    createdAt: at('created_at').notNull(),
    expiresAt: at('expires_at'),
    revokedAt: at('revoked_at'),
    lastUsedAt: at('last_used_at'),
  },
  (t) => [index('event_program_keys_program_idx').on(t.programId)],
);

/** `consumer` may read `producer`'s events; `types` null means every type. */
export const eventGrants = pgTable(
  'event_grants',
  {
    consumerId: text('consumer_id')
      .notNull()
      .references(() => eventPrograms.id, { onDelete: 'cascade' }),
    producerId: text('producer_id')
      .notNull()
      .references(() => eventPrograms.id, { onDelete: 'cascade' }),
    types: text('types').array(),
    createdAt: at('created_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.consumerId, t.producerId] })],
);

/** Registered event types beyond the built-in ones (which live in code). */
export const eventTypes = pgTable('event_types', {
  name: text('name').primaryKey(),
  description: text('description').notNull(),
  schema: jsonb('schema').$type<Record<string, unknown>>(),
  /** The program that registered it; null when an operator did. */
  ownerProgramId: text('owner_program_id'),
  createdAt: at('created_at').notNull(),
  updatedAt: at('updated_at').notNull(),
});

/** The current state of every event. */
export const storedEvents = pgTable(
  'stored_events',
  {
    eventId: text('event_id').primaryKey(),
    programId: text('program_id').notNull(),
    memberId: text('member_id').notNull(),
    eventType: text('event_type').notNull(),
    startAt: at('start_at').notNull(),
    endAt: at('end_at').notNull(),
    data: jsonb('data').$type<Record<string, unknown>>().notNull(),
    referenceEventId: text('reference_event_id'),
    revision: integer('revision').notNull(),
    /** Feed position of the latest change: its `tx` (see eventChanges), never below an earlier one's. */
    feedTx: xid8('feed_tx').notNull().default(sql`pg_current_xact_id()`),
    createdAt: at('created_at').notNull(),
    updatedAt: at('updated_at').notNull(),
  },
  (t) => [
    index('stored_events_member_idx').on(t.memberId, t.programId),
    index('stored_events_updated_idx').on(t.updatedAt),
  ],
);

/**
 * Every change (each revision, and a tombstone per erased event) in feed order. The feed is ordered by
 * (tx, seq). `tx` is the writing transaction's id, raised to the previous change of the same event when that
 * one is higher, so an event's revisions are always in order. Readers only serve rows whose `tx` is below
 * every transaction still in flight, so no later commit can land before a served row (see
 * events.feed.repository.ts).
 */
export const eventChanges = pgTable(
  'event_changes',
  {
    seq: bigserial('seq', { mode: 'number' }).primaryKey(),
    tx: xid8('tx').notNull().default(sql`pg_current_xact_id()`),
    eventId: text('event_id').notNull(),
    revision: integer('revision').notNull(),
    /** 'put' for a revision, 'erased' for a tombstone (no member or data). */
    kind: text('kind').notNull(),
    programId: text('program_id').notNull(),
    memberId: text('member_id'),
    eventType: text('event_type').notNull(),
    startAt: at('start_at'),
    endAt: at('end_at'),
    data: jsonb('data').$type<Record<string, unknown>>(),
    referenceEventId: text('reference_event_id'),
    recordedAt: at('recorded_at').notNull(),
  },
  (t) => [
    index('event_changes_feed_idx').on(t.tx, t.seq),
    index('event_changes_program_feed_idx').on(t.programId, t.tx, t.seq),
    index('event_changes_event_idx').on(t.eventId, t.revision),
    index('event_changes_recorded_idx').on(t.recordedAt),
  ],
);
