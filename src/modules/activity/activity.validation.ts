import { createHash } from 'node:crypto';
import { errors } from '../../errors/index.ts';
import { activityErrors } from './activity.errors.ts';
import { normaliseUrl } from './activity.nouns.ts';
import { MAX_OBJECT_NAME_LENGTH } from './activity.schemas.ts';

/** What an app sends (native JSON names). */
export interface ActivityInput {
  readonly actor?: string | undefined;
  readonly verb: string;
  readonly object: string;
  readonly object_name?: string | undefined;
  readonly target?: string | undefined;
  readonly course?: string | undefined;
  readonly verb_url?: string | undefined;
  readonly message?: string | undefined;
  readonly published?: string | undefined;
}

export interface ActivityContent {
  readonly verb: string;
  readonly object: string;
  /** The object's title (AS2 `name`), trimmed; null when none was given. */
  readonly objectName: string | null;
  readonly target: string | null;
  readonly course: string | null;
  readonly verbUrl: string | null;
  readonly message: string | null;
  /** Only when the app gave one; otherwise the time of publishing (or, on an update, the old time). */
  readonly published: Date | undefined;
}

/** How far ahead of the hub's clock a given publish time may be (clock skew between servers). */
const FUTURE_TOLERANCE_MS = 5 * 60_000;
/** C0 and C1 control characters (NUL, line breaks, tabs, escapes, ...) and DEL: a title is one line of text. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: refusing control characters is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i;

/** A one-line plain-text title: trimmed, empty is none, control characters refused (400 naming the field). */
function title(field: string, value: string | undefined): string | null {
  if (value === undefined) return null;
  if (CONTROL.test(value)) throw activityErrors.invalidName(field, 'must not contain control characters');
  const trimmed = value.trim();
  if (trimmed.length > MAX_OBJECT_NAME_LENGTH) {
    throw activityErrors.invalidName(field, `must be at most ${MAX_OBJECT_NAME_LENGTH} characters`);
  }
  return trimmed ? trimmed : null;
}

function url(field: string, value: string | undefined): string | null {
  if (value === undefined) return null;
  const normalised = normaliseUrl(value);
  if (!normalised) throw activityErrors.invalidUrl(field);
  return normalised;
}

/**
 * Checks what the schema cannot (URLs, the publish time, control characters in the title) and normalises: URLs to their WHATWG form, the verb
 * to lower case, an empty message to none. Throws 400 naming the field.
 */
export function parseContent(
  input: ActivityInput,
  now: Date,
  /** How the title's field is called in the request (AS2: `object.name`). */
  nameField = 'object_name',
): ActivityContent {
  const object = url('object', input.object);
  if (object === null) throw activityErrors.invalidUrl('object');
  let published: Date | undefined;
  if (input.published !== undefined) {
    published = new Date(input.published);
    if (!RFC3339.test(input.published) || Number.isNaN(published.getTime())) {
      throw activityErrors.invalidPublished('must be an RFC 3339 date-time, e.g. 2026-03-01T10:00:00Z');
    }
    if (published.getTime() > now.getTime() + FUTURE_TOLERANCE_MS) {
      throw activityErrors.invalidPublished('must not be in the future');
    }
  }
  const message = input.message?.trim();
  return {
    verb: input.verb.toLowerCase(),
    object,
    objectName: title(nameField, input.object_name),
    target: url('target', input.target),
    course: url('course', input.course),
    verbUrl: url('verb_url', input.verb_url),
    message: message ? message : null,
    published,
  };
}

/** Fingerprint of everything but the publish time, to recognise an unchanged PUT. */
export function contentHash(actorUserId: string | null, content: ActivityContent): string {
  const fields = [
    actorUserId,
    content.verb,
    content.object,
    content.target,
    content.course,
    content.verbUrl,
    content.message,
    // Last, and only when present, so the hashes of activities stored before titles existed stay the same.
    ...(content.objectName === null ? [] : [content.objectName]),
  ];
  return createHash('sha256').update(JSON.stringify(fields)).digest('hex');
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * The titles' types as the app sent them, before the schema's validator coerces (it turns 42 into "42" and
 * null into ""): a title that is not a string is refused with 400 naming the field. Native `object_name`;
 * AS2 `object.name` and the values of `object.nameMap`.
 */
export function refuseNonStringTitles(body: unknown): void {
  if (!isRecord(body)) return;
  const wrong: string[] = [];
  if ('object_name' in body && typeof body.object_name !== 'string') wrong.push('object_name');
  const object = body.object;
  if (isRecord(object)) {
    if ('name' in object && typeof object.name !== 'string') wrong.push('object.name');
    if (isRecord(object.nameMap)) {
      for (const [tag, text] of Object.entries(object.nameMap)) {
        if (typeof text !== 'string') wrong.push(`object.nameMap.${tag}`);
      }
    }
  }
  if (wrong.length > 0)
    throw errors.validation(wrong.map((field) => ({ field, message: 'must be a string' })));
}
