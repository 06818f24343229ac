import type { Deps } from '../../deps.ts';
import type { DomainEvent } from '../../jobs/domain-events.ts';
import { ensureHubProgram, HUB_PROGRAM_ID } from './events.programs.ts';
import { HUB_TYPE_PREFIX } from './events.types.ts';
import { applyEvents, applyRetention, type EventsContext } from './events.usecases.ts';
import { isPlainObject } from './events.validation.ts';

/** Which of the hub's domain events are recorded, and as which Event Store type. */
export const HUB_EVENT_TYPES: Readonly<Record<string, string>> = {
  'enrolment.created': 'course.enrolled',
  'course.completed': 'course.completed',
  'badge.awarded': 'credential.earned',
};

export const RECORD_HUB_EVENTS = 'events.record_hub_events';
export const RETENTION = 'events.retention';

/**
 * Records one of the hub's own domain events under the HUB program. The event id is derived from the domain
 * event id, so a retried job is an identical repeat and stores nothing new. The member is named by the
 * person's email (ProgramMemberId) and profile URL (in EventData.member); the hub's internal user id is not
 * published.
 */
export async function recordHubEvent(ctx: EventsContext, event: DomainEvent): Promise<void> {
  // Recorded in the hub's own namespace (`hub.course.completed`), apart from every program's own types.
  const mapped = HUB_EVENT_TYPES[event.type];
  const eventType = mapped === undefined ? undefined : `${HUB_TYPE_PREFIX}${mapped}`;
  const user = event.payload.user;
  const email = isPlainObject(user) ? user.email : undefined;
  if (!eventType || !isPlainObject(user) || typeof email !== 'string' || email === '') return;
  const { user: _user, ...rest } = event.payload;
  const member = {
    email,
    profile_url: typeof user.profile_url === 'string' ? user.profile_url : null,
    username: typeof user.username === 'string' ? user.username : null,
  };
  await ensureHubProgram(ctx.deps);
  await ctx.deps.db.transaction((tx) =>
    applyEvents(
      tx,
      [
        {
          eventId: `${HUB_PROGRAM_ID}-${event.id}`,
          programId: HUB_PROGRAM_ID,
          memberId: email,
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
  deps.domainEvents.subscribe(RECORD_HUB_EVENTS, Object.keys(HUB_EVENT_TYPES), (event) =>
    recordHubEvent(ctx, event),
  );
  const days = deps.config.eventRetentionDays;
  if (days > 0) {
    deps.jobs.register(RETENTION, async () => {
      const deleted = await applyRetention(ctx, days);
      if (deleted > 0) deps.logger.info({ deleted, days }, 'event store retention applied');
    });
    deps.jobs.cron({ schedule: '29 2 * * *', task: RETENTION, backfillMs: 12 * 3_600_000 });
  }
}
