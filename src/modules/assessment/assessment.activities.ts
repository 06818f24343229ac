import type { Principal } from '../../http/principal.ts';
import { appendDomainEvent } from '../../jobs/domain-events.ts';
import { getCourseById } from '../courses/index.ts';
import { accessActivity, type Ctx, roleIn } from './assessment.access.ts';
import { assessmentErrors } from './assessment.errors.ts';
import { courseFields } from './assessment.events.ts';
import type { Weights } from './assessment.grades.ts';
import { schedulePhaseJobs } from './assessment.phases.ts';
import { type ActivityRole, canEditActivity, canSeeActivity } from './assessment.policies.ts';
import {
  type ActivityRow,
  insertActivity,
  listActivitiesOfCourse,
  listSchedules,
  type ScheduleRow,
  updateActivityRow,
  upsertSchedule,
} from './assessment.repository.ts';
import {
  type CriterionInput,
  checkAnonymity,
  checkK,
  checkRubric,
  checkText,
  checkTitle,
  checkType,
  checkWeights,
  PHASES,
  type Phase,
} from './assessment.validation.ts';

export interface ActivityInput {
  readonly title?: string | undefined;
  readonly nickname?: string | undefined;
  readonly description?: string | undefined;
  readonly instructions?: string | undefined;
  readonly type?: string | undefined;
  readonly visible?: boolean | undefined;
  readonly rubric?: readonly CriterionInput[] | undefined;
  readonly weights?: Partial<Weights> | undefined;
  readonly prompts?: readonly string[] | undefined;
  readonly reviewersPerSubmission?: number | undefined;
  readonly anonymity?: string | undefined;
  readonly selfAssessCreate?: boolean | undefined;
  readonly selfAssessReflect?: boolean | undefined;
  readonly allowLate?: boolean | undefined;
}

export interface PhaseInput {
  readonly phase: Phase;
  readonly manual: boolean;
  readonly startsAt: Date | null;
  readonly endsAt: Date | null;
  readonly enabled: boolean;
}

export interface ActivityView extends ActivityRow {
  readonly schedules: ScheduleRow[];
}

function normalise(input: ActivityInput) {
  return {
    ...(input.title !== undefined ? { title: checkTitle('title', input.title) } : {}),
    ...(input.nickname !== undefined ? { nickname: checkText('nickname', input.nickname.trim(), 100) } : {}),
    ...(input.description !== undefined
      ? { description: checkText('description', input.description, 20_000) }
      : {}),
    ...(input.instructions !== undefined
      ? { instructions: checkText('instructions', input.instructions, 50_000) }
      : {}),
    ...(input.type !== undefined ? { type: checkType(input.type) } : {}),
    ...(input.visible !== undefined ? { visible: input.visible } : {}),
    ...(input.rubric !== undefined ? { rubric: checkRubric(input.rubric) } : {}),
    ...(input.weights !== undefined ? { weights: checkWeights(input.weights) } : {}),
    ...(input.prompts !== undefined
      ? { prompts: input.prompts.slice(0, 50).map((p, i) => checkTitle(`prompts[${i}]`, p, 5000)) }
      : {}),
    ...(input.reviewersPerSubmission !== undefined
      ? { reviewersPerSubmission: checkK(input.reviewersPerSubmission) }
      : {}),
    ...(input.anonymity !== undefined ? { anonymity: checkAnonymity(input.anonymity) } : {}),
    ...(input.selfAssessCreate !== undefined ? { selfAssessCreate: input.selfAssessCreate } : {}),
    ...(input.selfAssessReflect !== undefined ? { selfAssessReflect: input.selfAssessReflect } : {}),
    ...(input.allowLate !== undefined ? { allowLate: input.allowLate } : {}),
  };
}

function checkPhases(phases: readonly PhaseInput[]): PhaseInput[] {
  const seen = new Set<string>();
  let previousEnd: Date | null = null;
  const ordered = [...phases].sort((a, b) => PHASES.indexOf(a.phase) - PHASES.indexOf(b.phase));
  for (const p of ordered) {
    if (!PHASES.includes(p.phase))
      throw assessmentErrors.invalid('schedule.phase', `must be one of ${PHASES.join(', ')}`);
    if (seen.has(p.phase)) throw assessmentErrors.invalid('schedule', `${p.phase} is given twice`);
    seen.add(p.phase);
    if (!p.manual && (!p.startsAt || !p.endsAt))
      throw assessmentErrors.invalid(`schedule.${p.phase}`, 'a scheduled phase needs a start and an end');
    if (p.startsAt && p.endsAt && p.endsAt <= p.startsAt)
      throw assessmentErrors.invalid(`schedule.${p.phase}`, 'ends before it starts');
    // Phases are ordered: a scheduled phase may not start before the previous one ends.
    if (p.startsAt && previousEnd && p.startsAt < previousEnd)
      throw assessmentErrors.invalid(`schedule.${p.phase}`, 'starts before the previous phase ends');
    if (p.endsAt) previousEnd = p.endsAt;
  }
  return ordered;
}

