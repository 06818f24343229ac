import { createHash } from 'node:crypto';
import { SignJWT } from 'jose';
import type { Executor } from '../../db/client.ts';
import type { Deps } from '../../deps.ts';
import { enqueue } from '../../jobs/index.ts';
import { decryptSecret, encryptSecret } from '../../lib/crypto.ts';
import type { ApplicationRow, InstanceRow, ReviewItemRow, ReviewRow } from './badges.awards.repository.ts';
import * as awards from './badges.awards.repository.ts';
import { findContext } from './badges.containers.ts';
import { badgeErrors } from './badges.errors.ts';
import { findSystemById } from './badges.repository.ts';
import type { BadgeView } from './badges.usecases.ts';
import { Checker } from './badges.validation.ts';

export const WEBHOOK_JOB = 'badges.badgekit_webhook';
export const WEBHOOK_SECRET_PURPOSE = 'badgekit-webhook';
export const CONSUMER_SECRET_PURPOSE = 'badgekit-consumer';
const MAX_ATTEMPTS = 8;

/** What a system's webhook is told, before it is put in BadgeKit's wire format. */
export type BadgekitWebhookEvent =
  | {
      readonly action: 'award';
      readonly instance: InstanceRow;
      readonly badge: BadgeView;
      readonly assertionUrl: string;
      /** The award's comment (null when none); undefined for a milestone's award, whose webhook has none. */
      readonly comment: string | null | undefined;
    }
  | { readonly action: 'revoke'; readonly instance: InstanceRow; readonly badge: BadgeView }
  | {
      readonly action: 'review';
      readonly application: ApplicationRow;
      readonly badge: BadgeView;
      readonly review: ReviewRow;
      readonly items: readonly ReviewItemRow[];
      readonly approved: boolean;
    };

/**
 * The webhook body for an event. BadgeKit's JSON shapes belong to the BadgeKit dialect, which the module may
 * not import; the composition root (app.ts) hands the dialect's formatter to the module, and the dialect
 * passes it with the deps it gives the use-cases.
 */
export type BadgekitWebhookBody = (event: BadgekitWebhookEvent) => Record<string, unknown>;
export interface WebhookDeps {
  readonly badgekitWebhookBody: BadgekitWebhookBody;
}

/**
 * Queues a BadgeKit-format webhook to the system's endpoint (if it has one) in the caller's transaction. The
 * body is fixed now, so every retry sends the same bytes.
 */
export async function queueBadgekitWebhook(
  tx: Executor,
  deps: Pick<Deps, 'clock' | 'ids'> & WebhookDeps,
  systemId: number,
  event: BadgekitWebhookEvent,
) {
  const hook = await awards.findWebhook(tx, systemId);
  if (!hook) return;
  const id = deps.ids.uuid();
  await awards.insertDelivery(tx, {
    id,
    webhookId: hook.id,
    body: JSON.stringify(deps.badgekitWebhookBody(event)),
    createdAt: deps.clock.now(),
  });
  await enqueue(
    tx,
    WEBHOOK_JOB,
    { delivery_id: id },
    { jobKey: `${WEBHOOK_JOB}:${id}`, maxAttempts: MAX_ATTEMPTS },
  );
}

/**
 * BadgeKit's webhook signature: `Authorization: JWT token="<HS256 JWS>"` whose payload is only the body's
 * SHA-256 (`{"body":{"alg":"sha256","hash":"<hex>"}}`).
 */
export async function signWebhookBody(secret: string, body: string): Promise<string> {
  const hash = createHash('sha256').update(body, 'utf8').digest('hex');
  const jws = await new SignJWT({ body: { alg: 'sha256', hash } })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .sign(new TextEncoder().encode(secret));
  return `JWT token="${jws}"`;
}

/**
 * Sets (or replaces the secret of) a system's webhook; BadgeKit has no API for this, operators use the CLI
 * (which runs with the database's own rights, so there is no principal to check).
 */
export async function setWebhook(deps: Deps, systemSlug: string, url: string, secret: string) {
  const c = new Checker({ url, secret });
  c.url('url', true);
  c.string('secret', { required: true, min: 16, max: 255 });
  c.done();
  const { system } = await findContext(deps, { system: systemSlug });
  const sealed = encryptSecret(deps.secretKey, WEBHOOK_SECRET_PURPOSE, secret);
  const row = await awards.upsertWebhook(deps.db, { url, secretSealed: sealed, systemId: system.id });
  return { id: row.id, system: system.slug, url: row.url };
}

/** A consumer key/secret pair bound to one system (the `key` claim of BadgeKit JWTs). Shown once. */
export async function createConsumer(deps: Deps, systemSlug: string, description?: string) {
  const { system } = await findContext(deps, { system: systemSlug });
  const apiKey = `bk_${deps.ids.token(12)}`;
  const apiSecret = deps.ids.token(32);
  await awards.insertConsumer(deps.db, {
    apiKey,
    apiSecretSealed: encryptSecret(deps.secretKey, CONSUMER_SECRET_PURPOSE, apiSecret),
    description: description ?? null,
    systemId: system.id,
    createdAt: deps.clock.now(),
  });
  return { system: system.slug, api_key: apiKey, api_secret: apiSecret };
}

interface ConsumerSecret {
  readonly systemSlug: string;
  readonly systemId: number;
  readonly secret: string;
}

// Every BadgeKit request names its consumer; a short per-process cache saves two queries and a decryption
// per request. Consumers cannot be changed through any API, so 30 s of staleness only delays a deleted row.
const CACHE_MS = 30_000;
const cache = new Map<string, { at: number; value: ConsumerSecret }>();

/** The consumer behind a `key` claim: its system's slug and its secret, or undefined. */
export async function consumerSecret(deps: Pick<Deps, 'db' | 'secretKey' | 'clock'>, apiKey: string) {
  const now = deps.clock.now().getTime();
  const hit = cache.get(apiKey);
  if (hit && now - hit.at < CACHE_MS && now >= hit.at) return hit.value;
  const value = await loadConsumer(deps, apiKey);
  if (value) {
    if (cache.size >= 1000) cache.clear();
    cache.set(apiKey, { at: now, value });
  }
  return value;
}

async function loadConsumer(
  deps: Pick<Deps, 'db' | 'secretKey'>,
  apiKey: string,
): Promise<ConsumerSecret | undefined> {
  if (apiKey.length > 255) return undefined;
  const row = await awards.findConsumer(deps.db, apiKey);
  if (!row) return undefined;
  const system = await findSystemById(deps.db, row.systemId);
  if (!system) return undefined;
  return {
    systemSlug: system.slug,
    systemId: system.id,
    secret: decryptSecret(deps.secretKey, CONSUMER_SECRET_PURPOSE, row.apiSecretSealed),
  };
}

export const unknownSystem = (slug: string) => badgeErrors.notFound('system', 'slug', slug);
