import type { Deps } from '../../deps.ts';
import { BULK_TASK, runBulk } from './courses.bulk.ts';
import { CLAIM_CONSUMER, CLAIM_EVENTS, claimForEvent } from './courses.claims.ts';

export function registerCourseJobs(deps: Deps): void {
  deps.jobs.register<{ id: string }>(BULK_TASK, async ({ id }) => {
    await runBulk(deps, id);
  });
  // Invitations wait for the invited person's account and proven address (sign-up or verification).
  deps.domainEvents.subscribe(CLAIM_CONSUMER, CLAIM_EVENTS, (event) => claimForEvent(deps, event));
}
