import type { Principal } from '../../http/principal.ts';
import { toCsv } from '../../lib/csv.ts';
import { pageCourseMembers } from '../courses/index.ts';
import { getUsersByIds } from '../identity/index.ts';
import { accessActivity, type Ctx } from './assessment.access.ts';
import { assessmentErrors } from './assessment.errors.ts';
import { activityClosed } from './assessment.final.ts';
import { findGrades, pageGrades } from './assessment.grades.repository.ts';
import { currentPhase } from './assessment.phases.ts';
import { canSeeProgress } from './assessment.policies.ts';
import {
  listGroupMembers,
  listReviewsOfActivity,
  listSchedules,
  listSubmissions,
} from './assessment.repository.ts';

export interface ProgressRow {
  readonly userId: string;
  readonly name: string;
  readonly username: string;
  readonly submitted: boolean;
  readonly late: boolean;
  readonly reviewsDone: number;
  readonly reviewsAllocated: number;
  readonly reflected: boolean;
  readonly overall: number | null;
  readonly final: boolean;
  /** What an instructor should look at: late work, missing reviews, no submission once Create is over. */
  readonly flags: readonly string[];
}

export interface Progress {
  readonly phase: string | null;
  readonly closed: boolean;
  readonly counts: { students: number; submitted: number; reviewed: number; reflected: number };
  readonly rows: readonly ProgressRow[];
}

const MAX_STUDENTS = 5000;

/** Per-student progress of an activity, for its instructors, graders and builders. */
export async function activityProgress(
  deps: Ctx,
  principal: Principal,
  activityId: number,
): Promise<Progress> {
  const access = await accessActivity(deps, principal, activityId);
  if (!canSeeProgress(access.role)) throw assessmentErrors.notInstructor();
  const { activity } = access;
  const schedules = await listSchedules(deps.db, [activity.id]);
  const members = (await pageCourseMembers(deps, activity.courseId, { offset: 0, limit: MAX_STUDENTS }))
    .items;
  const studentIds = members
    .filter((m) => m.role === 'Student' && m.status === 'active')
    .map((m) => m.userId);
  const users = await getUsersByIds(deps, studentIds);
  const submissions = await listSubmissions(deps.db, activity.id, { submittedOnly: false });
  const groups = activity.type === 'Group' ? await listGroupMembers(deps.db, activity.id) : [];
  const keyOf = (userId: string) => {
    const g = groups.find((m) => m.userId === userId);
    return g ? `group:${g.groupId}` : userId;
  };
  const reviews = await listReviewsOfActivity(deps.db, activity.id);
  const grades = new Map((await findGrades(deps.db, activity.id, studentIds)).map((g) => [g.userId, g]));
  const phase = currentPhase(schedules)?.phase ?? null;
  const createOver = schedules.some((s) => s.phase === 'Create' && s.closedAt !== null);
  const rows = studentIds
    .map((userId): ProgressRow => {
      const sub = submissions.find((s) => s.authorKey === keyOf(userId));
      const mine = reviews.filter((r) => r.reviewerId === userId);
      const done = mine.filter((r) => r.status === 'submitted').length;
      const grade = grades.get(userId);
      const submitted = sub?.status === 'submitted';
      const flags = [
        ...(sub?.late ? ['late'] : []),
        ...(!submitted && createOver ? ['no work'] : []),
        ...(done < mine.length && phase !== 'Assess' && phase !== 'Create' && mine.length > 0
          ? ['reviews missing']
          : []),
      ];
      const user = users.get(userId);
      return {
        userId,
        name: user?.name ?? '(deleted account)',
        username: user?.username ?? '',
        submitted,
        late: sub?.late ?? false,
        reviewsDone: done,
        reviewsAllocated: mine.length,
        reflected: sub?.revisedAt != null,
        overall: grade?.overall ?? null,
        final: (grade?.finalVersion ?? 0) > 0,
        flags,
      };
    })
    .sort((a, b) => a.name.localeCompare(b.name) || a.userId.localeCompare(b.userId));
  return {
    phase,
    closed: activityClosed(schedules),
    counts: {
      students: rows.length,
      submitted: rows.filter((r) => r.submitted).length,
      reviewed: rows.filter((r) => r.reviewsAllocated > 0 && r.reviewsDone === r.reviewsAllocated).length,
      reflected: rows.filter((r) => r.reflected).length,
    },
    rows,
  };
}

const round = (v: number | null) => (v === null ? null : Math.round(v * 100) / 100);

/** The grades of an activity as CSV (staff): one row per student with a grade, every part of it. */
export async function gradesCsv(deps: Ctx, principal: Principal, activityId: number): Promise<string> {
  const access = await accessActivity(deps, principal, activityId);
  if (!canSeeProgress(access.role)) throw assessmentErrors.notInstructor();
  const { rows } = await pageGrades(deps.db, [access.activity.id], { offset: 0, limit: 100_000 });
  const users = await getUsersByIds(
    deps,
    rows.map((r) => r.userId),
  );
  const header = [
    'name',
    'username',
    'email',
    'overall',
    'final',
    'peer_mean',
    'peer_median',
    'peer_mode',
    'self_create',
    'self_reflect',
    'assess',
    'reflect',
    'instructor',
    'override',
  ];
  const lines = rows
    .map((g) => {
      const u = users.get(g.userId);
      return [
        u?.name ?? '',
        u?.username ?? '',
        u?.email ?? '',
        round(g.overall),
        g.finalVersion > 0 ? 'yes' : 'no',
        round(g.peerMean),
        round(g.peerMedian),
        round(g.peerMode),
        round(g.selfCreate),
        round(g.selfReflect),
        round(g.assess),
        round(g.reflect),
        round(g.instructor),
        round(g.override),
      ];
    })
    .sort((a, b) => String(a[0]).localeCompare(String(b[0])));
  return toCsv([header, ...lines]);
}
