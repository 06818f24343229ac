import type { Deps } from '../../deps.ts';
import type { Principal } from '../../http/principal.ts';
import type { EventPayload } from '../../jobs/domain-events.ts';
import { announce } from '../messaging/index.ts';
import { dropParticipant } from './assessment.allocate.ts';
import { recomputeGrades } from './assessment.gradebook.ts';
import { NOTIFY_JOB, PHASE_JOB, type PhaseJob, runPhaseJob } from './assessment.phases.ts';
import { findActivity, findSchedule, listActivitiesOfCourse } from './assessment.repository.ts';
import { RECOMPUTE_JOB } from './assessment.work.ts';

const DROP_CONSUMER = 'assessment.on_dropped';

/**
 * The hub itself sends phase notices. Announcements accept an operator as sender (course admins and apps
 * are the others); this principal names the module, holds no token and is never an admin.
 */
const SYSTEM: Principal = { kind: 'operator', tokenId: 'system:assessment', admin: false };

const NOTICE: Record<string, { open: string; close: string }> = {
  Create: { open: 'is open for your work', close: 'is closed for new work; reviews are being allocated' },
  Assess: { open: 'is open for reviews: see the work allocated to you', close: 'is closed for reviews' },
  Reflect: { open: 'is open: read your feedback, rate it and revise your work', close: 'has ended' },
};

/** Tells the course's members that a phase opened or closed (once: the announcement's idempotency key). */
async function notify(deps: Deps, job: { scheduleId: number; action: 'open' | 'close'; at: string }) {
  const schedule = await findSchedule(deps.db, job.scheduleId);
  const activity = schedule ? await findActivity(deps.db, schedule.activityId) : undefined;
  if (!schedule || !activity?.visible) return;
  const what = NOTICE[schedule.phase]?.[job.action] ?? job.action;
  await announce(deps, SYSTEM, activity.courseId, {
    subject: `${activity.title}: ${schedule.phase} ${job.action === 'open' ? 'opened' : 'closed'}`,
    content: `The ${schedule.phase} phase of "${activity.title}" ${what}.\n\n${deps.config.publicUrl}/assessment/${activity.id}`,
    format: 'text',
    idempotencyKey: `assessment:${schedule.id}:${job.action}:${job.at}`,
  });
}

async function onDropped(deps: Deps, payload: EventPayload<'enrolment.dropped'>): Promise<void> {
  for (const activity of await listActivitiesOfCourse(deps.db, payload.course.id)) {
    await dropParticipant(deps, activity.id, payload.user.id);
  }
}

export function registerAssessmentJobs(deps: Deps): void {
  deps.jobs.register<PhaseJob>(PHASE_JOB, (job) => runPhaseJob(deps, job));
  deps.jobs.register<{ scheduleId: number; action: 'open' | 'close'; at: string }>(NOTIFY_JOB, (job) =>
    notify(deps, job),
  );
  deps.jobs.register<{ activityId: number }>(RECOMPUTE_JOB, async ({ activityId }) => {
    await recomputeGrades(deps, activityId);
  });
  deps.domainEvents.subscribe(DROP_CONSUMER, ['enrolment.dropped'], (event) =>
    onDropped(deps, event.payload),
  );
}
