import type { Principal } from '../../http/principal.ts';
import { appendDomainEvent } from '../../jobs/domain-events.ts';
import { getCourseById } from '../courses/index.ts';
import { accessActivity, type Ctx } from './assessment.access.ts';
import { assessmentErrors } from './assessment.errors.ts';
import { courseFields, userRefs } from './assessment.events.ts';
import { activityClosed, finaliseGrades } from './assessment.final.ts';
import {
  findGrades,
  type GradeRow,
  gradeInputs,
  pageGrades,
  setInstructorInputs,
  upsertGrades,
} from './assessment.grades.repository.ts';
import { round2, studentGrades } from './assessment.grades.ts';
import { canGrade, canSeeProgress } from './assessment.policies.ts';
import { listGroupMembers, listSchedules, lockActivity } from './assessment.repository.ts';
import { checkGrade } from './assessment.validation.ts';
import { authorKeyOf } from './assessment.work.ts';

export interface StudentGrade {
  readonly activityId: number;
  readonly userId: string;
  readonly overall: number | null;
  readonly peerMean: number | null;
  readonly peerMedian: number | null;
  readonly peerMode: number | null;
  readonly selfCreate: number | null;
  readonly selfReflect: number | null;
  readonly assess: number | null;
  readonly reflect: number | null;
  readonly instructor: number | null;
  readonly override: number | null;
  /** The activity has closed and this grade is final (it may still be revised by an instructor). */
  readonly final: boolean;
  readonly updatedAt: Date;
}

export const toStudentGrade = (g: GradeRow): StudentGrade => ({
  activityId: g.activityId,
  userId: g.userId,
  overall: g.overall,
  peerMean: g.peerMean,
  peerMedian: g.peerMedian,
  peerMode: g.peerMode,
  selfCreate: g.selfCreate,
  selfReflect: g.selfReflect,
  assess: g.assess,
  reflect: g.reflect,
  instructor: g.instructor,
  override: g.override,
  final: g.finalVersion > 0,
  updatedAt: g.updatedAt,
});

const r2 = (v: number | null) => (v === null ? null : round2(v));

/**
 * Recomputes every participant's grades in an activity from the reviews, ratings, self-assessments and the
 * instructor's inputs, and appends `assessment.graded` for each student whose overall grade changed (so a
 * repeat run emits nothing). Once the activity has closed, grades are final: see finaliseGrades. Runs as the coalescing `assessment.recompute` job, or directly.
 */
export async function recomputeGrades(deps: Ctx, activityId: number): Promise<number> {
  return deps.db.transaction(async (tx) => {
    const activity = await lockActivity(tx, activityId);
    if (!activity) return 0;
    const { submissions, reviews, existing } = await gradeInputs(tx, activity.id);
    const groups = activity.type === 'Group' ? await listGroupMembers(tx, activity.id) : [];
    const membersOf = (authorKey: string) =>
      authorKey.startsWith('group:')
        ? groups.filter((g) => `group:${g.groupId}` === authorKey).map((g) => g.userId)
        : [authorKey];
    const users = new Set<string>(existing.map((e) => e.userId));
    const subOf = new Map<string, (typeof submissions)[number]>();
    for (const s of submissions)
      for (const u of membersOf(s.authorKey)) {
        users.add(u);
        subOf.set(u, s);
      }
    for (const r of reviews) users.add(r.reviewerId);
    const before = new Map(existing.map((e) => [e.userId, e]));
    const now = deps.clock.now();
    const rows = [...users].sort().map((userId) => {
      const sub = subOf.get(userId);
      const received = sub ? reviews.filter((r) => r.submissionId === sub.id && r.submitted) : [];
      const mine = reviews.filter((r) => r.reviewerId === userId && r.submitted);
      const rated = received.filter((r) => r.helpfulness !== null).length;
      const tasks = received.length + 1 + (activity.selfAssessReflect ? 1 : 0);
      const done =
        rated + (sub?.revisedAt ? 1 : 0) + (activity.selfAssessReflect && sub?.selfReflect ? 1 : 0);
      const prior = before.get(userId);
      const g = studentGrades({
        rubric: activity.rubric,
        weights: activity.weights,
        received: received.map((r) => r.scores),
        selfCreate: sub?.selfCreate ?? null,
        selfReflect: sub?.selfReflect ?? null,
        helpfulness: mine.flatMap((r) => (r.helpfulness === null ? [] : [r.helpfulness])),
        reflectDone: sub ? done / tasks : null,
        instructor: prior?.instructor ?? null,
        override: prior?.override ?? null,
      });
      return {
        activityId: activity.id,
        userId,
        peerMean: r2(g.peerMean),
        peerMedian: r2(g.peerMedian),
        peerMode: r2(g.peerMode),
        selfCreate: r2(g.selfCreate),
        selfReflect: r2(g.selfReflect),
        assess: r2(g.assess),
        reflect: r2(g.reflect),
        overall: r2(g.overall),
        updatedAt: now,
      };
    });
    await upsertGrades(tx, rows);
    const closed = activityClosed(await listSchedules(tx, [activity.id]));
    // Stored as real: compare at the precision shown.
    const moved = rows.filter((row) => {
      const old = before.get(row.userId)?.overall ?? null;
      return (old === null ? null : round2(old)) !== row.overall;
    });
    const course = moved.length > 0 || closed ? await getCourseById(deps, activity.courseId) : undefined;
    // A deleted course or account has no one left to tell.
    if (!course) return 0;
    const people = await userRefs(
      deps,
      (closed ? rows : moved).map((r) => r.userId),
    );
    if (closed) {
      // Once the activity is over every change is a final version: one event and one LMS score each.
      const candidates = rows.map((r) => ({
        userId: r.userId,
        overall: r.overall,
        finalVersion: before.get(r.userId)?.finalVersion ?? 0,
        finalOverall: before.get(r.userId)?.finalOverall ?? null,
      }));
      return (await finaliseGrades(tx, deps, activity, course, candidates, people)).length;
    }
    let changed = 0;
    for (const row of moved) {
      const person = people.get(row.userId);
      if (!person) continue;
      changed++;
      await appendDomainEvent(tx, deps, {
        type: 'assessment.graded',
        subject: `user:${row.userId}`,
        payload: {
          ...courseFields(course),
          activity: { id: activity.id, title: activity.title },
          user: person,
          grade: row.overall,
          scale: { min: 0, max: 100 },
          final: false,
        },
      });
    }
    return changed;
  });
}

