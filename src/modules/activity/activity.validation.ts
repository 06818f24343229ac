import { createHash } from 'node:crypto';
import { activityErrors } from './activity.errors.ts';
import { normaliseUrl } from './activity.nouns.ts';

/** What an app sends (native JSON names). */
export interface ActivityInput {
  readonly actor?: string | undefined;
  readonly verb: string;
  readonly object: string;
  readonly target?: string | undefined;
  readonly course?: string | undefined;
  readonly verb_url?: string | undefined;
  readonly message?: string | undefined;
  readonly published?: string | undefined;
}

export interface ActivityContent {
  readonly verb: string;
  readonly object: string;
  readonly target: string | null;
  readonly course: string | null;
  readonly verbUrl: string | null;
  readonly message: string | null;
  /** Only when the app gave one; otherwise the time of publishing (or, on an update, the old time). */
  readonly published: Date | undefined;
}

/** How far ahead of the hub's clock a given publish time may be (clock skew between servers). */
const FUTURE_TOLERANCE_MS = 5 * 60_000;
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i;

function url(field: string, value: string | undefined): string | null {
  if (value === undefined) return null;
  const normalised = normaliseUrl(value);
  if (!normalised) throw activityErrors.invalidUrl(field);
  return normalised;
}

/**
 * Checks what the schema cannot (URLs, the publish time) and normalises: URLs to their WHATWG form, the verb
 * to lower case, an empty message to none. Throws 400 naming the field.
 */
export function parseContent(input: ActivityInput, now: Date): ActivityContent {
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
  ];
  return createHash('sha256').update(JSON.stringify(fields)).digest('hex');
}
