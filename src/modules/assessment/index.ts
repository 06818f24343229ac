import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../deps.ts';
import type { AuthenticatorRegistry } from '../../http/auth.ts';
import type { WebhookDeps } from '../badges/index.ts';
import { badgeRuleRoutes } from './assessment.badges.routes.ts';
import { registerBadgeRuleJobs } from './assessment.badges.ts';
import { registerLtiActivities } from './assessment.final.ts';
import { registerAssessmentJobs } from './assessment.jobs.ts';
import { assessmentPages } from './assessment.pages.routes.ts';
import { assessmentRoutes } from './assessment.routes.ts';

export {
  type ActivityInput,
  type ActivityView,
  createActivity,
  getActivity,
  listActivities,
  type PhaseInput,
  updateActivity,
} from './assessment.activities.ts';
export { allocateActivity, getAllocation, reassignReview } from './assessment.allocate.ts';
export { allocate } from './assessment.allocation.ts';
export {
  type BadgeRuleView,
  clearBadgeRule,
  getBadgeRule,
  onGraded,
  setBadgeRule,
} from './assessment.badges.ts';
export { activityClosed, activityRef } from './assessment.final.ts';
export {
  getStudentGrade,
  listGrades,
  myGrade,
  type ReportRow,
  recomputeGrades,
  reportPage,
  type StudentGrade,
  setInstructorGrade,
} from './assessment.gradebook.ts';
export { mean, median, mode, overallGrade, reviewGrade } from './assessment.grades.ts';
export { addGroup } from './assessment.groups.ts';
export { type PendingReviews, pendingReviewsOf } from './assessment.home.ts';
export { changePhase, currentPhase, setPhase } from './assessment.phases.ts';
export { activityProgress, gradesCsv, type Progress } from './assessment.progress.ts';
export {
  type ActivityRecord,
  activityIdsOfCourse,
  findActivityById,
  type ScheduleRecord,
} from './assessment.read.ts';
export { myFeedback, myReviews, rateReview, saveReview } from './assessment.reviews.ts';
export { addFile, getFile, myWork, reviseWork, saveWork } from './assessment.work.ts';

/**
 * Peer assessment: activities with rubrics and Create → Assess → Reflect phases, submissions, allocation,
 * reviews, grades. Other modules read grades with getStudentGrade() and follow `assessment.graded` events.
 */
export async function registerAssessment(
  app: FastifyInstance,
  deps: Deps,
  _auth: AuthenticatorRegistry,
  webhooks: WebhookDeps,
) {
  registerAssessmentJobs(deps);
  registerBadgeRuleJobs(deps, webhooks);
  registerLtiActivities(deps);
  await app.register(assessmentRoutes, { deps });
  await app.register(badgeRuleRoutes, { deps });
  await app.register(assessmentPages, { deps });
}
