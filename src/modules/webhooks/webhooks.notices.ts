import type { Executor } from '../../db/client.ts';
import type { Deps } from '../../deps.ts';
import { queueMail } from '../../mail/index.ts';
import { findAppOwner } from './webhooks.owners.ts';
import {
  type EndpointRow,
  failPendingDeliveries,
  insertNotice,
  updateEndpoint,
} from './webhooks.repository.ts';

type NoticeDeps = Pick<Deps, 'db' | 'clock' | 'ids' | 'config' | 'logger'>;

/**
 * Disables a failing endpoint inside the caller's transaction, gives up its pending deliveries, records a
 * notice and mails the app's owner (queued in the same transaction, so the mail goes iff this commits).
 */
export async function disableEndpoint(
  tx: Executor,
  deps: NoticeDeps,
  endpoint: EndpointRow,
  why: { reason: string; lastError: string },
): Promise<void> {
  const now = deps.clock.now();
  await updateEndpoint(tx, endpoint.id, {
    enabled: false,
    disabledReason: why.reason,
    disabledAt: now,
    updatedAt: now,
  });
  await failPendingDeliveries(tx, endpoint.id, 'endpoint disabled', now);
  const owner = await findAppOwner(deps, endpoint.appId);
  const message =
    `Learnhub disabled the webhook endpoint ${endpoint.url} of ${owner ? `your app "${owner.appName}"` : `app ${endpoint.appId}`}.\n\n` +
    `${why.reason}\nLast error: ${why.lastError}\n\n` +
    'Fix the receiver, then enable the endpoint again (PATCH /api/v1/webhooks/' +
    `${endpoint.id} with {"enabled": true}, or on the app's webhooks page) and redeliver what it missed.\n` +
    `Page: ${deps.config.publicUrl}/account/apps/${endpoint.appId}/webhooks\n`;
  if (owner) {
    await queueMail(
      tx,
      { ids: deps.ids, mailDomain: new URL(deps.config.publicUrl).hostname },
      {
        to: [owner.email],
        subject: `Webhook endpoint disabled: ${endpoint.url}`,
        text: `Hello ${owner.name},\n\n${message}`,
      },
    );
  } else {
    deps.logger.warn(
      { endpointId: endpoint.id, appId: endpoint.appId },
      'webhook endpoint disabled; owner unknown, notice recorded only',
    );
  }
  await insertNotice(tx, {
    id: deps.ids.uuid(),
    appId: endpoint.appId,
    endpointId: endpoint.id,
    kind: 'endpoint_disabled',
    message,
    details: { url: endpoint.url, reason: why.reason, last_error: why.lastError },
    mailedTo: owner?.email ?? null,
    createdAt: now,
  });
}
