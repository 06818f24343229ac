/**
 * Activities as sentences people read ("Ada posted “Week 2 sketches” in SOGTA"), relative times ("3 hours ago") and
 * day groups ("Today", "Yesterday", "1 March 2026"). Pure functions over plain values: the page renders the
 * parts as JSX (which escapes every name), and the tests check the wording without a database.
 */

/** Past tense (with its preposition) of the verbs apps and the hub use; the story's and AS2's. */
const PAST: Readonly<Record<string, string>> = {
  accept: 'accepted',
  add: 'added',
  announce: 'announced',
  answer: 'answered',
  ask: 'asked',
  attempt: 'attempted',
  attend: 'attended',
  bookmark: 'bookmarked',
  comment: 'commented on',
  complete: 'completed',
  create: 'created',
  delete: 'deleted',
  earn: 'earned',
  edit: 'edited',
  enrol: 'enrolled in',
  enroll: 'enrolled in',
  fail: 'did not pass',
  finish: 'finished',
  follow: 'followed',
  grade: 'graded',
  join: 'joined',
  launch: 'opened',
  leave: 'left',
  like: 'liked',
  listen: 'listened to',
  pass: 'passed',
  post: 'posted',
  publish: 'published',
  rate: 'rated',
  read: 'read',
  register: 'registered for',
  remove: 'removed',
  reply: 'replied to',
  review: 'reviewed',
  save: 'saved',
  share: 'shared',
  start: 'started',
  submit: 'submitted',
  update: 'updated',
  upload: 'uploaded',
  view: 'viewed',
  watch: 'watched',
};
const ALREADY_PAST = new Set(Object.values(PAST).map((phrase) => phrase.split(' ')[0] ?? phrase));

/**
 * The verb as a phrase between the actor and the object. Namespaced verbs (`xapi:completed`, an xAPI verb
 * URI's last segment) are looked up by their last part; a verb already in the past tense is kept. An unknown
 * verb is quoted, not conjugated by guesswork: `did “frobnicate” with`.
 */
export function verbPhrase(verb: string): { readonly phrase: string; readonly known: boolean } {
  const lower = verb.toLowerCase();
  const last =
    lower
      .split(/[:/.#]/)
      .filter(Boolean)
      .at(-1) ?? lower;
  for (const candidate of [lower, last]) {
    const past = PAST[candidate];
    if (past) return { phrase: past, known: true };
    if (ALREADY_PAST.has(candidate)) return { phrase: candidate, known: true };
  }
  return { phrase: `did “${last.replace(/[_-]+/g, ' ')}” with`, known: false };
}

/** A short, readable stand-in for a URL without a name: host and path, long paths cut in the middle. */
export function readableUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return url;
  }
  const path = decodeSafe(parsed.pathname.replace(/\/$/, ''));
  const text = `${parsed.host}${path}`;
  if (text.length <= 48) return text;
  const segments = path.split('/').filter(Boolean);
  return `${parsed.host}/…/${segments.at(-1) ?? ''}`.slice(0, 60);
}

