import type { Deps } from '../../deps.ts';
import type { Principal } from '../../http/principal.ts';
import type { Course } from '../courses/index.ts';
import { announce } from '../messaging/index.ts';
import { platformErrors } from './platforms.errors.ts';
import {
  currentNotifications,
  insertNotification,
  type NotificationRow,
  pageNotifications,
} from './platforms.repository.ts';

export type CourseNotification = NotificationRow;
export const MAX_NOTIFICATION = 10_000;

/**
 * A platform posts a notification to a course it may see: stored (shown on the course while it runs) and
 * announced to the course's members through messaging, which applies each member's preferences.
 */
export async function postCourseNotification(
  deps: Deps,
  platformId: string,
  course: Course,
  input: { content: string; startsAt: Date; endsAt: Date; activityId: number | null },
): Promise<CourseNotification> {
  const content = input.content.trim();
  if (content.length === 0) throw platformErrors.invalid('content', 'must not be empty');
  if (content.length > MAX_NOTIFICATION)
    throw platformErrors.invalid('content', `must be at most ${MAX_NOTIFICATION} characters`);
  if (input.endsAt <= input.startsAt) throw platformErrors.invalid('endDate', 'must be after startDate');
  const row = await insertNotification(deps.db, {
    courseId: course.id,
    activityId: input.activityId,
    senderUserId: null,
    platformId,
    content,
    startsAt: input.startsAt,
    endsAt: input.endsAt,
    createdAt: deps.clock.now(),
  });
  // The platform is not a member or an app: the hub announces on its behalf, once per notification id.
  const sender: Principal = { kind: 'operator', tokenId: `platform:${platformId}`, admin: false };
  await announce(deps, sender, course.id, {
    subject: `${course.title}: notification`,
    content,
    format: 'text',
    idempotencyKey: `course-notification:${row.id}`,
  });
  return row;
}

export async function pageCourseNotifications(
  deps: Pick<Deps, 'db'>,
  courseId: string,
  page: { offset: number; limit: number },
) {
  const { rows, total } = await pageNotifications(deps.db, courseId, page);
  return { items: rows, total };
}

/** What shows on the course page now. */
export async function courseNotificationsNow(deps: Pick<Deps, 'db' | 'clock'>, courseId: string) {
  return currentNotifications(deps.db, courseId, deps.clock.now());
}
