import type { Deps } from '../../deps.ts';
import { decryptSecret } from '../../lib/crypto.ts';
import * as awards from './badges.awards.repository.ts';
import { signWebhookBody, WEBHOOK_JOB, WEBHOOK_SECRET_PURPOSE } from './badges.webhooks.ts';

/** The badges module's job handlers. */
const TIMEOUT_MS = 10_000;

export function registerBadgeJobs(deps: Deps): void {
  deps.jobs.register<{ delivery_id: string }>(WEBHOOK_JOB, ({ delivery_id }) =>
    deliverBadgekitWebhook(deps, delivery_id),
  );
}

/** The delivery job: one POST; anything but a 2xx throws so graphile-worker retries with backoff. */
export async function deliverBadgekitWebhook(
  deps: Pick<Deps, 'db' | 'clock' | 'secretKey' | 'outbound'>,
  deliveryId: string,
) {
  const delivery = await awards.findDelivery(deps.db, deliveryId);
  if (!delivery || delivery.deliveredAt) return;
  const hook = await awards.findWebhookById(deps.db, delivery.webhookId);
  if (!hook) return;
  const secret = decryptSecret(deps.secretKey, WEBHOOK_SECRET_PURPOSE, hook.secretSealed);
  let status: number | null = null;
  let error: string | null = null;
  try {
    const response = await deps.outbound(hook.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: await signWebhookBody(secret, delivery.body),
      },
      body: delivery.body,
      redirect: 'manual',
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
    status = response.status;
    await response.body?.cancel().catch(() => {});
  } catch (e) {
    error = (e instanceof Error ? e.message : String(e)).slice(0, 500);
  }
  const ok = status !== null && status >= 200 && status < 300;
  await awards.updateDelivery(deps.db, delivery.id, {
    attempts: delivery.attempts + 1,
    lastStatus: status,
    lastError: error,
    deliveredAt: ok ? deps.clock.now() : null,
  });
  if (!ok) throw new Error(`BadgeKit webhook to ${hook.url} failed: ${error ?? `HTTP ${status}`}`);
}
