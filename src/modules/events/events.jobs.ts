import type { Deps } from '../../deps.ts';
import { type DomainEvent, HUB_EVENT_TYPES, type HubEventType } from '../../jobs/domain-events.ts';
import { ensureHubProgram, HUB_PROGRAM_ID } from './events.programs.ts';
import { HUB_TYPE_PREFIX } from './events.types.ts';
import { applyEvents, applyRetention, type EventsContext } from './events.usecases.ts';
import { prepareXapiPartitions } from './events.xapi.ts';

/**
 * The Event Store type each of the hub's learning events (HUB_EVENT_TYPES, the one list) is recorded as.
 * Keyed by that list, so a hub event type added there does not compile until it is named here.
 */
export const EVENT_STORE_TYPES: Readonly<Record<HubEventType, string>> = {
  'enrolment.created': 'course.enrolled',
  'course.completed': 'course.completed',
  'badge.awarded': 'credential.earned',
  'assessment.submitted': 'assessment.submitted',
  'assessment.reviewed': 'assessment.reviewed',
  'assessment.graded': 'assessment.graded',
};

export const RECORD_HUB_EVENTS = 'events.record_hub_events';
export const RETENTION = 'events.retention';
export const XAPI_PARTITIONS = 'events.xapi_partitions';

/**
 * Records one of the hub's own domain events under the HUB program. The event id is derived from the domain
 * event id, so a retried job is an identical repeat and stores nothing new. The member is named by the
 * person's email (ProgramMemberId) and profile URL (in EventData.member); the hub's internal user id is not
 * published.
 */
export async function recordHubEvent(ctx: EventsContext, event: DomainEvent<HubEventType>): Promise<void> {
  // Recorded in the hub's own namespace (`hub.course.completed`), apart from every program's own types.
  const eventType = `${HUB_TYPE_PREFIX}${EVENT_STORE_TYPES[event.type]}`;
  // Only a final grade is a learning event; provisional ones change with every review.
  if (event.type === 'assessment.graded' && event.payload.final !== true) return;
  const { user, ...rest } = event.payload;
  // A badge awarded to an address without a hub account names no member.
  if (!user || user.email === '') return;
  const member = { email: user.email, profile_url: user.profile_url, username: user.username };
  await ensureHubProgram(ctx.deps);
  await ctx.deps.db.transaction((tx) =>
    applyEvents(
      tx,
      [
        {
          eventId: `${HUB_PROGRAM_ID}-${event.id}`,
          programId: HUB_PROGRAM_ID,
          memberId: user.email,
          eventType,
          startAt: event.occurredAt,
          endAt: event.occurredAt,
          data: { ...rest, member, domain_event: event.type },
          referenceEventId: null,
        },
      ],
      ctx.deps.clock.now(),
    ),
  );
}

/**
 * The hub's events, and operator retention: with EVENT_RETENTION_DAYS set, a daily job deletes events
 * unchanged for longer (as `learnhub events retention` does). It is idempotent, so a missed or repeated run
 * is harmless.
 */
export function registerEventJobs(deps: Deps, ctx: EventsContext): void {
  deps.domainEvents.subscribe(RECORD_HUB_EVENTS, HUB_EVENT_TYPES, (event) => recordHubEvent(ctx, event));
  // The statement index's monthly partitions are prepared three months ahead, daily (idempotent).
  deps.jobs.register(XAPI_PARTITIONS, () => prepareXapiPartitions(ctx));
  deps.jobs.cron({ schedule: '17 3 * * *', task: XAPI_PARTITIONS, backfillMs: 24 * 3_600_000 });
  const days = deps.config.eventRetentionDays;
  if (days > 0) {
    deps.jobs.register(RETENTION, async () => {
      const deleted = await applyRetention(ctx, days);
      if (deleted > 0) deps.logger.info({ deleted, days }, 'event store retention applied');
    });
    deps.jobs.cron({ schedule: '29 2 * * *', task: RETENTION, backfillMs: 12 * 3_600_000 });
  }
}
