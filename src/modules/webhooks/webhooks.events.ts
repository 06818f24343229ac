import { type Static, type TSchema, Type } from 'typebox';
import type { DomainEventType, EventPayload } from '../../jobs/domain-events.ts';

/**
 * What apps receive: a public, versioned payload per webhook event type, mapped from the internal domain
 * event by one function per type. Internal payloads carry what the hub's own consumers need (a person's
 * email, the apps an event is routed to); a webhook carries exactly its public schema below, field by field,
 * so nothing reaches an app because someone added it to an internal payload.
 *
 * Versioning (docs/webhooks.md): adding an optional field or a new type keeps a type's version; removing,
 * renaming or retyping a field raises it. Schemas are closed (`additionalProperties: false`): the fan-out
 * checks every body against them before it is stored, so the documented schema is the whole truth.
 */

const closed = { additionalProperties: false } as const;

/** A person, as apps see them: never the email (apps learn it only through the OpenID `email` scope). */
const User = Type.Object(
  {
    id: Type.String({ description: "The person's hub id, the OpenID Connect `sub`" }),
    username: Type.String(),
    profile_url: Type.String({ format: 'uri' }),
  },
  closed,
);
const Course = Type.Object(
  { id: Type.String(), path: Type.String(), title: Type.String(), url: Type.String({ format: 'uri' }) },
  closed,
);
const Badge = Type.Object(
  {
    id: Type.String({ description: 'The id of `/api/v1/badges/{id}`' }),
    slug: Type.String(),
    name: Type.String(),
    url: Type.String({ format: 'uri', description: 'The Open Badges 2.0 BadgeClass' }),
  },
  closed,
);
const Assertion = Type.Object(
  { id: Type.String(), url: Type.String({ format: 'uri', description: 'The hosted OB 2.0 Assertion' }) },
  closed,
);

/** A peer-assessment activity: its integer id (as `/api/v1/assessment/activities/{id}`) and title. */
const Activity = Type.Object({ id: Type.Integer(), title: Type.String() }, closed);

type Person = EventPayload<'user.created'>['user'];
type CoursePayload = EventPayload<'course.published'>;
type BadgePayload = EventPayload<'badge.awarded'>;

// Field by field, never by spreading: stored payloads may hold more than their schema lists.
const user = (u: Person): Static<typeof User> => ({
  id: u.id,
  username: u.username,
  profile_url: u.profile_url,
});
const course = ({ course: c }: CoursePayload): Static<typeof Course> => ({
  id: c.id,
  path: c.path,
  title: c.title,
  url: c.url,
});
const badgeParts = (p: Pick<BadgePayload, 'badge' | 'assertion' | 'recipient_email_hash'>) => ({
  badge: { id: p.badge.id, slug: p.badge.slug, name: p.badge.name, url: p.badge.url },
  assertion: { id: p.assertion.id, url: p.assertion.url },
  recipient_email_hash: p.recipient_email_hash,
});

export interface WebhookEvent<T extends string = string> {
  readonly type: T;
  readonly version: number;
  /** When it is sent, for the OpenAPI document and docs/webhooks.md. */
  readonly summary: string;
  readonly data: TSchema;
  /** Internal payload → public `data`. */
  readonly toPublic: (payload: never) => unknown;
}

function published<T extends DomainEventType, S extends TSchema>(
  type: T,
  version: number,
  summary: string,
  data: S,
  toPublic: (payload: EventPayload<T>) => Static<S>,
): WebhookEvent<T> {
  return { type, version, summary, data, toPublic };
}

type AssessmentPayload = EventPayload<'assessment.activity_created'>;
const activityParts = (p: AssessmentPayload) => ({
  course: course(p),
  activity: { id: p.activity.id, title: p.activity.title },
});
const phaseData = Type.Object(
  { course: Course, activity: Activity, phase: Type.String({ description: 'Create, Assess or Reflect' }) },
  closed,
);
const phaseEvent = <T extends 'assessment.phase_opened' | 'assessment.phase_closed'>(
  type: T,
  summary: string,
) =>
  published(type, 1, summary, phaseData, (p: EventPayload<T>) => ({ ...activityParts(p), phase: p.phase }));

/** Marks a domain event type that apps never receive. */
export const INTERNAL = 'internal';

const courseData = Type.Object({ course: Course }, closed);
const courseEvent = <T extends 'course.published' | 'course.updated' | 'course.deleted'>(
  type: T,
  summary: string,
) => published(type, 1, summary, courseData, (p: CoursePayload) => ({ course: course(p) }));

/**
 * Every domain event type, published or INTERNAL: the compiler makes each new type in the catalogue decide
 * here whether (and how) apps see it.
 */
