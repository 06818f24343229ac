import type { Deps } from '../../deps.ts';
import type { DomainEvent } from '../../jobs/domain-events.ts';
import { getUserById, profileUrl } from '../identity/index.ts';
import { normaliseUrl } from './activity.nouns.ts';
import { insertActivity } from './activity.repository.ts';
import { hashesOf } from './activity.usecases.ts';
import { contentHash } from './activity.validation.ts';

export const CONSUMER = 'activity.from_domain_events';
export const HUB_EVENT_TYPES = ['enrolment.created', 'course.completed', 'badge.awarded'] as const;

function record(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

function firstUrl(...values: unknown[]): string | null {
  for (const value of values) {
    const url = typeof value === 'string' ? normaliseUrl(value) : undefined;
    if (url) return url;
  }
  return null;
}

interface Mapped {
  verb: string;
  object: string;
  course: string | null;
  message: string;
}

/** What each hub event says, as an activity; undefined when the payload lacks what is needed. */
function mapEvent(event: DomainEvent, name: string): Mapped | undefined {
  const course = record(event.payload.course);
  const courseUrl = firstUrl(course?.url);
  const courseTitle = text(course?.title) ?? 'a course';
  switch (event.type) {
    case 'enrolment.created':
      return courseUrl
        ? { verb: 'join', object: courseUrl, course: courseUrl, message: `${name} joined ${courseTitle}` }
        : undefined;
    case 'course.completed':
      return courseUrl
        ? {
            verb: 'complete',
            object: courseUrl,
            course: courseUrl,
            message: `${name} completed ${courseTitle}`,
          }
        : undefined;
    case 'badge.awarded': {
      const badge = record(event.payload.badge);
      const badgeUrl = firstUrl(badge?.url, badge?.assertion_url, badge?.class_url, badge?.id);
      const badgeName = text(badge?.name) ?? text(badge?.title) ?? 'a badge';
      return badgeUrl
        ? { verb: 'earn', object: badgeUrl, course: courseUrl, message: `${name} earned ${badgeName}` }
        : undefined;
    }
    default:
      return undefined;
  }
}

/**
 * Turns a hub domain event into an activity attributed to the hub itself (no app, so no grant is needed).
 * Idempotent by event id: a retried or replayed event inserts nothing the second time.
 */
export async function activityFromEvent(deps: Deps, event: DomainEvent): Promise<void> {
  const userId = text(record(event.payload.user)?.id);
  const user = userId ? await getUserById(deps, userId) : undefined;
  if (!user) {
    deps.logger.warn({ eventId: event.id, type: event.type }, 'activity: event names no known user; skipped');
    return;
  }
  const mapped = mapEvent(event, user.name);
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
    target: null,
    course: mapped.course,
    message: mapped.message,
    contentHash: contentHash(user.id, { ...mapped, target: null, verbUrl: null, published: undefined }),
    publishedAt: event.occurredAt,
    createdAt: now,
    updatedAt: now,
  };
  await insertActivity(deps.db, row, hashesOf(deps, row), 'source_event');
}

export function registerActivityJobs(deps: Deps): void {
  deps.domainEvents.subscribe(CONSUMER, HUB_EVENT_TYPES, (event) => activityFromEvent(deps, event));
}
