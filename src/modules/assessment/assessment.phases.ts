import type { Executor } from '../../db/client.ts';
import type { Deps } from '../../deps.ts';
import type { Principal } from '../../http/principal.ts';
import { appendDomainEvent } from '../../jobs/domain-events.ts';
import { enqueue } from '../../jobs/enqueue.ts';
import { getCourseById } from '../courses/index.ts';
import { accessActivity, type Ctx } from './assessment.access.ts';
import { allocateInTx } from './assessment.allocate.ts';
import { assessmentErrors } from './assessment.errors.ts';
import { courseFields } from './assessment.events.ts';
import { activityClosed } from './assessment.final.ts';
import { canEditActivity } from './assessment.policies.ts';
import {
  findActivity,
  findSchedule,
  listSchedules,
  markSchedule,
  type ScheduleRow,
} from './assessment.repository.ts';
import type { Phase } from './assessment.validation.ts';
import { queueRecompute } from './assessment.work.ts';

export const PHASE_JOB = 'assessment.phase';
export const NOTIFY_JOB = 'assessment.notify';

export interface PhaseJob {
  readonly scheduleId: number;
  readonly action: 'open' | 'close';
  /** The time the job was planned for: a job planned for a time the schedule no longer has does nothing. */
  readonly at: string;
}

/**
 * Plans a scheduled phase's opening and closing as jobs that run at those times. The job key is per schedule
 * and action, so a schedule edited later replaces its pending jobs instead of adding more.
 */
export async function schedulePhaseJobs(tx: Executor, s: ScheduleRow): Promise<void> {
  if (s.manual || !s.enabled) return;
  for (const [action, when] of [
    ['open', s.startsAt],
    ['close', s.endsAt],
  ] as const) {
    if (!when) continue;
    const job: PhaseJob = { scheduleId: s.id, action, at: when.toISOString() };
    await enqueue(tx, PHASE_JOB, job, {
      jobKey: `${PHASE_JOB}:${s.id}:${action}`,
      runAt: when,
      maxAttempts: 10,
    });
  }
}

/** The phase open now, if any (phases change only through changePhase, on time or by an instructor). */
export function currentPhase(schedules: readonly ScheduleRow[]): ScheduleRow | undefined {
  return schedules.find((s) => s.enabled && s.openedAt !== null && s.closedAt === null);
}

export function isOpen(schedules: readonly ScheduleRow[], phase: Phase): boolean {
  return currentPhase(schedules)?.phase === phase;
}

/**
 * Opens or closes a phase once: a repeat (a retried job, a second click) finds it done and does nothing.
 * Opening a phase closes whichever other phase is open (phases follow each other). Closing Create, or opening
 * Assess, allocates the reviews if that has not happened. Each change is a domain event and a notification
 * job, in the same transaction.
 */
export async function changePhase(
  deps: Ctx,
  scheduleId: number,
  action: 'open' | 'close',
): Promise<ScheduleRow | undefined> {
  return deps.db.transaction(async (tx) => {
    const schedule = await findSchedule(tx, scheduleId);
    if (!schedule) return undefined;
    const activity = await findActivity(tx, schedule.activityId);
    if (!activity) return undefined;
    const now = deps.clock.now();
    const course = await getCourseById(deps, activity.courseId);
    if (!course) return undefined;
    const changed: ScheduleRow[] = [];
    if (action === 'open') {
      for (const other of await listSchedules(tx, [activity.id])) {
        if (other.id !== schedule.id && other.openedAt && !other.closedAt) {
          const closed = await markSchedule(tx, other.id, 'close', now);
          if (closed) changed.push(closed);
        }
      }
    }
    const row = await markSchedule(tx, schedule.id, action, now);
    if (row) changed.push(row);
    for (const s of changed) {
      const opened = s.id === schedule.id && action === 'open';
      await appendDomainEvent(tx, deps, {
        type: opened ? 'assessment.phase_opened' : 'assessment.phase_closed',
        subject: `course:${activity.courseId}`,
        payload: {
          ...courseFields(course),
          activity: { id: activity.id, title: activity.title },
          phase: s.phase,
        },
      });
      await enqueue(
        tx,
        NOTIFY_JOB,
        { scheduleId: s.id, action: opened ? 'open' : 'close', at: now.toISOString() },
        { jobKey: `${NOTIFY_JOB}:${s.id}:${opened ? 'open' : 'close'}` },
      );
      const allocates = (s.phase === 'Create' && !opened) || (s.phase === 'Assess' && opened);
      if (allocates && !activity.allocatedAt) await allocateInTx(tx, deps, activity.id, { late: false });
    }
    // The last phase closed: the grades become final (and go to LMS gradebooks) in the recompute job.
    if (changed.length > 0 && activityClosed(await listSchedules(tx, [activity.id])))
      await queueRecompute(tx, activity.id);
    return row ?? undefined;
  });
}

/** The job: runs when a scheduled phase is due; a stale job (schedule changed since) does nothing. */
export async function runPhaseJob(deps: Ctx, job: PhaseJob): Promise<void> {
  const s = await findSchedule(deps.db, job.scheduleId);
  if (!s || s.manual || !s.enabled) return;
  const planned = job.action === 'open' ? s.startsAt : s.endsAt;
  if (!planned || planned.toISOString() !== job.at) return;
  await changePhase(deps, s.id, job.action);
}

/** An instructor opens or closes a phase by hand. */
export async function setPhase(
  deps: Ctx,
  principal: Principal,
  activityId: number,
  phase: Phase,
  action: 'open' | 'close',
): Promise<ScheduleRow[]> {
  const { activity, role } = await accessActivity(deps, principal, activityId);
  if (!canEditActivity(role)) throw assessmentErrors.notInstructor();
  const schedule = (await listSchedules(deps.db, [activity.id])).find((s) => s.phase === phase);
  if (!schedule?.enabled) throw assessmentErrors.invalid('phase', `${phase} is not enabled in this activity`);
  await changePhase(deps, schedule.id, action);
  return listSchedules(deps.db, [activity.id]);
}

export type NotifyDeps = Deps;
