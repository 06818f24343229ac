import type { Deps } from '../../deps.ts';
import {
  EXPAND,
  expandAnnouncement,
  RECUR,
  recurAnnouncements,
  SEND_BATCH,
  sendBatch,
} from './messaging.announcements.ts';
import { emailMessage, sendDigests } from './messaging.delivery.ts';
import { DELIVER_REPLY } from './messaging.inbound.ts';
import { deliverReply } from './messaging.replies.ts';
import { type EmailJob, SEND_EMAIL } from './messaging.usecases.ts';

export const DIGEST_DAILY = 'messaging.digest_daily';
export const DIGEST_WEEKLY = 'messaging.digest_weekly';

export function registerMessagingJobs(deps: Deps): void {
  deps.jobs.register<EmailJob>(SEND_EMAIL, (payload) => emailMessage(deps, payload));
  deps.jobs.register<{ reply_id: string }>(DELIVER_REPLY, (payload, helpers) =>
    deliverReply(deps, payload, helpers),
  );
  deps.jobs.register(DIGEST_DAILY, async () => {
    await sendDigests(deps, 'daily');
  });
  deps.jobs.register(DIGEST_WEEKLY, async () => {
    await sendDigests(deps, 'weekly');
  });
  deps.jobs.register<{ announcement_id: string }>(EXPAND, (p, helpers) =>
    expandAnnouncement(deps, p.announcement_id, helpers.abortSignal),
  );
  deps.jobs.register<{ message_ids: string[] }>(SEND_BATCH, (p) => sendBatch(deps, p.message_ids));
  deps.jobs.register(RECUR, async () => {
    await recurAnnouncements(deps);
  });
  deps.jobs.cron({ schedule: '0 * * * *', task: RECUR, backfillMs: 3 * 3_600_000 });
  // 07:00 UTC every day; Mondays 07:00 UTC. A run missed while no worker was up is made up within 12 hours.
  deps.jobs.cron({ schedule: '0 7 * * *', task: DIGEST_DAILY, backfillMs: 12 * 3_600_000 });
  deps.jobs.cron({ schedule: '0 7 * * 1', task: DIGEST_WEEKLY, backfillMs: 12 * 3_600_000 });
}
