import { integer, jsonb, pgTable, text, timestamp, unique, uuid, varchar } from 'drizzle-orm/pg-core';
import { badgeSystems } from './badges.tables.ts';

/** Open Badges 3.0 signing keys and the backpack (badges people import from elsewhere). */
const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/** One Ed25519 (Multikey) signing key per system for OB 3.0 credentials; the secret key is sealed. */
export const badgeSigningKeys = pgTable('badge_signing_keys', {
  id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
  systemId: integer('system_id')
    .notNull()
    .unique()
    .references(() => badgeSystems.id, { onDelete: 'cascade' }),
  did: text('did').notNull(),
  publicKeyMultibase: text('public_key_multibase').notNull(),
  /** The exported key pair JSON, sealed with encryptSecret(secretKey, 'badges-signing-key', ...). */
  keySealed: text('key_sealed').notNull(),
  createdAt: ts('created_at').notNull(),
});

/** A badge a person earned elsewhere and imported into their backpack after it verified. */
export const badgeBackpackItems = pgTable(
  'badge_backpack_items',
  {
    id: uuid('id').primaryKey(),
    userId: uuid('user_id').notNull(),
    format: varchar('format', { length: 8 }).notNull(),
    /** The assertion or credential id; one import per person and id. */
    sourceId: text('source_id').notNull(),
    name: text('name').notNull(),
    issuerName: text('issuer_name'),
    imageUrl: text('image_url'),
    document: jsonb('document').notNull(),
    verifiedAt: ts('verified_at').notNull(),
  },
  (t) => [unique('badge_backpack_user_source').on(t.userId, t.sourceId)],
);
