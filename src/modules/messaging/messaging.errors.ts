import { AppError, errors } from '../../errors/index.ts';

export const messagingErrors = {
  recipientNotFound: () =>
    errors.notFound('messaging.recipient_not_found', 'user_profile: no such user on this hub'),
  noNotificationsGrant: () =>
    errors.forbidden(
      'messaging.no_notifications_grant',
      'The user has not allowed this app to send them notifications (the "notifications" scope).',
    ),
  notAllowed: () =>
    errors.forbidden('messaging.not_allowed', 'Only an app or a hub operator may send messages.'),
  contentTooLarge: (max: number) =>
    errors.badRequest('messaging.content_too_large', `content: may be at most ${max} characters`),
  invalidField: (field: string, problem: string) =>
    errors.badRequest('messaging.invalid_field', `${field}: ${problem}`),
  messageNotFound: () => errors.notFound('messaging.message_not_found', 'No such message.'),
  invalidPreferenceScope: (scope: string) =>
    errors.badRequest(
      'messaging.invalid_scope',
      `scope: "${scope}" is not "default", "app:<id>" or "course:<id>"`,
    ),
  invalidUnsubscribeLink: () =>
    errors.notFound('messaging.invalid_unsubscribe_link', 'This unsubscribe link is not valid.'),
  // Inbound mail. Each carries the SMTP reply code the listener answers with.
  inboundDisabled: () =>
    errors.notFound('messaging.inbound_disabled', 'Inbound email over HTTP is not configured.'),
  inboundUnauthenticated: () =>
    errors.unauthenticated('The inbound email secret is missing or wrong.', 'Bearer realm="inbound"'),
  unknownReplyToken: () =>
    new AppError(
      'messaging.unknown_reply_token',
      'No recipient is a valid, unexpired reply address of this hub.',
    ),
  wrongSender: () =>
    new AppError(
      'messaging.wrong_sender',
      'The sender is not the verified email address of the person this reply address belongs to.',
    ),
  malformedMime: () =>
    errors.badRequest('messaging.malformed_mime', 'The message is not a MIME message that can be parsed.'),
  messageTooLarge: (max: number) =>
    new AppError('messaging.message_too_large', `The message is larger than ${max} bytes.`),
  emptyReply: () =>
    errors.badRequest('messaging.empty_reply', 'The reply has no text once quoted text is removed.'),
  announcementNotFound: () => errors.notFound('messaging.announcement_not_found', 'No such announcement.'),
  courseNotFound: () => errors.notFound('messaging.course_not_found', 'No such course.'),
  notCourseAdmin: () =>
    errors.forbidden(
      'messaging.not_course_admin',
      'Only the course admins or an app acting for one may announce to this course.',
    ),
} as const;
