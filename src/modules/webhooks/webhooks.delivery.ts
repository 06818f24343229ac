import { performance } from 'node:perf_hooks';
import { Webhook } from 'standardwebhooks';
import type { Deps } from '../../deps.ts';
import { decryptSecret } from '../../lib/crypto.ts';
import type { OutboundFetch } from '../../lib/outbound.ts';
import { type DeliverJob, scheduleAttempt } from './webhooks.fanout.ts';
import { disableEndpoint } from './webhooks.notices.ts';
import {
  type DeliveryRow,
  type EndpointRow,
  findDelivery,
  findDeliveryForUpdate,
  findEndpoint,
  findEndpointForUpdate,
  insertAttempt,
  updateDelivery,
  updateEndpoint,
} from './webhooks.repository.ts';
import { ATTEMPT_TIMEOUT_MS, DISABLE_AFTER_MS, nextAttemptAt, shouldDisable } from './webhooks.retry.ts';
import { SECRET_PURPOSE } from './webhooks.usecases.ts';

type DeliveryDeps = Pick<Deps, 'db' | 'clock' | 'ids' | 'secretKey' | 'config' | 'logger' | 'outbound'>;

const EXCERPT_BYTES = 1024;
const USER_AGENT = 'Learnhub-Webhooks/1';

interface Outcome {
  readonly succeeded: boolean;
  readonly statusCode: number | null;
  readonly error: string | null;
  readonly durationMs: number;
  readonly excerpt: string | null;
}

const UNSIGNABLE: Outcome = {
  succeeded: false,
  statusCode: null,
  error: 'not sent: the signing secret cannot be decrypted (SECRET_KEY changed?); rotate the secret',
  durationMs: 0,
  excerpt: null,
};

async function readExcerpt(response: Response): Promise<string> {
  if (!response.body) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  while (size < EXCERPT_BYTES) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    size += value.byteLength;
  }
  await reader.cancel().catch(() => {});
  return Buffer.concat(chunks).subarray(0, EXCERPT_BYTES).toString('utf8');
}

/**
 * One HTTP attempt: POST, a 10 s budget for the whole exchange, redirects not followed (a 3xx is a failure:
 * a receiver must give its final URL), 2xx is success. Duration is measured with the monotonic timer; it
 * is a measurement, not a point in time.
 */
async function post(
  outbound: OutboundFetch,
  url: string,
  headers: Record<string, string>,
  body: string,
): Promise<Outcome> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  try {
    const response = await outbound(url, {
      method: 'POST',
      headers,
      body,
      redirect: 'manual',
      signal: AbortSignal.timeout(ATTEMPT_TIMEOUT_MS),
    });
    const excerpt = await readExcerpt(response).catch(() => '');
    const succeeded = response.status >= 200 && response.status < 300;
    return { succeeded, statusCode: response.status, error: null, durationMs: elapsed(), excerpt };
  } catch (error) {
    const timedOut = error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
    const cause = error instanceof Error && error.cause instanceof Error ? error.cause.message : undefined;
    const message = timedOut
      ? `timed out after ${ATTEMPT_TIMEOUT_MS / 1000} s`
      : (cause ?? (error instanceof Error ? error.message : String(error)));
    return {
      succeeded: false,
      statusCode: null,
      error: message.slice(0, 500),
      durationMs: elapsed(),
      excerpt: null,
    };
  }
}

function signedHeaders(endpoint: EndpointRow, delivery: DeliveryRow, secretKey: string, at: Date) {
  const secret = decryptSecret(secretKey, SECRET_PURPOSE, endpoint.secretSealed);
  return {
    'content-type': 'application/json',
    'user-agent': USER_AGENT,
    'webhook-id': delivery.id,
    'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
    'webhook-signature': new Webhook(secret).sign(delivery.id, at, delivery.body),
  };
}

/**
 * The delivery job. A job whose chain or attempt number no longer matches the delivery (a redelivery
 * started a new chain, or this attempt was already recorded before a crash) does nothing.
 */
