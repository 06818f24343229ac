import type { Deps } from '../../deps.ts';
import { type DomainEvent, HUB_EVENT_TYPES, type HubEventType } from '../../jobs/domain-events.ts';
import { getUserById, profileUrl } from '../identity/index.ts';
import { normaliseUrl } from './activity.nouns.ts';
import { insertActivity } from './activity.repository.ts';
import { hashesOf } from './activity.usecases.ts';
import { contentHash } from './activity.validation.ts';

export const CONSUMER = 'activity.from_domain_events';

interface Mapped {
  verb: string;
  object: string;
  course: string | null;
  message: string;
}

/**
 * What each of the hub's learning events says, as an activity; undefined when the event has no URL the feed
 * accepts. Exhaustive over HUB_EVENT_TYPES: a type added there does not compile until it is mapped here.
 */
function mapEvent(event: DomainEvent<HubEventType>, name: string, publicUrl: string): Mapped | undefined {
  switch (event.type) {
    case 'enrolment.created':
    case 'course.completed': {
      const { course } = event.payload;
      const url = normaliseUrl(course.url);
      if (!url) return undefined;
      const [verb, did] = event.type === 'enrolment.created' ? ['join', 'joined'] : ['complete', 'completed'];
      return { verb, object: url, course: url, message: `${name} ${did} ${course.title}` };
    }
    case 'badge.awarded': {
      const { badge } = event.payload;
      const url = normaliseUrl(badge.url);
      return url
        ? { verb: 'earn', object: url, course: null, message: `${name} earned ${badge.name}` }
        : undefined;
    }
    case 'assessment.submitted':
    case 'assessment.reviewed':
    case 'assessment.graded': {
      const { course, activity } = event.payload;
      const object = normaliseUrl(`${publicUrl}/assessment/${activity.id}`);
      const url = normaliseUrl(course.url);
      if (!object || !url) return undefined;
      const title = activity.title;
      // No grade in the sentence: a feed is readable by others (the grade is on the student's own page).
      const [verb, message] =
        event.type === 'assessment.submitted'
          ? ['submit', `${name} submitted work to ${title}`]
          : event.type === 'assessment.reviewed'
            ? ['review', `${name} reviewed a classmate's work in ${title}`]
            : ['complete', `${name} completed the peer assessment ${title}`];
      return { verb, object, course: url, message };
    }
  }
}

/**
 * Events the feed passes over on purpose: provisional grades (only a final grade is news), and reviews in
 * activities that keep reviewers anonymous (a feed entry would tell authors who reviewed when).
 */
function passedOver(event: DomainEvent<HubEventType>): boolean {
  if (event.type === 'assessment.graded') return event.payload.final !== true;
  if (event.type === 'assessment.reviewed') return event.payload.anonymous !== false;
  return false;
}

/**
 * Turns a hub domain event into an activity attributed to the hub itself (no app, so no grant is needed).
 * Idempotent by event id: a retried or replayed event inserts nothing the second time.
 */
export async function activityFromEvent(deps: Deps, event: DomainEvent<HubEventType>): Promise<void> {
  if (passedOver(event)) return;
  const userId = event.payload.user?.id;
  const user = userId ? await getUserById(deps, userId) : undefined;
  if (!user) {
    deps.logger.warn({ eventId: event.id, type: event.type }, 'activity: event names no known user; skipped');
    return;
  }
  const mapped = mapEvent(event, user.name, deps.config.publicUrl);
  if (!mapped) {
    deps.logger.warn({ eventId: event.id, type: event.type }, 'activity: event lacks an object URL; skipped');
    return;
  }
  const now = deps.clock.now();
  const row = {
    id: deps.ids.uuid(),
    appId: null,
    sourceEventId: event.id,
    actorUserId: user.id,
    actorUrl: profileUrl(deps.config, user.username),
    verb: mapped.verb,
    verbUrl: null,
    object: mapped.object,
    objectName: null,
    target: null,
    course: mapped.course,
    message: mapped.message,
    contentHash: contentHash(user.id, {
      ...mapped,
      objectName: null,
      target: null,
      verbUrl: null,
      published: undefined,
    }),
    publishedAt: event.occurredAt,
    createdAt: now,
    updatedAt: now,
  };
  await insertActivity(deps.db, row, hashesOf(deps, row), 'source_event');
}

export function registerActivityJobs(deps: Deps): void {
  deps.domainEvents.subscribe(CONSUMER, HUB_EVENT_TYPES, (event) => activityFromEvent(deps, event));
}