/** Creates an activity in a course (instructors and builders); phases default to manual, not yet open. */
export async function createActivity(
  deps: Ctx,
  principal: Principal,
  courseId: string,
  input: ActivityInput & { schedule?: readonly PhaseInput[] | undefined },
): Promise<ActivityView> {
  const course = await getCourseById(deps, courseId);
  if (!course) throw assessmentErrors.courseNotFound();
  const role = await roleIn(deps, course, principal);
  if (!canEditActivity(role)) throw assessmentErrors.notInstructor();
  const values = normalise(input);
  if (!values.title) throw assessmentErrors.invalid('title', 'is required');
  if (!values.rubric) throw assessmentErrors.invalid('rubric', 'is required');
  const phases = checkPhases(
    input.schedule ??
      PHASES.map((phase) => ({ phase, manual: true, startsAt: null, endsAt: null, enabled: true })),
  );
  const now = deps.clock.now();
  return deps.db.transaction(async (tx) => {
    const row = await insertActivity(tx, {
      courseId: course.id,
      title: values.title ?? '',
      rubric: values.rubric ?? [],
      weights: values.weights ?? checkWeights(undefined),
      ...values,
      allocationSeed: deps.ids.token(12),
      createdBy: principal.kind === 'user' || principal.kind === 'app_user' ? principal.userId : null,
      createdAt: now,
      updatedAt: now,
    });
    const schedules: ScheduleRow[] = [];
    for (const p of phases) {
      const saved = await upsertSchedule(tx, {
        activityId: row.id,
        ...p,
        order: PHASES.indexOf(p.phase) + 1,
      });
      schedules.push(saved);
      await schedulePhaseJobs(tx, saved);
    }
    await appendDomainEvent(tx, deps, {
      type: 'assessment.activity_created',
      subject: `course:${course.id}`,
      payload: { ...courseFields(course), activity: { id: row.id, title: row.title } },
    });
    return { ...row, schedules };
  });
}

export async function updateActivity(
  deps: Ctx,
  principal: Principal,
  id: number,
  input: ActivityInput & { schedule?: readonly PhaseInput[] | undefined },
): Promise<ActivityView> {
  const { activity, role } = await accessActivity(deps, principal, id);
  if (!canEditActivity(role)) throw assessmentErrors.notInstructor();
  const values = normalise(input);
  const phases = input.schedule ? checkPhases(input.schedule) : undefined;
  return deps.db.transaction(async (tx) => {
    const row = await updateActivityRow(tx, activity.id, { ...values, updatedAt: deps.clock.now() });
    if (!row) throw assessmentErrors.notFound();
    for (const p of phases ?? []) {
      const saved = await upsertSchedule(tx, {
        activityId: row.id,
        ...p,
        order: PHASES.indexOf(p.phase) + 1,
      });
      await schedulePhaseJobs(tx, saved);
    }
    return { ...row, schedules: await listSchedules(tx, [row.id]) };
  });
}

export async function getActivity(
  deps: Ctx,
  principal: Principal,
  id: number,
): Promise<ActivityView & { role: ActivityRole }> {
  const { activity, role } = await accessActivity(deps, principal, id);
  return { ...activity, schedules: await listSchedules(deps.db, [activity.id]), role };
}

export async function listActivities(
  deps: Ctx,
  principal: Principal,
  courseId: string,
): Promise<ActivityView[]> {
  const course = await getCourseById(deps, courseId);
  if (!course) throw assessmentErrors.courseNotFound();
  const role = await roleIn(deps, course, principal);
  if (role === 'none') throw assessmentErrors.courseNotFound();
  const rows = (await listActivitiesOfCourse(deps.db, course.id)).filter((a) =>
    canSeeActivity(role, a.visible),
  );
  const schedules = await listSchedules(
    deps.db,
    rows.map((r) => r.id),
  );
  return rows.map((r) => ({ ...r, schedules: schedules.filter((s) => s.activityId === r.id) }));
}
