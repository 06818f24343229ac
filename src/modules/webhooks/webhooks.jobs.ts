import type { Deps } from '../../deps.ts';
import { ALL_EVENTS } from '../../jobs/domain-events.ts';
import { deliver } from './webhooks.delivery.ts';
import { DELIVER, type DeliverJob, FANOUT, fanOut } from './webhooks.fanout.ts';
import { deleteFinishedDeliveries } from './webhooks.repository.ts';
import { KEEP_DELIVERIES_MS } from './webhooks.retry.ts';

export const PRUNE = 'webhooks.prune';

/** Drops the log of deliveries that finished more than KEEP_DELIVERIES_MS ago; pending ones stay. */
export async function pruneDeliveries(deps: Pick<Deps, 'db' | 'clock'>): Promise<number> {
  return deleteFinishedDeliveries(deps.db, new Date(deps.clock.now().getTime() - KEEP_DELIVERIES_MS));
}

/** The consumer of every domain event, the delivery job, and the daily pruning of the delivery log. */
export function registerWebhookJobs(deps: Deps): void {
  deps.domainEvents.subscribe(FANOUT, ALL_EVENTS, async (event) => {
    await fanOut(deps, event);
  });
  deps.jobs.register<DeliverJob>(DELIVER, async (job) => {
    await deliver(deps, job);
  });
  deps.jobs.register(PRUNE, async () => {
    await pruneDeliveries(deps);
  });
  deps.jobs.cron({ schedule: '41 3 * * *', task: PRUNE });
}