/** A student's grade in an activity, for other modules (LTI publishes it); undefined until there is one. */
export async function getStudentGrade(
  deps: Pick<Ctx, 'db'>,
  activityId: number,
  userId: string,
): Promise<StudentGrade | undefined> {
  const [row] = await findGrades(deps.db, activityId, [userId]);
  return row ? toStudentGrade(row) : undefined;
}

/** The principal's own grade. */
export async function myGrade(
  deps: Ctx,
  principal: Principal,
  activityId: number,
): Promise<StudentGrade | undefined> {
  const access = await accessActivity(deps, principal, activityId);
  await authorKeyOf(deps, access);
  return getStudentGrade(deps, access.activity.id, access.userId ?? '');
}

/** Every participant's grades (staff). */
export async function listGrades(
  deps: Ctx,
  principal: Principal,
  activityId: number,
): Promise<StudentGrade[]> {
  const access = await accessActivity(deps, principal, activityId);
  if (!canSeeProgress(access.role)) throw assessmentErrors.notInstructor();
  const { rows } = await pageGrades(deps.db, [access.activity.id], { offset: 0, limit: 100_000 });
  return rows.map(toStudentGrade);
}

/** Instructors and graders set the instructor grade and/or an override of the overall grade (null clears). */
export async function setInstructorGrade(
  deps: Ctx,
  principal: Principal,
  activityId: number,
  userId: string,
  input: { instructor?: number | null | undefined; override?: number | null | undefined },
): Promise<StudentGrade | undefined> {
  const access = await accessActivity(deps, principal, activityId);
  if (!canGrade(access.role)) throw assessmentErrors.notInstructor();
  if (!/^[0-9a-f-]{36}$/i.test(userId)) throw assessmentErrors.invalid('user_id', 'is not a user id');
  await setInstructorInputs(deps.db, {
    activityId: access.activity.id,
    userId,
    ...(input.instructor !== undefined ? { instructor: checkGrade('instructor', input.instructor) } : {}),
    ...(input.override !== undefined ? { override: checkGrade('override', input.override) } : {}),
    now: deps.clock.now(),
  });
  await recomputeGrades(deps, access.activity.id);
  return getStudentGrade(deps, access.activity.id, userId);
}

export interface ReportRow extends StudentGrade {
  readonly contentCreate: string | null;
  readonly contentRevise: string | null;
}

/** Report rows of some activities by page, for trusted callers that checked scope (the peerScholar dialect). */
export async function reportPage(
  deps: Pick<Ctx, 'db'>,
  activityIds: readonly number[],
  page: { offset: number; limit: number },
): Promise<{ items: ReportRow[]; total: number }> {
  const { rows, total } = await pageGrades(deps.db, activityIds, page);
  return {
    items: rows.map((r) => ({
      ...toStudentGrade(r),
      contentCreate: r.contentCreate,
      contentRevise: r.contentRevise,
    })),
    total,
  };
}
