import type { Executor } from '../../db/client.ts';
import type { Deps } from '../../deps.ts';
import type { DomainEvent } from '../../jobs/domain-events.ts';
import { enqueue } from '../../jobs/enqueue.ts';
import { webhookBody } from './webhooks.envelope.ts';
import { appsConcernedBy, endpointWants } from './webhooks.policies.ts';
import { type DeliveryRow, enabledEndpointsOf, insertDeliveryOnce } from './webhooks.repository.ts';

export const FANOUT = 'webhooks.fanout';
export const DELIVER = 'webhooks.deliver';

/** The delivery job's payload: which attempt of which chain it is, so a stale or repeated job is a no-op. */
export interface DeliverJob {
  readonly delivery_id: string;
  readonly chain: number;
  readonly attempt: number;
}

/**
 * One pending job per delivery (job key = delivery id): scheduling the next attempt, or a redelivery,
 * replaces whatever was pending for it. graphile-worker retries only crashes of the handler (a few times); the HTTP retry
 * schedule is ours (webhooks.retry.ts), written into run_at from deps.clock.
 */
export async function scheduleAttempt(tx: Executor, job: DeliverJob, runAt?: Date): Promise<void> {
  await enqueue(tx, DELIVER, job, { jobKey: `${DELIVER}:${job.delivery_id}`, runAt, maxAttempts: 5 });
}

export async function scheduleFirstAttempt(tx: Executor, delivery: DeliveryRow): Promise<void> {
  await scheduleAttempt(tx, { delivery_id: delivery.id, chain: delivery.chain, attempt: 1 });
}

/**
 * The domain-event consumer: one delivery per matching endpoint, created idempotently (unique
 * (endpoint_id, event_id)), and its first attempt enqueued in the same transaction. Running it twice for
 * the same event creates nothing new. Who receives an event is decided on the internal payload (its
 * `app_id`/`app_ids`); what they receive is the type's public payload (webhooks.events.ts), which is stored
 * as the delivery's body so that retries and redeliveries send exactly the same bytes.
 */
export async function fanOut(deps: Pick<Deps, 'db' | 'clock' | 'ids'>, event: DomainEvent): Promise<number> {
  const appIds = appsConcernedBy(event);
  if (appIds.length === 0) return 0;
  const endpoints = (await enabledEndpointsOf(deps.db, appIds)).filter((e) => endpointWants(e, event.type));
  if (endpoints.length === 0) return 0;
  const body = webhookBody(event);
  if (body === undefined) return 0;
  return deps.db.transaction(async (tx) => {
    let created = 0;
    const now = deps.clock.now();
    for (const endpoint of endpoints) {
      const delivery = await insertDeliveryOnce(tx, {
        id: deps.ids.uuid(),
        endpointId: endpoint.id,
        appId: endpoint.appId,
        eventId: event.id,
        eventType: event.type,
        body,
        status: 'pending',
        nextAttemptAt: now,
        createdAt: now,
        updatedAt: now,
      });
      if (!delivery) continue;
      await scheduleFirstAttempt(tx, delivery);
      created += 1;
    }
    return created;
  });
}
