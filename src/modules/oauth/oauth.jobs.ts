import type { Deps } from '../../deps.ts';
import { deleteExpiredPayloads } from './oauth.repository.ts';

export const PURGE_EXPIRED = 'oauth.purge_expired';

/**
 * Expired provider rows (codes, tokens, sessions, interactions, grants) are already invisible to lookups;
 * this hourly job deletes them so the table does not grow without bound. Idempotent by nature.
 */
export function registerOAuthJobs(deps: Deps): void {
  deps.jobs.register(PURGE_EXPIRED, async () => {
    const removed = await deleteExpiredPayloads(deps.db, deps.clock.now());
    if (removed > 0) deps.logger.info({ removed }, 'purged expired OpenID provider records');
  });
  deps.jobs.cron({ schedule: '17 * * * *', task: PURGE_EXPIRED });
}
