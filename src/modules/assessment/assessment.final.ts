import type { Executor } from '../../db/client.ts';
import type { Deps } from '../../deps.ts';
import { appendDomainEvent, type EventPayload } from '../../jobs/domain-events.ts';
import type { Course } from '../courses/index.ts';
import { type ActivityTarget, publishScore, registerActivityResolver } from '../lti/index.ts';
import { courseFields } from './assessment.events.ts';
import { markFinal } from './assessment.grades.repository.ts';
import { round2 } from './assessment.grades.ts';
import { type ActivityRow, findActivity, type ScheduleRow } from './assessment.repository.ts';

/** How LTI resource links name an activity (the custom parameter `hub_activity=assessment:<id>`). */
export const activityRef = (id: number) => `assessment:${id}`;

/**
 * An activity is over when its last enabled phase has closed: from then on its grades are final, and each
 * change to one (an instructor's grade or override) is a new final version.
 */
export function activityClosed(schedules: readonly ScheduleRow[]): boolean {
  const enabled = schedules.filter((s) => s.enabled).sort((a, b) => a.order - b.order);
  const last = enabled.at(-1);
  return last !== undefined && last.openedAt !== null && last.closedAt !== null;
}

type UserRef = EventPayload<'assessment.graded'>['user'];

export interface FinalCandidate {
  readonly userId: string;
  readonly overall: number | null;
  readonly finalVersion: number;
  readonly finalOverall: number | null;
}

/**
 * Inside the grade transaction of a closed activity: every student whose grade differs from the last final
 * version (or has none yet) gets the next version, an `assessment.graded` event with `final: true`, and an LTI
 * score for each LMS resource link that launched into the activity (queued as a job in this transaction, so
 * the score leaves only if the grade is committed, and once per version). Returns the students finalised.
 */
export async function finaliseGrades(
  tx: Executor,
  deps: Pick<Deps, 'db' | 'ids' | 'clock'>,
  activity: ActivityRow,
  course: Course,
  rows: readonly FinalCandidate[],
  people: ReadonlyMap<string, UserRef>,
): Promise<string[]> {
  const now = deps.clock.now();
  const done: string[] = [];
  for (const row of rows) {
    if (row.overall === null) continue;
    const overall = round2(row.overall);
    const last = row.finalOverall === null ? null : round2(row.finalOverall);
    if (row.finalVersion > 0 && last === overall) continue;
    const person = people.get(row.userId);
    if (!person) continue;
    const version = row.finalVersion + 1;
    // A concurrent run that got there first leaves the row at another version: it published, not us.
    if (!(await markFinal(tx, { activityId: activity.id, userId: row.userId, version, overall, at: now })))
      continue;
    await appendDomainEvent(tx, deps, {
      type: 'assessment.graded',
      subject: `user:${row.userId}`,
      payload: {
        ...courseFields(course),
        activity: { id: activity.id, title: activity.title },
        user: person,
        grade: overall,
        scale: { min: 0, max: 100 },
        final: true,
        version,
      },
    });
    await publishScore(
      { ...deps, db: tx },
      {
        target: { kind: 'activity', ref: activityRef(activity.id) },
        userId: row.userId,
        scoreGiven: overall,
        scoreMaximum: 100,
        activityProgress: 'Completed',
        gradingProgress: 'FullyGraded',
        // One timestamp per version: later versions are later, so the platform keeps the newest.
        timestamp: now,
        comment: version > 1 ? `Grade revised (version ${version})` : undefined,
      },
      tx,
    );
    done.push(row.userId);
  }
  return done;
}

/** Lets LTI resource links launch into activities (`hub_activity=assessment:<id>`), sending people to its page. */
export function registerLtiActivities(deps: Deps): void {
  registerActivityResolver(deps, async (d, ref): Promise<ActivityTarget | undefined> => {
    const m = /^assessment:(\d{1,9})$/.exec(ref);
    const activity = m ? await findActivity(d.db, Number(m[1])) : undefined;
    if (!activity) return undefined;
    return {
      ref: activityRef(activity.id),
      courseId: activity.courseId,
      title: activity.title,
      path: `/assessment/${activity.id}`,
    };
  });
}
