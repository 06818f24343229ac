import type { VNode } from 'preact';
import type { Deps } from '../../deps.ts';
import type { Viewer } from '../../web/index.ts';
import { renderFeed } from '../activity/index.ts';
import { type PendingReviews, pendingReviewsOf } from '../assessment/index.ts';
import { type ProfileAward, profileBadges } from '../badges/index.ts';
import { type Course, type CoursesOfUser, coursesOfUser, getCourseById } from '../courses/index.ts';
import { profileUrl, sessionUser, type User } from '../identity/index.ts';
import { listInbox, unreadMessageCount } from '../messaging/index.ts';

/** What the site header needs about the person behind a request: who, and how many messages wait. */
export function siteViewer(deps: Deps) {
  return async (request: Parameters<typeof sessionUser>[1]): Promise<Viewer | undefined> => {
    const user = await sessionUser(deps, request);
    if (!user) return undefined;
    return { username: user.username, name: user.name, unread: await unreadMessageCount(deps, user.id) };
  };
}

export interface DashboardMessage {
  readonly id: string;
  readonly subject: string;
  readonly read: boolean;
  readonly createdAt: Date;
}

export interface Dashboard {
  readonly user: User;
  readonly courses: CoursesOfUser;
  readonly messages: readonly DashboardMessage[];
  readonly unread: number;
  readonly badges: readonly ProfileAward[];
  readonly reviews: readonly (PendingReviews & { course: Course | undefined })[];
  readonly activity: VNode;
}

const MESSAGES = 5;
const BADGES = 4;

/**
 * A signed-in person's home: their courses and classes, newest messages, latest badges, peer reviews waiting
 * for them and the activity around them. Composed from the modules' own reads; each part is bounded.
 */
export async function dashboardOf(deps: Deps, user: User): Promise<Dashboard> {
  const [courses, inbox, awards, pending, activity] = await Promise.all([
    coursesOfUser(deps, user.id),
    listInbox(deps, user.id, { limit: MESSAGES }),
    profileBadges(deps, user),
    pendingReviewsOf(deps, user.id),
    renderFeed(deps, profileUrl(deps.config, user.username), user),
  ]);
  const reviews = await Promise.all(
    pending.map(async (p) => ({ ...p, course: await getCourseById(deps, p.courseId) })),
  );
  const badges = [...awards].sort((a, b) => b.issued_on.localeCompare(a.issued_on)).slice(0, BADGES);
  return {
    user,
    courses,
    messages: inbox.messages.map((m) => ({
      id: m.id,
      subject: m.subject,
      read: m.readAt !== null,
      createdAt: m.createdAt,
    })),
    unread: inbox.unreadCount,
    badges,
    reviews,
    activity,
  };
}
