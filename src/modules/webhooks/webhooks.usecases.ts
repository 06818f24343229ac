import type { Deps } from '../../deps.ts';
import type { Principal } from '../../http/principal.ts';
import { encryptSecret } from '../../lib/crypto.ts';
import { testEventBody } from './webhooks.envelope.ts';
import { webhookErrors } from './webhooks.errors.ts';
import { TEST_EVENT } from './webhooks.events.ts';
import { scheduleFirstAttempt } from './webhooks.fanout.ts';
import { canSeeEndpoint, webhookActor } from './webhooks.policies.ts';
import {
  type AttemptRow,
  attemptsOf,
  countEndpoints,
  type DeliveryRow,
  deleteEndpoint,
  type EndpointRow,
  findDelivery,
  findDeliveryForUpdate,
  findEndpoint,
  insertDeliveryOnce,
  insertEndpoint,
  listDeliveries,
  listEndpoints,
  type PagePosition,
  updateDelivery,
  updateEndpoint,
} from './webhooks.repository.ts';
import { checkEventTypes, checkUrl, MAX_ENDPOINTS_PER_APP, newSigningSecret } from './webhooks.validation.ts';

type WebhookDeps = Pick<Deps, 'db' | 'clock' | 'ids' | 'secretKey'>;

/** Sealing purpose for signing secrets (one derived key per purpose). */
export const SECRET_PURPOSE = 'webhooks';

/**
 * The app whose webhooks a use-case acts on: an app id, or `undefined` for a hub administrator acting on
 * whatever endpoint it names (only id-addressed operations accept that).
 */
export type AppScope = string | undefined;

/** Turns a principal (and the `app_id` it named, if any) into an app scope, or refuses. */
export function scopeOf(principal: Principal, requestedAppId: string | undefined): AppScope {
  const actor = webhookActor(principal, requestedAppId);
  if (!actor.ok) throw actor.reason === 'wrong_app' ? webhookErrors.wrongApp() : webhookErrors.notAllowed();
  return actor.appId;
}

/** Like scopeOf, but the operation needs a definite app (create, list): operators must name one. */
export function appOf(principal: Principal, requestedAppId: string | undefined): string {
  const appId = scopeOf(principal, requestedAppId);
  if (appId === undefined) throw webhookErrors.appIdRequired();
  return appId;
}

export interface EndpointInput {
  readonly url: string;
  readonly eventTypes: readonly string[];
  readonly description?: string | undefined;
}

export interface EndpointWithSecret {
  readonly endpoint: EndpointRow;
  /** Shown once, on creation and on rotation. */
  readonly secret: string;
}

export async function createEndpoint(
  deps: WebhookDeps,
  appId: string,
  input: EndpointInput,
): Promise<EndpointWithSecret> {
  const url = checkUrl(input.url);
  const eventTypes = checkEventTypes(input.eventTypes);
  // A concurrent create may slip one past the count; the bound is about scale, not security.
  if ((await countEndpoints(deps.db, appId)) >= MAX_ENDPOINTS_PER_APP) {
    throw webhookErrors.tooManyEndpoints(MAX_ENDPOINTS_PER_APP);
  }
  const secret = newSigningSecret(deps.ids);
  const now = deps.clock.now();
  const endpoint = await insertEndpoint(deps.db, {
    id: deps.ids.uuid(),
    appId,
    url,
    description: input.description ?? '',
    eventTypes,
    enabled: true,
    secretSealed: encryptSecret(deps.secretKey, SECRET_PURPOSE, secret),
    createdAt: now,
    updatedAt: now,
  });
  return { endpoint, secret };
}

export async function getEndpoint(deps: WebhookDeps, scope: AppScope, id: string): Promise<EndpointRow> {
  const endpoint = await findEndpoint(deps.db, id);
  // Another app's endpoint answers exactly as a missing one does.
  if (!endpoint || !canSeeEndpoint(scope, endpoint.appId)) throw webhookErrors.endpointNotFound();
  return endpoint;
}

export async function listAppEndpoints(
  deps: WebhookDeps,
  appId: string,
  options: { limit: number; after?: PagePosition | undefined },
): Promise<EndpointRow[]> {
  return listEndpoints(deps.db, appId, options);
}

export interface EndpointChanges {
  readonly url?: string | undefined;
  readonly eventTypes?: readonly string[] | undefined;
  readonly description?: string | undefined;
  readonly enabled?: boolean | undefined;
}

