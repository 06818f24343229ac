import { type Static, type TSchema, Type } from 'typebox';

/**
 * Every domain event the hub appends, and the shape of its payload: the one place that says what an event
 * type carries. `appendDomainEvent` only accepts a payload of its type's shape (a compile error otherwise,
 * and a refusal at run time for anything that slipped past the compiler), and every consumer receives
 * `Static<schema>` for the types it subscribed to, checked again when read back from the database.
 *
 * Adding an event type is one entry in DOMAIN_EVENTS below. The compiler then asks the webhooks module
 * whether apps may receive it (src/modules/webhooks/webhooks.events.ts) — see docs/architecture.md.
 *
 * Payloads are internal: they may carry what the hub's own consumers need (a person's email for the Event
 * Store, the apps an event concerns for webhook routing). Apps never see them as they are; webhooks send a
 * separate, versioned public payload mapped from these.
 *
 * Schemas are open (extra properties allowed) so that rows written by an older or newer hub still read;
 * what is listed must be there, with the listed type.
 */

/** How events name a person (identity's `userRef`). */
export const UserRef = Type.Object({
  id: Type.String(),
  username: Type.String(),
  email: Type.String(),
  profile_url: Type.String(),
});

/** How events name a course; `app_ids` names the owning app, so its webhooks receive the event. */
const CourseFields = {
  course: Type.Object({ id: Type.String(), path: Type.String(), title: Type.String(), url: Type.String() }),
  app_ids: Type.Optional(Type.Array(Type.String())),
};

const BadgeRef = Type.Object({
  id: Type.String(),
  slug: Type.String(),
  name: Type.String(),
  url: Type.String(),
});
const AssertionRef = Type.Object({ id: Type.String(), url: Type.String() });

const Course = Type.Object(CourseFields);

/** How assessment events name a peer-assessment activity (its integer id, as the peerScholar dialect does). */
const ActivityRef = Type.Object({ id: Type.Integer(), title: Type.String() });
const AssessmentFields = { ...CourseFields, activity: ActivityRef };

export const DOMAIN_EVENTS = {
  'user.created': Type.Object({ user: UserRef }),
  'user.email_verified': Type.Object({ user: UserRef }),
  'app.authorized': Type.Object({ app_id: Type.String(), user: UserRef, scopes: Type.Array(Type.String()) }),
  'course.published': Course,
  'course.updated': Course,
  'course.deleted': Course,
  'enrolment.created': Type.Object({
    ...CourseFields,
    user: UserRef,
    class_id: Type.Optional(Type.Union([Type.String(), Type.Null()])),
    role: Type.String(),
  }),
  'enrolment.dropped': Type.Object({ ...CourseFields, user: UserRef }),
  'course.completed': Type.Object({
    ...CourseFields,
    user: UserRef,
    completed_at: Type.String({ format: 'date-time' }),
  }),
  'badge.awarded': Type.Object({
    badge: BadgeRef,
    assertion: AssertionRef,
    /** The holder when the award went to a verified hub account; null for an address the hub cannot name. */
    user: Type.Union([UserRef, Type.Null()]),
    recipient_email_hash: Type.String(),
    app_ids: Type.Optional(Type.Array(Type.String())),
  }),
  'badge.revoked': Type.Object({
    badge: BadgeRef,
    assertion: AssertionRef,
    user: Type.Null(),
    recipient_email_hash: Type.String(),
    reason: Type.Union([Type.String(), Type.Null()]),
    app_ids: Type.Optional(Type.Array(Type.String())),
  }),
  'application.reviewed': Type.Object({
    badge: Type.Union([
      Type.Object({ id: Type.String(), slug: Type.String(), name: Type.String() }),
      Type.Null(),
    ]),
    application: Type.Object({ id: Type.String(), learner: Type.String() }),
    review: Type.Object({ id: Type.String(), author: Type.String() }),
    approved: Type.Boolean(),
    user: Type.Null(),
  }),
  'assessment.activity_created': Type.Object(AssessmentFields),
  'assessment.phase_opened': Type.Object({ ...AssessmentFields, phase: Type.String() }),
  'assessment.phase_closed': Type.Object({ ...AssessmentFields, phase: Type.String() }),
  'assessment.submitted': Type.Object({ ...AssessmentFields, user: UserRef, late: Type.Boolean() }),
  /**
   * `user` is the reviewer. `anonymous`: the activity hides reviewers from authors, so no consumer that an
   * author can read may name them (older rows without the field are treated as anonymous).
   */
  'assessment.reviewed': Type.Object({
    ...AssessmentFields,
    user: UserRef,
    review_id: Type.String(),
    anonymous: Type.Optional(Type.Boolean()),
  }),
  /**
   * A student's overall grade changed (0–100, or null when no part of it exists any more). `final`: the
   * activity has closed and this is the grade's final version `version` (1, 2, … as an instructor changes it
   * after the close); provisional grades (while the activity runs) carry `final: false` or none.
   */
  'assessment.graded': Type.Object({
    ...AssessmentFields,
    user: UserRef,
    grade: Type.Union([Type.Number(), Type.Null()]),
    scale: Type.Object({ min: Type.Number(), max: Type.Number() }),
    final: Type.Optional(Type.Boolean()),
    version: Type.Optional(Type.Integer({ minimum: 1 })),
  }),
  'message.replied': Type.Object({
    message_id: Type.String(),
    reply_id: Type.String(),
    user_id: Type.String(),
    /** The app that sent the message; null for the hub's own mail. */
    app_id: Type.Union([Type.String(), Type.Null()]),
  }),
} as const satisfies Record<string, TSchema>;

export type DomainEventType = keyof typeof DOMAIN_EVENTS;
export type EventPayload<T extends DomainEventType> = Static<(typeof DOMAIN_EVENTS)[T]>;

export const DOMAIN_EVENT_TYPES = Object.keys(DOMAIN_EVENTS) as DomainEventType[];

export function isDomainEventType(type: string): type is DomainEventType {
  return Object.hasOwn(DOMAIN_EVENTS, type);
}

/**
 * The hub's learning events: what a person did that other learning systems care about. The activity feed
 * shows each of them and the Event Store records each under the HUB program; both consumers map every type
 * in this list exhaustively (the compiler checks), so adding one here asks both how to show it. Both may
 * still pass over an event: a provisional (not final) grade, a review whose reviewer is anonymous.
 */
export const HUB_EVENT_TYPES = [
  'enrolment.created',
  'course.completed',
  'badge.awarded',
  'assessment.submitted',
  'assessment.reviewed',
  'assessment.graded',
] as const satisfies readonly DomainEventType[];

export type HubEventType = (typeof HUB_EVENT_TYPES)[number];
