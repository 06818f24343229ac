import type { Deps } from '../../deps.ts';
import type { User } from '../identity/index.ts';
import { type App, getAppById } from '../oauth/index.ts';
import { webhookErrors } from './webhooks.errors.ts';
import { isAppOwner } from './webhooks.policies.ts';
import {
  type AttemptRow,
  type DeliveryRow,
  type EndpointRow,
  lastAttemptsOf,
  listDeliveries,
  listEndpoints,
} from './webhooks.repository.ts';

/** Use-cases behind the owner's webhooks page (/account/apps/<app id>/webhooks). */

export interface DeliverySummary {
  readonly delivery: DeliveryRow;
  readonly lastAttempt: AttemptRow | undefined;
}

export interface EndpointOverview {
  readonly endpoint: EndpointRow;
  readonly deliveries: readonly DeliverySummary[];
}

const PAGE_ENDPOINTS = 50;
const PAGE_DELIVERIES = 10;

/** The app, if `user` owns it; anyone else (and an unknown app) gets the same 404. */
export async function ownedApp(deps: Pick<Deps, 'db'>, user: User, appId: string): Promise<App> {
  const app = await getAppById(deps, appId);
  if (!app || !isAppOwner(user.id, app)) throw webhookErrors.appNotFound();
  return app;
}

/** The app's endpoints (newest first, bounded) with each one's latest deliveries and their last attempt. */
export async function webhookOverview(deps: Pick<Deps, 'db'>, appId: string): Promise<EndpointOverview[]> {
  const endpoints = await listEndpoints(deps.db, appId, { limit: PAGE_ENDPOINTS });
  const overview: EndpointOverview[] = [];
  for (const endpoint of endpoints) {
    const deliveries = await listDeliveries(deps.db, endpoint.id, { limit: PAGE_DELIVERIES });
    const attempts = await lastAttemptsOf(
      deps.db,
      deliveries.map((d) => d.id),
    );
    const byDelivery = new Map(attempts.map((a) => [a.deliveryId, a]));
    overview.push({
      endpoint,
      deliveries: deliveries.map((delivery) => ({ delivery, lastAttempt: byDelivery.get(delivery.id) })),
    });
  }
  return overview;
}

/** Event types typed into the page's form: separated by commas, spaces or new lines. */
export function parseEventTypes(text: string): string[] {
  return text
    .split(/[\s,]+/)
    .map((s) => s.trim())
    .filter(Boolean);
}
