import type { Static } from 'typebox';
import type { ChangeRow, EventInput, EventTypeInfo, FeedShape } from '../../modules/events/index.ts';
import type { SeedChange, SeedEventType } from './eventstore.schemas.ts';

const iso = (d: Date | null) => (d === null ? null : d.toISOString());

/** The seed's PascalCase payload to the Event Store's input. */
export function seedInput(eventId: unknown, body: Record<string, unknown>): EventInput {
  return {
    eventId,
    programId: body.ProgramId,
    memberId: body.ProgramMemberId,
    eventType: body.EventType,
    start: body.EventStartUTC,
    end: body.EventEndUTC,
    data: body.EventData,
    referenceEventId: body.ReferenceEventId,
  };
}

export function seedChange(row: ChangeRow): Static<typeof SeedChange> {
  return {
    EventId: row.eventId,
    Revision: row.revision,
    Deleted: row.kind === 'erased',
    ProgramId: row.programId,
    ProgramMemberId: row.memberId,
    EventType: row.eventType,
    EventStartUTC: iso(row.startAt),
    EventEndUTC: iso(row.endAt),
    EventData: row.data,
    ReferenceEventId: row.referenceEventId,
    RecordedUTC: row.recordedAt.toISOString(),
  };
}

export function seedType(t: EventTypeInfo): Static<typeof SeedEventType> {
  return {
    Name: t.name,
    Description: t.description,
    Schema: t.schema,
    BuiltIn: t.builtIn,
    OwnerProgramId: t.ownerProgramId,
  };
}

export function eventLocation(eventId: string): string {
  return `/eventstore/events/${encodeURIComponent(eventId)}`;
}

/** A change in the seed's feed, named like the seed's payload. */
export const SEED_SHAPE: FeedShape = [
  ['EventId', 'event_id'],
  ['Revision', 'revision'],
  ['Deleted', 'deleted'],
  ['ProgramId', 'program_id'],
  ['ProgramMemberId', 'member_id'],
  ['EventType', 'event_type'],
  ['EventStartUTC', 'start_at'],
  ['EventEndUTC', 'end_at'],
  ['EventData', 'data'],
  ['ReferenceEventId', 'reference_event_id'],
  ['RecordedUTC', 'recorded_at'],
];
