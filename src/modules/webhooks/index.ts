import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../deps.ts';
import type { AuthenticatorRegistry } from '../../http/auth.ts';
import { webhookAccountRoutes } from './webhooks.account.routes.ts';
import { registerWebhookJobs } from './webhooks.jobs.ts';
import { webhookRoutes } from './webhooks.routes.ts';

export { webhookBody } from './webhooks.envelope.ts';
export { INTERNAL, publishedWebhookEvents, WEBHOOK_EVENTS, type WebhookEvent } from './webhooks.events.ts';
export { DELIVER, FANOUT } from './webhooks.fanout.ts';
export { PRUNE, pruneDeliveries } from './webhooks.jobs.ts';
export { webhooksOpenApi } from './webhooks.openapi.ts';
export { type AudienceEvent, type AudienceRule, appsConcernedBy } from './webhooks.policies.ts';
export { DISABLE_AFTER_MS, KEEP_DELIVERIES_MS, RETRY_DELAYS_MS } from './webhooks.retry.ts';
export {
  type AppScope,
  changeEndpoint,
  createEndpoint,
  getDelivery,
  getEndpoint,
  listAppEndpoints,
  listEndpointDeliveries,
  redeliver,
  removeEndpoint,
  rotateSecret,
  sendTestEvent,
  TEST_EVENT_TYPE,
} from './webhooks.usecases.ts';

/** Webhook endpoints, their API and owner's page, the domain-event fan-out and the delivery job. */
export async function registerWebhooks(app: FastifyInstance, deps: Deps, _auth: AuthenticatorRegistry) {
  registerWebhookJobs(deps);
  await app.register(webhookRoutes, { deps });
  await app.register(webhookAccountRoutes, { deps });
}