export const WEBHOOK_EVENTS: { readonly [T in DomainEventType]: WebhookEvent<T> | typeof INTERNAL } = {
  'user.created': published(
    'user.created',
    1,
    'An account was created. Reaches only apps the event names (none today).',
    Type.Object({ user: User }, closed),
    (p) => ({ user: user(p.user) }),
  ),
  'user.email_verified': INTERNAL,
  'app.authorized': published(
    'app.authorized',
    1,
    'A person consented to the app (sign in with the hub).',
    Type.Object({ app_id: Type.String(), user: User, scopes: Type.Array(Type.String()) }, closed),
    (p) => ({ app_id: p.app_id, user: user(p.user), scopes: [...p.scopes] }),
  ),
  'course.published': courseEvent('course.published', 'A course owned by the app was created.'),
  'course.updated': courseEvent('course.updated', 'A course owned by the app was changed.'),
  'course.deleted': courseEvent('course.deleted', 'A course owned by the app was deleted.'),
  'enrolment.created': published(
    'enrolment.created',
    1,
    'A person joined a course owned by the app.',
    Type.Object(
      {
        course: Course,
        user: User,
        class_id: Type.Union([Type.String(), Type.Null()]),
        role: Type.String({ description: 'Student, Teacher, ...' }),
      },
      closed,
    ),
    (p) => ({ course: course(p), user: user(p.user), class_id: p.class_id ?? null, role: p.role }),
  ),
  'enrolment.dropped': published(
    'enrolment.dropped',
    1,
    'A person left, or was removed from, a course owned by the app.',
    Type.Object({ course: Course, user: User }, closed),
    (p) => ({ course: course(p), user: user(p.user) }),
  ),
  'course.completed': published(
    'course.completed',
    1,
    'A person completed a course owned by the app (once per person and course).',
    Type.Object({ course: Course, user: User, completed_at: Type.String({ format: 'date-time' }) }, closed),
    (p) => ({ course: course(p), user: user(p.user), completed_at: p.completed_at }),
  ),
  'badge.awarded': published(
    'badge.awarded',
    1,
    "A badge of the app's was awarded.",
    Type.Object(
      {
        badge: Badge,
        assertion: Assertion,
        user: Type.Union([User, Type.Null()], { description: 'The holder, when the hub knows them' }),
        recipient_email_hash: Type.String({ description: 'As in the Assertion: `sha256$` + hex' }),
      },
      closed,
    ),
    (p) => ({ ...badgeParts(p), user: p.user ? user(p.user) : null }),
  ),
  'badge.revoked': published(
    'badge.revoked',
    1,
    "An award of one of the app's badges was revoked.",
    Type.Object(
      {
        badge: Badge,
        assertion: Assertion,
        recipient_email_hash: Type.String(),
        reason: Type.Union([Type.String(), Type.Null()]),
      },
      closed,
    ),
    (p) => ({ ...badgeParts(p), reason: p.reason }),
  ),
  // Names the applicant by email and concerns no app: the BadgeKit `review` webhook tells badge sites.
  'application.reviewed': INTERNAL,
  'assessment.activity_created': published(
    'assessment.activity_created',
    1,
    'A peer-assessment activity was created in a course the app owns.',
    Type.Object({ course: Course, activity: Activity }, closed),
    (p) => activityParts(p),
  ),
  'assessment.phase_opened': phaseEvent('assessment.phase_opened', "An activity's phase opened."),
  'assessment.phase_closed': phaseEvent('assessment.phase_closed', "An activity's phase closed."),
  'assessment.submitted': published(
    'assessment.submitted',
    1,
    'A student (or group member) submitted work in an activity of a course the app owns.',
    Type.Object({ course: Course, activity: Activity, user: User, late: Type.Boolean() }, closed),
    (p) => ({ ...activityParts(p), user: user(p.user), late: p.late }),
  ),
  // The reviewer is named only where authors may know their reviewers: an app may show this to students.
  'assessment.reviewed': published(
    'assessment.reviewed',
    1,
    'A review was submitted. `reviewer` is null when the activity keeps reviewers anonymous.',
    Type.Object(
      {
        course: Course,
        activity: Activity,
        review_id: Type.String(),
        reviewer: Type.Union([User, Type.Null()]),
      },
      closed,
    ),
    (p) => ({
      ...activityParts(p),
      review_id: p.review_id,
      reviewer: p.anonymous === false ? user(p.user) : null,
    }),
  ),
  'assessment.graded': published(
    'assessment.graded',
    1,
    "A student's overall grade changed; `final` once the activity has closed (then `version` counts changes).",
    Type.Object(
      {
        course: Course,
        activity: Activity,
        user: User,
        grade: Type.Union([Type.Number(), Type.Null()]),
        scale: Type.Object({ min: Type.Number(), max: Type.Number() }, closed),
        final: Type.Boolean(),
        version: Type.Union([Type.Integer(), Type.Null()]),
      },
      closed,
    ),
    (p) => ({
      ...activityParts(p),
      user: user(p.user),
      grade: p.grade,
      scale: { min: p.scale.min, max: p.scale.max },
      final: p.final === true,
      version: p.version ?? null,
    }),
  ),
  'message.replied': published(
    'message.replied',
    1,
    "A person replied by email to one of the app's messages (the reply itself is forwarded separately).",
    Type.Object(
      {
        message_id: Type.String(),
        reply_id: Type.String(),
        user_id: Type.String(),
        app_id: Type.Union([Type.String(), Type.Null()]),
      },
      closed,
    ),
    (p) => ({ message_id: p.message_id, reply_id: p.reply_id, user_id: p.user_id, app_id: p.app_id }),
  ),
};

/** Not a domain event: sent to one endpoint on request (`POST /api/v1/webhooks/{id}/test`). */
export const TEST_EVENT = {
  type: 'webhook.test',
  version: 1,
  summary: 'You asked for a test delivery; sent to that endpoint whatever its filter.',
  data: Type.Object({ endpoint_id: Type.String(), app_id: Type.String() }, closed),
  toPublic: (payload: { endpoint_id: string; app_id: string }) => payload,
} as const satisfies WebhookEvent<'webhook.test'>;

/** Every type an app can receive, in the catalogue's order, then `webhook.test`. */
export function publishedWebhookEvents(): WebhookEvent[] {
  const events: WebhookEvent[] = [];
  for (const spec of Object.values(WEBHOOK_EVENTS)) if (spec !== INTERNAL) events.push(spec);
  events.push(TEST_EVENT);
  return events;
}