export async function changeEndpoint(
  deps: WebhookDeps,
  scope: AppScope,
  id: string,
  changes: EndpointChanges,
): Promise<EndpointRow> {
  const endpoint = await getEndpoint(deps, scope, id);
  const now = deps.clock.now();
  const set: Parameters<typeof updateEndpoint>[2] = { updatedAt: now };
  if (changes.url !== undefined) {
    set.url = checkUrl(changes.url);
    // A new receiver starts with a clean record; the old one's failures say nothing about it.
    if (set.url !== endpoint.url) set.failingSince = null;
  }
  if (changes.eventTypes !== undefined) set.eventTypes = checkEventTypes(changes.eventTypes);
  if (changes.description !== undefined) set.description = changes.description;
  if (changes.enabled === true && !endpoint.enabled) {
    // Re-enabling gives the endpoint a fresh start: the failure clock restarts.
    Object.assign(set, { enabled: true, disabledReason: null, disabledAt: null, failingSince: null });
  } else if (changes.enabled === false && endpoint.enabled) {
    Object.assign(set, { enabled: false, disabledReason: 'Disabled by the app.', disabledAt: now });
  }
  const updated = await updateEndpoint(deps.db, endpoint.id, set);
  if (!updated) throw webhookErrors.endpointNotFound();
  return updated;
}

export async function removeEndpoint(deps: WebhookDeps, scope: AppScope, id: string): Promise<void> {
  const endpoint = await getEndpoint(deps, scope, id);
  // Deliveries and attempts go with it (ON DELETE CASCADE); a pending job then finds nothing and stops.
  await deleteEndpoint(deps.db, endpoint.id);
}

/** A new secret takes effect at once: every later attempt, including retries, is signed with it. */
export async function rotateSecret(
  deps: WebhookDeps,
  scope: AppScope,
  id: string,
): Promise<EndpointWithSecret> {
  const endpoint = await getEndpoint(deps, scope, id);
  const secret = newSigningSecret(deps.ids);
  const updated = await updateEndpoint(deps.db, endpoint.id, {
    secretSealed: encryptSecret(deps.secretKey, SECRET_PURPOSE, secret),
    updatedAt: deps.clock.now(),
  });
  if (!updated) throw webhookErrors.endpointNotFound();
  return { endpoint: updated, secret };
}

export async function listEndpointDeliveries(
  deps: WebhookDeps,
  scope: AppScope,
  endpointId: string,
  options: { limit: number; after?: PagePosition | undefined; status?: DeliveryRow['status'] | undefined },
): Promise<DeliveryRow[]> {
  const endpoint = await getEndpoint(deps, scope, endpointId);
  return listDeliveries(deps.db, endpoint.id, options);
}

export async function getDelivery(
  deps: WebhookDeps,
  scope: AppScope,
  endpointId: string,
  deliveryId: string,
): Promise<{ delivery: DeliveryRow; attempts: AttemptRow[] }> {
  const endpoint = await getEndpoint(deps, scope, endpointId);
  const delivery = await findDelivery(deps.db, deliveryId);
  if (!delivery || delivery.endpointId !== endpoint.id) throw webhookErrors.deliveryNotFound();
  return { delivery, attempts: await attemptsOf(deps.db, delivery.id) };
}

/**
 * Starts a new attempt chain for the same delivery: same id (so the same `webhook-id`, letting receivers
 * de-duplicate) and same body, with a full retry schedule. A retry still pending from the old chain is
 * replaced (same job key) and would be ignored anyway (its chain number is stale).
 */
export async function redeliver(
  deps: WebhookDeps,
  scope: AppScope,
  endpointId: string,
  deliveryId: string,
): Promise<DeliveryRow> {
  const endpoint = await getEndpoint(deps, scope, endpointId);
  if (!endpoint.enabled) throw webhookErrors.endpointDisabled();
  return deps.db.transaction(async (tx) => {
    const delivery = await findDeliveryForUpdate(tx, deliveryId);
    if (!delivery || delivery.endpointId !== endpoint.id) throw webhookErrors.deliveryNotFound();
    const now = deps.clock.now();
    const updated = await updateDelivery(tx, delivery.id, {
      status: 'pending',
      chain: delivery.chain + 1,
      attemptsInChain: 0,
      nextAttemptAt: now,
      updatedAt: now,
    });
    if (!updated) throw webhookErrors.deliveryNotFound();
    await scheduleFirstAttempt(tx, updated);
    return updated;
  });
}

export const TEST_EVENT_TYPE = TEST_EVENT.type;

/** Sends a `webhook.test` event to one endpoint, whatever its type filter, as a normal delivery. */
export async function sendTestEvent(
  deps: WebhookDeps,
  scope: AppScope,
  endpointId: string,
): Promise<DeliveryRow> {
  const endpoint = await getEndpoint(deps, scope, endpointId);
  if (!endpoint.enabled) throw webhookErrors.endpointDisabled();
  const now = deps.clock.now();
  const eventId = deps.ids.uuid();
  const body = testEventBody(eventId, now, endpoint);
  return deps.db.transaction(async (tx) => {
    const delivery = await insertDeliveryOnce(tx, {
      id: deps.ids.uuid(),
      endpointId: endpoint.id,
      appId: endpoint.appId,
      eventId,
      eventType: TEST_EVENT_TYPE,
      body,
      status: 'pending',
      nextAttemptAt: now,
      createdAt: now,
      updatedAt: now,
    });
    if (!delivery) throw new Error('a fresh test event collided with an existing delivery');
    await scheduleFirstAttempt(tx, delivery);
    return delivery;
  });
}
