import { eventErrors } from './events.errors.ts';

/** An event as a surface hands it in, before any rule is checked. */
export interface EventInput {
  readonly eventId: unknown;
  readonly programId: unknown;
  readonly memberId: unknown;
  readonly eventType: unknown;
  readonly start: unknown;
  readonly end?: unknown;
  readonly data?: unknown;
  readonly referenceEventId?: unknown;
}

export interface ValidEvent {
  readonly eventId: string;
  readonly programId: string;
  readonly memberId: string;
  readonly eventType: string;
  readonly startAt: Date;
  readonly endAt: Date;
  readonly data: Record<string, unknown>;
  readonly referenceEventId: string | null;
  /** `data` as JSON text, kept from the size check so it is not encoded twice. */
  readonly dataJson?: string;
}

/** How each surface names the fields, so errors name what the caller actually sent. */
export type FieldNames = Record<keyof EventInput, string>;

export const SEED_FIELDS: FieldNames = {
  eventId: 'eventId',
  programId: 'ProgramId',
  memberId: 'ProgramMemberId',
  eventType: 'EventType',
  start: 'EventStartUTC',
  end: 'EventEndUTC',
  data: 'EventData',
  referenceEventId: 'ReferenceEventId',
};

export const NATIVE_FIELDS: FieldNames = {
  eventId: 'event_id',
  programId: 'program_id',
  memberId: 'member_id',
  eventType: 'type',
  start: 'start_at',
  end: 'end_at',
  data: 'data',
  referenceEventId: 'reference_event_id',
};

export const LIMITS = { eventId: 200, memberId: 320, dataBytes: 64 * 1024, dataDepth: 64 } as const;
export const PROGRAM_ID = /^[A-Za-z0-9_]{1,40}$/;
export const EVENT_TYPE = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,99}$/;
const EVENT_ID = /^[\x21-\x7e]+$/;
const NUL_ESCAPE = /(?<!\\)(?:\\\\)*\\u0000/;
// RFC 3339 / ISO 8601 date-time; a value without an offset is read as UTC (the fields are "UTC date/time").
const DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?$/i;

function daysIn(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

export function parseDateTime(value: unknown, field: string): Date {
  if (typeof value !== 'string') throw eventErrors.invalid(field, 'must be a UTC date/time string');
  const match = DATE_TIME.exec(value.trim());
  if (!match) throw eventErrors.invalid(field, `"${value}" is not an ISO 8601 date/time`);
  const [, y, mo, d, h, mi, s, zone] = match;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  if (month < 1 || month > 12 || day < 1 || day > daysIn(year, month) || Number(h) > 23 || Number(mi) > 59) {
    throw eventErrors.invalid(field, `"${value}" is not a valid date/time`);
  }
  if (s !== undefined && Number(s) > 59)
    throw eventErrors.invalid(field, `"${value}" is not a valid date/time`);
  const text = value.trim().replace(' ', 'T');
  const parsed = new Date(zone ? text : `${text}Z`);
  if (Number.isNaN(parsed.getTime())) throw eventErrors.invalid(field, `"${value}" is not a valid date/time`);
  // PostgreSQL (and RFC 3339) have no year 0; an offset can move a boundary date out of 0001–9999.
  const utcYear = parsed.getUTCFullYear();
  if (utcYear < 1 || utcYear > 9999) {
    throw eventErrors.invalid(field, `"${value}" is outside the years 0001 to 9999 (UTC)`);
  }
  return parsed;
}

function requiredString(value: unknown, field: string, max: number): string {
  if (value === undefined || value === null) throw eventErrors.invalid(field, 'is required');
  if (typeof value !== 'string' || value.trim() === '')
    throw eventErrors.invalid(field, 'must be a non-empty string');
  if (value.length > max) throw eventErrors.invalid(field, `is longer than ${max} characters`);
  if (value.includes('\u0000')) throw eventErrors.invalid(field, 'may not contain NUL characters');
  return value;
}

/**
 * Whether objects and arrays nest deeper than `max`, checked without recursion: deeply nested input would
 * otherwise exhaust the stack of JSON encoding here or of jsonb parsing in PostgreSQL (a 500, not a 400).
 */
function deeperThan(root: object, max: number): boolean {
  const stack: [unknown, number][] = [[root, 1]];
  for (let item = stack.pop(); item !== undefined; item = stack.pop()) {
    const [value, depth] = item;
    if (typeof value !== 'object' || value === null) continue;
    if (depth > max) return true;
    for (const child of Array.isArray(value) ? value : Object.values(value)) {
      if (typeof child === 'object' && child !== null) stack.push([child, depth + 1]);
    }
  }
  return false;
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The rules every event obeys, whichever surface it came through: the id carries its program's prefix, the
 * body names the same program, dates parse and end no earlier than they start, EventData is an object of
 * bounded size. Type schemas and rights are checked by the use-case.
 */
export function validateEvent(input: EventInput, names: FieldNames): ValidEvent {
  const eventId = requiredString(input.eventId, names.eventId, LIMITS.eventId);
  if (!EVENT_ID.test(eventId))
    throw eventErrors.invalid(names.eventId, 'may only hold printable ASCII characters');
  const hyphen = eventId.indexOf('-');
  const prefix = hyphen > 0 ? eventId.slice(0, hyphen) : '';
  if (!PROGRAM_ID.test(prefix) || hyphen === eventId.length - 1) throw eventErrors.prefixMissing(eventId);
  const programId = requiredString(input.programId, names.programId, 40);
  if (programId !== prefix) throw eventErrors.prefixMismatch(eventId, programId);
  const memberId = requiredString(input.memberId, names.memberId, LIMITS.memberId);
  const eventType = requiredString(input.eventType, names.eventType, 100);
  if (!EVENT_TYPE.test(eventType)) {
    throw eventErrors.invalid(names.eventType, 'may hold letters, digits and . _ : - (up to 100)');
  }
  const startAt = parseDateTime(input.start, names.start);
  const endAt = input.end === undefined || input.end === null ? startAt : parseDateTime(input.end, names.end);
  if (endAt.getTime() < startAt.getTime()) {
    throw eventErrors.endBeforeStart(names.end, names.start);
  }
  const data = input.data === undefined || input.data === null ? {} : input.data;
  if (!isPlainObject(data)) throw eventErrors.invalid(names.data, 'must be a JSON object');
  if (deeperThan(data, LIMITS.dataDepth)) {
    throw eventErrors.invalid(names.data, `is nested more than ${LIMITS.dataDepth} levels deep`);
  }
  const dataJson = JSON.stringify(data);
  // Cheap bound first: a UTF-8 byte is at most 3 per UTF-16 unit.
  if (dataJson.length * 3 > LIMITS.dataBytes && Buffer.byteLength(dataJson, 'utf8') > LIMITS.dataBytes) {
    throw eventErrors.tooLarge(names.data, LIMITS.dataBytes);
  }
  // PostgreSQL's jsonb cannot hold U+0000 (an escape preceded by an odd number of backslashes is one).
  if (dataJson.includes('\\u0000') && NUL_ESCAPE.test(dataJson)) {
    throw eventErrors.invalid(names.data, 'may not contain NUL characters (\\u0000)');
  }
  let referenceEventId: string | null = null;
  if (
    input.referenceEventId !== undefined &&
    input.referenceEventId !== null &&
    input.referenceEventId !== ''
  ) {
    referenceEventId = requiredString(input.referenceEventId, names.referenceEventId, LIMITS.eventId);
  }
  return { eventId, programId, memberId, eventType, startAt, endAt, data, referenceEventId, dataJson };
}
