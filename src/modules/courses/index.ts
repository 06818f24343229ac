import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../deps.ts';
import type { AuthenticatorRegistry } from '../../http/auth.ts';
import { enrolmentRoutes } from './courses.enrolment.routes.ts';
import { authenticateInstitutionBasic } from './courses.institutions.ts';
import { registerCourseJobs } from './courses.jobs.ts';
import { coursePages } from './courses.pages.tsx';
import { courseRoutes } from './courses.routes.ts';

export { type BulkJob, getBulkJob, startBulk } from './courses.bulk.ts';

export {
  addCourseAdminByEmail,
  type ClassInput,
  type CourseClass,
  createClass,
  getClassByPath,
  listCourseAdminEmails,
  listCourseClasses,
  updateClass,
} from './courses.classes.ts';
export {
  dropMember,
  dropMemberInTx,
  enrolWithRole,
  joinCourse,
  listCourseMembers,
  type Membership,
} from './courses.enrolment.ts';
export { courseErrors } from './courses.errors.ts';
export { type CoursesOfUser, coursesOfUser } from './courses.home.ts';
export {
  addInstitutionAdmin,
  authenticateOpenLearning,
  createInstitution,
  institutionFor,
  listInstitutionEnrolments,
  setGenerateAccounts,
} from './courses.institutions.ts';
export {
  type CourseMember,
  type CourseScope,
  getCourseInScope,
  getCourseMember,
  pageCourseMembers,
  pageCourses,
} from './courses.listing.ts';
export { listMyInstitutionCourses } from './courses.mycourses.ts';
export {
  type CoursePageLookup,
  courseHref,
  lookupCoursePage,
  type PageCourse,
} from './courses.pages.data.ts';
export { signInAs } from './courses.people.ts';
export { courseLogin, signRequest, verifySignedRequest } from './courses.sso.ts';
export {
  type Course,
  type CourseInput,
  createCourse,
  deleteCourse,
  getCourseById,
  getCourseByPath,
  isCourseAdmin,
  listActiveMemberIds,
  resolveCourseRef,
  updateCourse,
} from './courses.usecases.ts';
export type { Role as CourseRole } from './courses.validation.ts';

/** The course register, classes, enrolment and institutions (the OpenLearning dialect builds on these). */
export async function registerCourses(app: FastifyInstance, deps: Deps, auth: AuthenticatorRegistry) {
  // HTTP Basic with an institution API key (`ol_…:secret`); anything else is left to other authenticators.
  auth.add({
    name: 'institution-basic',
    authenticate: (request) => authenticateInstitutionBasic(deps, request.headers.authorization),
  });
  registerCourseJobs(deps);
  await app.register(courseRoutes, { deps });
  await app.register(enrolmentRoutes, { deps });
  await app.register(coursePages, { deps });
}
