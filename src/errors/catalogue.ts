/**
 * The one catalogue of error codes. Every AppError carries one of these codes; its HTTP status and its
 * problem+json `title` come from here, so the status always matches the code. Dialects map codes to their
 * seed's wire shapes with `Record<ErrorCode...>`-typed tables, so renaming or removing a code here is a
 * compile error in every dialect that mentions it (src/dialects/kit/errors.ts).
 *
 * Adding a code: add one line in its domain's group, '<domain>.<reason>' with the status and a short title.
 */
export const catalogue = {
  // activity
  'activity.actor_not_found': { status: 404, title: 'Activity: actor not found' },
  'activity.deleted': { status: 410, title: 'Activity: deleted' },
  'activity.invalid_noun': { status: 400, title: 'Activity: invalid noun' },
  'activity.invalid_published': { status: 400, title: 'Activity: invalid published' },
  'activity.invalid_url': { status: 400, title: 'Activity: invalid url' },
  'activity.not_found': { status: 404, title: 'Activity: not found' },
  'activity.not_permitted': { status: 403, title: 'Activity: not permitted' },
  // admin
  'admin.invalid_expiry': { status: 400, title: 'Admin: invalid expiry' },
  'admin.invalid_token': { status: 401, title: 'Admin: invalid token' },
  'admin.not_admin': { status: 403, title: 'Admin: not admin' },
  // assessment
  'assessment.already_submitted': { status: 409, title: 'Assessment: already submitted' },
  'assessment.course_not_found': { status: 404, title: 'Assessment: course not found' },
  'assessment.file_not_found': { status: 404, title: 'Assessment: file not found' },
  'assessment.file_rejected': { status: 400, title: 'Assessment: file rejected' },
  'assessment.file_too_large': { status: 413, title: 'Assessment: file too large' },
  'assessment.invalid_input': { status: 400, title: 'Assessment: invalid input' },
  'assessment.not_found': { status: 404, title: 'Assessment: not found' },
  'assessment.not_in_group': { status: 403, title: 'Assessment: not in group' },
  'assessment.not_instructor': { status: 403, title: 'Assessment: not instructor' },
  'assessment.not_student': { status: 403, title: 'Assessment: not student' },
  'assessment.not_submitted': { status: 409, title: 'Assessment: not submitted' },
  'assessment.phase_closed': { status: 409, title: 'Assessment: phase closed' },
  'assessment.review_not_found': { status: 404, title: 'Assessment: review not found' },
  'assessment.submission_not_found': { status: 404, title: 'Assessment: submission not found' },
  'assessment.too_few_reviewers': { status: 409, title: 'Assessment: too few reviewers' },
  // auth
  'auth.cross_origin': { status: 403, title: 'Cross-origin request refused' },
  'auth.unauthenticated': { status: 401, title: 'Unauthorized' },
  'auth.wrong_principal': { status: 403, title: 'Authentication: wrong principal' },
  // badgekit
  'badgekit.not_authorized': { status: 403, title: 'BadgeKit: not authorized' },
  // badges
  'badges.already_awarded': { status: 409, title: 'Badges: already awarded' },
  'badges.code_already_used': { status: 400, title: 'Badges: code already used' },
  'badges.duplicate': { status: 409, title: 'Badges: duplicate' },
  'badges.email_unverified': { status: 403, title: 'Badges: email unverified' },
  'badges.forbidden': { status: 403, title: 'Badges: forbidden' },
  'badges.invalid': { status: 400, title: 'Badges: invalid' },
  'badges.invalid_parameter': { status: 400, title: 'Badges: invalid parameter' },
  'badges.not_found': { status: 404, title: 'Badges: not found' },
  'badges.scope_required': { status: 403, title: 'Badges: scope required' },
  'badges.too_large': { status: 413, title: 'Badges: too large' },
  'badges.unverifiable': { status: 422, title: 'Badges: unverifiable' },
  // courses
  'courses.bad_activation_code': { status: 403, title: 'Courses: bad activation code' },
  'courses.bad_signed_request': { status: 401, title: 'Courses: bad signed request' },
  'courses.class_closed': { status: 403, title: 'Courses: class closed' },
  'courses.class_not_found': { status: 404, title: 'Courses: class not found' },
  'courses.class_path_taken': { status: 409, title: 'Courses: class path taken' },
  'courses.email_unverified': { status: 403, title: 'Courses: email unverified' },
  'courses.institution_not_found': { status: 404, title: 'Courses: institution not found' },
  'courses.invalid_credentials': { status: 401, title: 'Courses: invalid credentials' },
  'courses.invalid_input': { status: 400, title: 'Courses: invalid input' },
  'courses.invite_only': { status: 403, title: 'Courses: invite only' },
  'courses.job_not_found': { status: 404, title: 'Courses: job not found' },
  'courses.no_owner': { status: 403, title: 'Courses: no owner' },
  'courses.not_found': { status: 404, title: 'Courses: not found' },
  'courses.not_institution_admin': { status: 403, title: 'Courses: not institution admin' },
  'courses.not_member': { status: 404, title: 'Courses: not member' },
  'courses.not_owner': { status: 403, title: 'Courses: not owner' },
  'courses.path_taken': { status: 409, title: 'Courses: path taken' },
  'courses.shortcode_taken': { status: 409, title: 'Courses: shortcode taken' },
  'courses.sso_refused': { status: 403, title: 'Courses: sso refused' },
  'courses.user_not_found': { status: 404, title: 'Courses: user not found' },
  // csrf
  'csrf.invalid': { status: 403, title: 'Invalid CSRF token' },
  // events
  'events.batch_too_large': { status: 400, title: 'Event Store: batch too large' },
  'events.data_schema_failed': { status: 400, title: 'Event Store: data schema failed' },
  'events.end_before_start': { status: 400, title: 'Event Store: end before start' },
  'events.invalid': { status: 400, title: 'Event Store: invalid' },
  'events.invalid_cursor': { status: 400, title: 'Event Store: invalid cursor' },
  'events.invalid_key': { status: 401, title: 'Event Store: invalid key' },
  'events.invalid_schema': { status: 400, title: 'Event Store: invalid schema' },
  'events.key_not_found': { status: 404, title: 'Event Store: key not found' },
  'events.no_read_rights': { status: 403, title: 'Event Store: no read rights' },
  'events.no_rights': { status: 403, title: 'Event Store: no rights' },
  'events.not_found': { status: 404, title: 'Event Store: not found' },
  'events.not_program_owner': { status: 403, title: 'Event Store: not program owner' },
  'events.operators_only': { status: 403, title: 'Event Store: operators only' },
  'events.prefix_mismatch': { status: 400, title: 'Event Store: prefix mismatch' },
  'events.prefix_missing': { status: 400, title: 'Event Store: prefix missing' },
  'events.program_exists': { status: 409, title: 'Event Store: program exists' },
  'events.program_not_found': { status: 404, title: 'Event Store: program not found' },
  'events.too_large': { status: 413, title: 'Event Store: too large' },
  'events.type_built_in': { status: 403, title: 'Event Store: type built in' },
  'events.type_not_found': { status: 404, title: 'Event Store: type not found' },
  'events.type_not_owner': { status: 403, title: 'Event Store: type not owner' },
  // identity
  'identity.invalid_credentials': { status: 401, title: 'Accounts: invalid credentials' },
  'identity.invalid_token': { status: 400, title: 'Accounts: invalid token' },
  'identity.sign_in_throttled': { status: 429, title: 'Accounts: sign in throttled' },
  'identity.user_not_found': { status: 404, title: 'Accounts: user not found' },
  'identity.invalid_username': { status: 400, title: 'Accounts: invalid username' },
  'identity.invalid_name': { status: 400, title: 'Accounts: invalid name' },
  'identity.invalid_email': { status: 400, title: 'Accounts: invalid email' },
  'identity.invalid_password': { status: 400, title: 'Accounts: invalid password' },
  'identity.username_taken': { status: 409, title: 'Accounts: username taken' },
  'identity.email_taken': { status: 409, title: 'Accounts: email taken' },
  'identity.wrong_password': { status: 403, title: 'Accounts: wrong password' },
  // internal
  internal: { status: 500, title: 'Internal Server Error' },
  // lti
  'lti.account_conflict': { status: 409, title: 'LTI: account conflict' },
  'lti.bad_request': { status: 400, title: 'LTI: bad request' },
  'lti.bad_state': { status: 401, title: 'LTI: bad state' },
  'lti.bad_token': { status: 401, title: 'LTI: bad token' },
  'lti.context_not_found': { status: 404, title: 'LTI: context not found' },
  'lti.invalid': { status: 400, title: 'LTI: invalid' },
  'lti.missing_claim': { status: 400, title: 'LTI: missing claim' },
  'lti.no_signing_key': { status: 500, title: 'LTI: no signing key' },
  'lti.not_allowed': { status: 403, title: 'LTI: not allowed' },
  'lti.platform_exists': { status: 409, title: 'LTI: platform exists' },
  'lti.platform_keys_unavailable': { status: 502, title: 'LTI: platform keys unavailable' },
  'lti.platform_not_found': { status: 404, title: 'LTI: platform not found' },
  'lti.registration_failed': { status: 400, title: 'LTI: registration failed' },
  'lti.replayed': { status: 401, title: 'LTI: replayed' },
  'lti.target_not_found': { status: 404, title: 'LTI: target not found' },
  'lti.unknown_deployment': { status: 403, title: 'LTI: unknown deployment' },
  'lti.unknown_platform': { status: 400, title: 'LTI: unknown platform' },
  'lti.unlinked_context': { status: 403, title: 'LTI: unlinked context' },
  // messaging
  'messaging.announcement_not_found': { status: 404, title: 'Messaging: announcement not found' },
  'messaging.content_too_large': { status: 400, title: 'Messaging: content too large' },
  'messaging.inbound_refused': { status: 403, title: 'Messaging: inbound mail refused' },
  'messaging.course_not_found': { status: 404, title: 'Messaging: course not found' },
  'messaging.empty_reply': { status: 400, title: 'Messaging: empty reply' },
  'messaging.inbound_disabled': { status: 404, title: 'Messaging: inbound disabled' },
  'messaging.invalid_field': { status: 400, title: 'Messaging: invalid field' },
  'messaging.invalid_scope': { status: 400, title: 'Messaging: invalid scope' },
  'messaging.invalid_unsubscribe_link': { status: 404, title: 'Messaging: invalid unsubscribe link' },
  'messaging.malformed_mime': { status: 400, title: 'Messaging: malformed mime' },
  'messaging.message_not_found': { status: 404, title: 'Messaging: message not found' },
  'messaging.message_too_large': { status: 413, title: 'Messaging: message too large' },
  'messaging.no_notifications_grant': { status: 403, title: 'Messaging: no notifications grant' },
  'messaging.not_allowed': { status: 403, title: 'Messaging: not allowed' },
  'messaging.not_course_admin': { status: 403, title: 'Messaging: not course admin' },
  'messaging.recipient_not_found': { status: 404, title: 'Messaging: recipient not found' },
  'messaging.unknown_reply_token': { status: 406, title: 'Messaging: unknown reply token' },
  'messaging.wrong_sender': { status: 406, title: 'Messaging: wrong sender' },
  // oauth
  'oauth.app_not_found': { status: 404, title: 'OAuth: app not found' },
  'oauth.connection_not_found': { status: 404, title: 'OAuth: connection not found' },
  'oauth.interaction_expired': { status: 400, title: 'OAuth: interaction expired' },
  'oauth.invalid_client': { status: 401, title: 'OAuth: invalid client' },
  'oauth.invalid_token': { status: 401, title: 'OAuth: invalid token' },
  'oauth.not_app_owner': { status: 403, title: 'OAuth: not app owner' },
  'oauth.owner_not_found': { status: 400, title: 'OAuth: owner not found' },
  'oauth.token_inactive': { status: 401, title: 'OAuth: token inactive' },
  'oauth.wrong_account': { status: 403, title: 'OAuth: wrong account' },
  // platforms
  'platforms.invalid_input': { status: 400, title: 'Platforms: invalid input' },
  'platforms.invalid_token': { status: 401, title: 'Platforms: invalid token' },
  'platforms.not_found': { status: 404, title: 'Platforms: not found' },
  'platforms.not_operator': { status: 403, title: 'Platforms: not operator' },
  'platforms.key_taken': { status: 409, title: 'Platforms: key id taken' },
  // request
  'request.bad_url': { status: 400, title: 'Malformed URL' },
  'request.client_error': { status: 400, title: 'Bad Request' },
  'request.invalid': { status: 400, title: 'Bad Request' },
  'request.invalid_content_length': { status: 400, title: 'Invalid Content-Length' },
  'request.invalid_cursor': { status: 400, title: 'Invalid cursor' },
  'request.malformed_json': { status: 400, title: 'Malformed JSON' },
  'request.method_not_allowed': { status: 405, title: 'Method Not Allowed' },
  'request.nul_byte': { status: 400, title: 'NUL character refused' },
  'request.rate_limited': { status: 429, title: 'Too Many Requests' },
  'request.too_large': { status: 413, title: 'Content Too Large' },
  'request.unsupported_media_type': { status: 415, title: 'Unsupported Media Type' },
  // route
  'route.method_not_allowed': { status: 405, title: 'Method Not Allowed' },
  'route.not_found': { status: 404, title: 'Not Found' },
  // service
  'service.unavailable': { status: 503, title: 'Service Unavailable' },
  // webhooks
  'webhooks.app_id_required': { status: 400, title: 'Webhooks: app id required' },
  'webhooks.app_not_found': { status: 404, title: 'Webhooks: app not found' },
  'webhooks.delivery_not_found': { status: 404, title: 'Webhooks: delivery not found' },
  'webhooks.endpoint_disabled': { status: 409, title: 'Webhooks: endpoint disabled' },
  'webhooks.endpoint_not_found': { status: 404, title: 'Webhooks: endpoint not found' },
  'webhooks.invalid_event_type': { status: 400, title: 'Webhooks: invalid event type' },
  'webhooks.invalid_url': { status: 400, title: 'Webhooks: invalid url' },
  'webhooks.not_allowed': { status: 403, title: 'Webhooks: not allowed' },
  'webhooks.too_many_endpoints': { status: 409, title: 'Webhooks: too many endpoints' },
  'webhooks.wrong_app': { status: 403, title: 'Webhooks: wrong app' },
} as const satisfies Record<string, { readonly status: number; readonly title: string }>;

export type Catalogue = typeof catalogue;
export type ErrorCode = keyof Catalogue;

/** The codes whose status is S, e.g. `CodeWithStatus<404>` for a not-found factory. */
export type CodeWithStatus<S extends number> = {
  [K in ErrorCode]: Catalogue[K]['status'] extends S ? K : never;
}[ErrorCode];

/** The codes of one domain, e.g. `CodesOf<'badges'>`: what a dialect must map when it surfaces that domain. */
export type CodesOf<D extends string> = Extract<ErrorCode, `${D}.${string}`>;

export function isErrorCode(value: string): value is ErrorCode {
  return Object.hasOwn(catalogue, value);
}
