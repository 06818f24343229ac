import { sql } from 'drizzle-orm';
import { index, jsonb, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/**
 * Apps are the hub's OAuth clients. The app id doubles as the OAuth `client_id`. Only a SHA-256 of the
 * client secret is stored (secrets are 256-bit random, so a fast hash is enough); it is shown once.
 * `owner_user_id` names an identity user; no foreign key because modules do not reach into each other's
 * tables.
 */
export const oauthApps = pgTable(
  'oauth_apps',
  {
    id: uuid('id').primaryKey(),
    name: text('name').notNull(),
    homepageUrl: text('homepage_url'),
    logoUrl: text('logo_url'),
    redirectUris: text('redirect_uris').array().notNull().default(sql`'{}'::text[]`),
    replyUrl: text('reply_url'),
    ownerUserId: uuid('owner_user_id'),
    secretHash: text('secret_hash').notNull(),
    secretRotatedAt: timestamp('secret_rotated_at', { withTimezone: true, mode: 'date' }).notNull(),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull(),
  },
  (t) => [index('oauth_apps_owner_idx').on(t.ownerUserId, t.createdAt)],
);

/**
 * oidc-provider's storage (sessions, interactions, grants, codes, tokens), one row per model instance.
 * `id_hash` is a SHA-256 of the provider's id: for tokens and sessions that id IS the bearer secret, so it is
 * never stored in clear. `account_id`/`client_id`/`grant_id`/`uid` are copied out of the payload for lookups.
 */
export const oidcPayloads = pgTable(
  'oidc_payloads',
  {
    model: text('model').notNull(),
    idHash: text('id_hash').notNull(),
    payload: jsonb('payload').$type<Record<string, unknown>>().notNull(),
    grantId: text('grant_id'),
    uid: text('uid'),
    userCode: text('user_code'),
    accountId: text('account_id'),
    clientId: text('client_id'),
    expiresAt: timestamp('expires_at', { withTimezone: true, mode: 'date' }).notNull(),
    consumedAt: timestamp('consumed_at', { withTimezone: true, mode: 'date' }),
  },
  (t) => [
    primaryKey({ columns: [t.model, t.idHash] }),
    index('oidc_payloads_grant_idx').on(t.grantId),
    index('oidc_payloads_uid_idx').on(t.uid),
    index('oidc_payloads_user_code_idx').on(t.userCode),
    index('oidc_payloads_account_client_idx').on(t.accountId, t.clientId),
    index('oidc_payloads_expires_idx').on(t.expiresAt),
  ],
);

/** The OpenID provider's signing keys (private JWKs), sealed with encryptSecret under purpose 'oidc-keys'. */
export const oidcSigningKeys = pgTable('oidc_signing_keys', {
  kid: text('kid').primaryKey(),
  sealedJwk: text('sealed_jwk').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull(),
});
