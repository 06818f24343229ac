import type { Deps } from '../../deps.ts';
import { purgeExpired } from './identity.repository.ts';
import { SESSION_IDLE_MS, SIGN_IN_WINDOW_MS } from './identity.sessions.ts';

export const PURGE_EXPIRED = 'identity.purge_expired';

/** Hourly: deletes expired sessions, old sign-in failures and long-expired mailed tokens. Idempotent. */
export function registerIdentityJobs(deps: Deps): void {
  deps.jobs.register(PURGE_EXPIRED, async () => {
    const now = deps.clock.now();
    const removed = await purgeExpired(deps.db, {
      now,
      idleSince: new Date(now.getTime() - SESSION_IDLE_MS),
      failuresBefore: new Date(now.getTime() - SIGN_IN_WINDOW_MS),
      tokensBefore: new Date(now.getTime() - 7 * 86_400_000),
    });
    if (removed > 0) deps.logger.info({ removed }, 'purged expired sessions, sign-in failures and tokens');
  });
  deps.jobs.cron({ schedule: '23 * * * *', task: PURGE_EXPIRED });
}
