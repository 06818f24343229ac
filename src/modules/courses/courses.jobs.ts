import type { Deps } from '../../deps.ts';
import { BULK_TASK, runBulk } from './courses.bulk.ts';

export function registerCourseJobs(deps: Deps): void {
  deps.jobs.register<{ id: string }>(BULK_TASK, async ({ id }) => {
    await runBulk(deps, id);
  });
}
