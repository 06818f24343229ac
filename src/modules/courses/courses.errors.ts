import { AppError, errors } from '../../errors/index.ts';

const invalid = (field: string, message: string) =>
  new AppError('courses.invalid_input', `${field}: ${message}`, {
    details: { errors: [{ field, message }] },
  });

export const courseErrors = {
  invalid,
  notFound: () => errors.notFound('courses.not_found', 'No such course.'),
  classNotFound: () => errors.notFound('courses.class_not_found', 'No such class.'),
  institutionNotFound: () => errors.notFound('courses.institution_not_found', 'No such institution.'),
  userNotFound: (email: string) =>
    errors.notFound('courses.user_not_found', `No hub account has the email address ${email}.`),
  jobNotFound: () => errors.notFound('courses.job_not_found', 'No such job.'),
  notOwner: () =>
    errors.forbidden('courses.not_owner', 'Only the owner of this course or its admins may do this.'),
  notInstitutionAdmin: () =>
    errors.forbidden('courses.not_institution_admin', 'Only an admin of this institution may do this.'),
  pathTaken: (path: string) => errors.conflict('courses.path_taken', `The course path ${path} is taken.`),
  classPathTaken: (path: string) =>
    errors.conflict('courses.class_path_taken', `The class path ${path} is taken.`),
  shortcodeTaken: (code: string) =>
    errors.conflict('courses.shortcode_taken', `You already have a course with the shortcode ${code}.`),
  closed: () => errors.forbidden('courses.class_closed', 'This class is not open for enrolment.'),
  inviteOnly: () => errors.forbidden('courses.invite_only', 'This class is by invitation only.'),
  emailUnverified: () =>
    errors.forbidden(
      'courses.email_unverified',
      'Confirm your email address first: an invitation counts once the address is proven to be yours.',
    ),
  badActivationCode: () =>
    errors.forbidden('courses.bad_activation_code', 'activation_code: is missing or wrong for this class.'),
  notMember: () => errors.notFound('courses.not_member', 'That person is not a member of this course.'),
  noOwner: () =>
    errors.forbidden(
      'courses.no_owner',
      'A course must be owned by an app, an institution or a signed-in user.',
    ),
  invalidKey: () =>
    new AppError('courses.invalid_credentials', 'The username or password is wrong.', {
      headers: { 'www-authenticate': 'Basic realm="openlearning"' },
    }),
  badSignedRequest: (why: string) => new AppError('courses.bad_signed_request', `signed_request: ${why}`),
  ssoRefused: (why: string) => errors.forbidden('courses.sso_refused', why),
};