export async function deliver(deps: DeliveryDeps, job: DeliverJob): Promise<void> {
  const delivery = await findDelivery(deps.db, job.delivery_id);
  if (!delivery || !isCurrent(delivery, job)) return;
  const endpoint = await findEndpoint(deps.db, delivery.endpointId);
  if (!endpoint) return;
  const at = deps.clock.now();
  if (!endpoint.enabled) {
    await updateDelivery(deps.db, delivery.id, {
      status: 'failed',
      lastError: 'endpoint disabled',
      nextAttemptAt: null,
      updatedAt: at,
    });
    return;
  }
  let headers: Record<string, string>;
  try {
    headers = signedHeaders(endpoint, delivery, deps.secretKey, at);
  } catch {
    // Sealed under another SECRET_KEY: nothing can be signed until the secret is rotated. Count it as a
    // failed attempt so the delivery follows its schedule instead of sticking as a crashing job.
    await record(deps, job, endpoint.id, at, UNSIGNABLE);
    return;
  }
  const outcome = await post(deps.outbound, endpoint.url, headers, delivery.body);
  await record(deps, job, endpoint.id, at, outcome);
}

function isCurrent(delivery: DeliveryRow, job: DeliverJob): boolean {
  return (
    delivery.status === 'pending' &&
    delivery.chain === job.chain &&
    delivery.attemptsInChain === job.attempt - 1
  );
}

/** Records the attempt and its consequences (next attempt, final state, endpoint health) in one transaction. */
async function record(
  deps: DeliveryDeps,
  job: DeliverJob,
  endpointId: string,
  at: Date,
  outcome: Outcome,
): Promise<void> {
  const now = deps.clock.now();
  await deps.db.transaction(async (tx) => {
    // Locks in the order endpoint, then delivery, as disabling does (it fails the endpoint's pending
    // deliveries while holding the endpoint), so two attempts finishing together cannot deadlock.
    const endpoint = await findEndpointForUpdate(tx, endpointId);
    const delivery = await findDeliveryForUpdate(tx, job.delivery_id);
    if (!delivery || !isCurrent(delivery, job)) return;
    const inserted = await insertAttempt(tx, {
      id: deps.ids.uuid(),
      deliveryId: delivery.id,
      chain: job.chain,
      attempt: job.attempt,
      attemptedAt: at,
      succeeded: outcome.succeeded,
      statusCode: outcome.statusCode,
      error: outcome.error,
      durationMs: outcome.durationMs,
      responseExcerpt: outcome.excerpt,
    });
    if (!inserted) return;
    const common = {
      attemptsInChain: job.attempt,
      lastStatusCode: outcome.statusCode,
      lastError: outcome.error,
      updatedAt: now,
    };
    if (outcome.succeeded) {
      await updateDelivery(tx, delivery.id, { ...common, status: 'succeeded', nextAttemptAt: null });
      if (endpoint?.failingSince) await updateEndpoint(tx, endpoint.id, { failingSince: null });
      return;
    }
    const next = nextAttemptAt(job.attempt, at);
    if (next) {
      await updateDelivery(tx, delivery.id, { ...common, status: 'pending', nextAttemptAt: next });
      await scheduleAttempt(
        tx,
        { delivery_id: delivery.id, chain: job.chain, attempt: job.attempt + 1 },
        next,
      );
    } else {
      await updateDelivery(tx, delivery.id, { ...common, status: 'failed', nextAttemptAt: null });
    }
    if (!endpoint?.enabled) return;
    const failingSince = endpoint.failingSince ?? at;
    if (!endpoint.failingSince) await updateEndpoint(tx, endpoint.id, { failingSince });
    if (shouldDisable(failingSince, at)) {
      const days = DISABLE_AFTER_MS / 86_400_000;
      await disableEndpoint(tx, deps, endpoint, {
        reason: `Every delivery attempt has failed for ${days} days (since ${failingSince.toISOString()}).`,
        lastError: outcome.error ?? `HTTP ${outcome.statusCode}`,
      });
    }
  });
}