function decodeSafe(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** The username at the end of a profile URL (`…/u/ada`), as a last resort for the actor's name. */
function usernameOf(actorUrl: string): string {
  return decodeSafe(actorUrl.replace(/\/$/, '').split('/').at(-1) ?? actorUrl);
}

export interface SentenceInput {
  readonly actorUrl: string | null;
  readonly verb: string;
  readonly object: string;
  /** The object's title as the app gave it (AS2 `name`), when it gave one. */
  readonly objectName?: string | null | undefined;
  readonly course: string | null;
  /** The app's own sentence (AS2 `summary`), when it gave one. */
  readonly message: string | null;
  /** Null when the hub itself published it (its messages repeat what the sentence says). */
  readonly appId: string | null;
}

export interface SentenceNames {
  /** The actor's display name. */
  readonly actor?: string | undefined;
  /** The object's title as the hub knows it (its courses, its badges); wins over the app's `objectName`. */
  readonly object?: string | undefined;
  /** The course's title, when known. */
  readonly course?: string | undefined;
  /** Who published it: the app's name (or the hub's). */
  readonly app: string;
}

export interface Linked {
  readonly text: string;
  readonly href: string | null;
  /** A title an app gave, shown in quotation marks (“Week 2 sketches”) around the link. */
  readonly quoted?: boolean;
}

export interface Sentence {
  readonly actor: Linked;
  readonly verb: string;
  readonly object: Linked;
  /** "in <course>", unless the object is the course itself. */
  readonly course: Linked | null;
  /** The app's own words, shown under the sentence when they add something. */
  readonly summary: string | null;
  readonly app: string;
}

/** The parts of an activity's sentence, each with its link (JSX escapes the texts when rendering). */
export function sentenceOf(item: SentenceInput, names: SentenceNames): Sentence {
  const actor: Linked = item.actorUrl
    ? { text: names.actor?.trim() || usernameOf(item.actorUrl), href: item.actorUrl }
    : { text: names.app, href: null };
  const courseText = item.course ? names.course?.trim() || readableUrl(item.course) : undefined;
  const objectIsCourse = item.course !== null && item.object === item.course;
  const known = names.object?.trim();
  const given = item.objectName?.trim();
  const object: Linked = known
    ? { text: known, href: item.object }
    : given
      ? { text: given, href: item.object, quoted: true }
      : {
          text: objectIsCourse && courseText ? courseText : readableUrl(item.object),
          href: item.object,
        };
  const course =
    item.course && !objectIsCourse && courseText ? { text: courseText, href: item.course } : null;
  const sentence: Omit<Sentence, 'summary'> = {
    actor,
    verb: verbPhrase(item.verb).phrase,
    object,
    course,
    app: names.app,
  };
  const plain = sentenceText({ ...sentence, summary: null });
  const summary =
    item.appId !== null && item.message && item.message.trim() !== plain ? item.message.trim() : null;
  return { ...sentence, summary };
}

/** A part as plain text: its text, in quotation marks when it is an app's title. */
export const partText = (part: Linked): string => (part.quoted ? `“${part.text}”` : part.text);

/** The sentence as plain text ("Ada posted “Week 2 sketches” in SOGTA"). */
export function sentenceText(s: Sentence): string {
  return `${s.actor.text} ${s.verb} ${partText(s.object)}${s.course ? ` in ${s.course.text}` : ''}`;
}

const UNITS: readonly [number, string][] = [
  [365 * 86_400_000, 'year'],
  [30 * 86_400_000, 'month'],
  [7 * 86_400_000, 'week'],
  [86_400_000, 'day'],
  [3_600_000, 'hour'],
  [60_000, 'minute'],
];

/** "just now", "5 minutes ago", "3 hours ago", "2 days ago"; a time ahead of `now` (clock skew) is "just now". */
export function relativeTime(then: Date, now: Date): string {
  const ago = now.getTime() - then.getTime();
  if (ago < 60_000) return 'just now';
  for (const [size, unit] of UNITS) {
    if (ago >= size) {
      const n = Math.floor(ago / size);
      return `${n} ${unit}${n === 1 ? '' : 's'} ago`;
    }
  }
  return 'just now';
}

/** The exact time for a `title`: "1 March 2026, 10:00 UTC". */
export function exactTime(at: Date): string {
  return `${dayName(at)}, ${at.toISOString().slice(11, 16)} UTC`;
}

function dayName(at: Date): string {
  return at.toLocaleDateString('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });
}

const dayKey = (at: Date) => at.toISOString().slice(0, 10);

/** "Today", "Yesterday" or the date, by UTC days (the hub does not know the reader's time zone). */
export function dayLabel(at: Date, now: Date): string {
  const key = dayKey(at);
  if (key === dayKey(now)) return 'Today';
  if (key === dayKey(new Date(now.getTime() - 86_400_000))) return 'Yesterday';
  return dayName(at);
}

/** Consecutive items of the same UTC day together, in the order given (feeds are newest first). */
export function groupByDay<T>(
  items: readonly T[],
  at: (item: T) => Date,
  now: Date,
): { readonly label: string; readonly key: string; readonly items: T[] }[] {
  const groups: { label: string; key: string; items: T[] }[] = [];
  for (const item of items) {
    const key = dayKey(at(item));
    const last = groups.at(-1);
    if (last && last.key === key) last.items.push(item);
    else groups.push({ key, label: dayLabel(at(item), now), items: [item] });
  }
  return groups;
}
