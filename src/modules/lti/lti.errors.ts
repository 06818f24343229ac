import { AppError, type ErrorCode, errors } from '../../errors/index.ts';

/** Admin API / CLI errors (problem+json). */
export const ltiErrors = {
  invalid: (field: string, reason: string) =>
    errors.badRequest('lti.invalid', `${field}: ${reason}`, { errors: [{ field, message: reason }] }),
  platformNotFound: () => errors.notFound('lti.platform_not_found', 'No such LTI platform registration.'),
  contextNotFound: () => errors.notFound('lti.context_not_found', 'No such linked LMS context.'),
  platformExists: () =>
    errors.conflict(
      'lti.platform_exists',
      'A registration for this issuer and client id already exists; update it instead.',
    ),
  notAllowed: () => errors.forbidden('lti.not_allowed', 'Only hub operators may manage LTI registrations.'),
  noSigningKey: () =>
    new AppError('lti.no_signing_key', 'The tool has no active signing key; run `learnhub lti keys rotate`.'),
};

/**
 * A launch refused. `person` is what the learner or teacher reads on the page (what failed, what to tell
 * their teacher); `detail` is the operator's log line, never shown (it may name keys, claims and URLs).
 */
export class LaunchError extends AppError {
  constructor(
    code: ErrorCode,
    readonly person: string,
    readonly detail: string,
  ) {
    super(code, person);
  }
}

const TELL_TEACHER = 'Please tell your teacher or the LMS administrator, and include the error code below.';
const TRY_AGAIN = 'Go back to your course in the LMS and open the link again.';

export const launchErrors = {
  badRequest: (detail: string) =>
    new LaunchError('lti.bad_request', `The LMS sent an incomplete launch request. ${TELL_TEACHER}`, detail),
  unknownPlatform: (detail: string) =>
    new LaunchError(
      'lti.unknown_platform',
      `This LMS is not registered with the hub, so it cannot sign you in. ${TELL_TEACHER}`,
      detail,
    ),
  unknownDeployment: (detail: string) =>
    new LaunchError(
      'lti.unknown_deployment',
      `This LMS installation (deployment) is not registered with the hub. ${TELL_TEACHER}`,
      detail,
    ),
  badState: (detail: string) =>
    new LaunchError(
      'lti.bad_state',
      `This sign-in could not be matched to your browser: it was started elsewhere, expired, or was already used. ${TRY_AGAIN}`,
      detail,
    ),
  badToken: (detail: string) =>
    new LaunchError(
      'lti.bad_token',
      `The LMS's sign-in message could not be verified, so you were not signed in. ${TELL_TEACHER}`,
      detail,
    ),
  platformKeys: (detail: string) =>
    new LaunchError(
      'lti.platform_keys_unavailable',
      "The hub could not fetch the LMS's signing keys to check this launch. Try again in a minute; if it keeps happening, tell your teacher or the LMS administrator, with the error code below.",
      detail,
    ),
  replay: (detail: string) =>
    new LaunchError('lti.replayed', `This sign-in message was already used once. ${TRY_AGAIN}`, detail),
  missingClaim: (detail: string) =>
    new LaunchError(
      'lti.missing_claim',
      `The LMS's launch is missing information the hub needs. ${TELL_TEACHER}`,
      detail,
    ),
  unlinkedContext: (detail: string) =>
    new LaunchError(
      'lti.unlinked_context',
      'This LMS course is not connected to a course on the hub yet. Ask your teacher to connect it (a hub operator can link it, or allow courses to be created on the first launch).',
      detail,
    ),
  accountConflict: (detail: string) =>
    new LaunchError(
      'lti.account_conflict',
      'A hub account already uses your email address, and this LMS is not allowed to sign into it. Sign in to the hub directly, or ask the hub operator to allow linking by email.',
      detail,
    ),
  notFound: (detail: string) =>
    new LaunchError(
      'lti.target_not_found',
      `The course or activity this link points to no longer exists on the hub. ${TELL_TEACHER}`,
      detail,
    ),
};
