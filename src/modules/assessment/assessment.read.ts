import type { Deps } from '../../deps.ts';
import {
  type ActivityRow,
  findActivity,
  listActivitiesOfCourse,
  listSchedules,
  type ScheduleRow,
} from './assessment.repository.ts';

export type ActivityRecord = ActivityRow;
export type ScheduleRecord = ScheduleRow;

/**
 * Reads for trusted callers that have checked access themselves (the peerScholar dialect checks a platform's
 * course scope before calling these). No principal: do not expose them to people directly.
 */
export async function findActivityById(
  deps: Pick<Deps, 'db'>,
  id: number,
): Promise<(ActivityRecord & { schedules: ScheduleRecord[] }) | undefined> {
  if (!Number.isSafeInteger(id) || id <= 0 || id > 2_147_483_647) return undefined;
  const activity = await findActivity(deps.db, id);
  if (!activity) return undefined;
  return { ...activity, schedules: await listSchedules(deps.db, [activity.id]) };
}

/** The ids of a course's activities (for reports over a whole course). */
export async function activityIdsOfCourse(deps: Pick<Deps, 'db'>, courseId: string): Promise<number[]> {
  return (await listActivitiesOfCourse(deps.db, courseId)).map((a) => a.id);
}
