import type { ActivityRecord, ReportRow, ScheduleRecord } from '../../modules/assessment/index.ts';
import type { Course, CourseMember } from '../../modules/courses/index.ts';
import type { CourseNotification } from '../../modules/platforms/index.ts';
import { bit, type ReportField, unix } from './peerscholar.wire.ts';

/** The seed's Course Object. `code` is the course's shortcode (or path), `subject` its category. */
export const courseObject = (c: Course, id: number) => ({
  id,
  title: c.title,
  nickname: c.shortcode ?? c.path,
  description: c.description,
  code: c.shortcode ?? c.path,
  subject: c.category ?? '',
  createdDate: unix(c.createdAt),
  startDate: unix(c.startsAt),
  endDate: unix(c.endsAt),
});

const ROLES = new Set(['Student', 'Instructor', 'Grader', 'Builder']);

export const memberObject = (m: CourseMember, id: number, accountId: number) => ({
  id,
  role: ROLES.has(m.role) ? m.role : 'Student',
  account_id: String(accountId),
  accessed: unix(m.lastAccessAt),
  status: bit(m.status === 'active'),
  enabled: bit(m.enabled),
});

/** `id` is the notification's own id (the seed's "course id" there is a slip). */
export const notificationObject = (n: CourseNotification, courseId: number) => ({
  id: n.id,
  course_id: String(courseId),
  activity_id: n.activityId === null ? null : String(n.activityId),
  account_id: null,
  createdDate: unix(n.createdAt),
  startDate: unix(n.startsAt),
  endDate: unix(n.endsAt),
  content: n.content,
});

export const activityObject = (a: ActivityRecord & { schedules: ScheduleRecord[] }, courseId: number) => ({
  id: a.id,
  course_id: String(courseId),
  title: a.title,
  type: a.type,
  nickname: a.nickname,
  description: a.description,
  visible: bit(a.visible),
  createdDate: unix(a.createdAt),
  schedule: a.schedules.map((s) => s.id),
});

/** Manual phases report when they were opened/closed; scheduled phases their planned times. */
export const scheduleObject = (s: ScheduleRecord) => ({
  id: s.id,
  activity_id: s.activityId,
  phase: s.phase,
  manual: bit(s.manual),
  startDate: unix(s.manual ? s.openedAt : s.startsAt),
  endDate: unix(s.manual ? s.closedAt : s.endsAt),
  order: s.order,
  enabled: bit(s.enabled),
});

function value(r: ReportRow, field: ReportField): number | string | null {
  switch (field) {
    case 'grade_overall':
      return r.overall;
    case 'grade_instuctor':
    case 'grade_instructor':
      return r.instructor;
    case 'grade_peer_mean':
      return r.peerMean;
    case 'grade_peer_median':
      return r.peerMedian;
    case 'grade_peer_mode':
      return r.peerMode;
    case 'grade_self_create':
      return r.selfCreate;
    case 'grade_self_reflect':
      return r.selfReflect;
    case 'content_create':
      return r.contentCreate;
    case 'content_revise':
      return r.contentRevise;
  }
}

/** The Report Object: account and activity, then each field asked for, under the name it was asked by. */
export function reportObject(r: ReportRow, accountId: number, fields: readonly ReportField[]) {
  const out: Record<string, number | string | null> = {
    account_id: accountId,
    activity_id: String(r.activityId),
  };
  for (const f of fields) out[f] = value(r, f);
  return out;
}
