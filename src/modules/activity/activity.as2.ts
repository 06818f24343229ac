import type { Static } from 'typebox';
import type { Deps } from '../../deps.ts';
import { appLabel } from '../oauth/index.ts';
import type { ActivityRow } from './activity.repository.ts';
import type { As2ActivityBody } from './activity.schemas.ts';
import type { ActivityInput } from './activity.validation.ts';

export const AS2_CONTEXT = 'https://www.w3.org/ns/activitystreams';
export const AS2_MEDIA_TYPE = 'application/activity+json';

/** Activity Streams 2.0 activity types (Activity Vocabulary §3.1) by lower-cased name. */
const AS2_TYPES = new Map(
  [
    'Accept',
    'Add',
    'Announce',
    'Arrive',
    'Block',
    'Create',
    'Delete',
    'Dislike',
    'Flag',
    'Follow',
    'Ignore',
    'Invite',
    'Join',
    'Leave',
    'Like',
    'Listen',
    'Move',
    'Offer',
    'Question',
    'Read',
    'Reject',
    'Remove',
    'TentativeAccept',
    'TentativeReject',
    'Travel',
    'Undo',
    'Update',
    'View',
  ].map((t) => [t.toLowerCase(), t]),
);
/** The story's verbs that mean an AS2 type under another name. */
const SYNONYMS: Record<string, string> = { post: 'Create', join: 'Join', leave: 'Leave', share: 'Announce' };

/**
 * An AS2 type for a verb: the vocabulary's own type when the verb names one, otherwise the generic
 * `Activity`. The verb itself is always kept as `learnhub:verb`, so nothing is lost in translation.
 */
export function as2Type(verb: string): string {
  return SYNONYMS[verb] ?? AS2_TYPES.get(verb) ?? 'Activity';
}

interface Generator {
  type: 'Application';
  id: string;
  name: string;
  url?: string;
}

type As2Deps = Pick<Deps, 'db' | 'config' | 'pool' | 'logger'>;

// App names and homepages come from oauth's cache (a lookup per app and page would otherwise be the bulk of an
// AS2 page's queries); a rename or deletion empties it in every process (oauth.app-cache.ts).
async function generatorFor(deps: As2Deps, appId: string | null): Promise<Generator> {
  if (appId === null) return { type: 'Application', id: deps.config.publicUrl, name: 'Learnhub' };
  const app = await appLabel(deps, appId);
  return {
    type: 'Application',
    id: `urn:uuid:${appId}`,
    name: app?.name ?? 'An app',
    ...(app?.homepageUrl ? { url: app.homepageUrl } : {}),
  };
}

/** The display names of the apps behind some activities (null: the hub itself). */
export async function appNamesFor(
  deps: As2Deps,
  appIds: Iterable<string | null>,
): Promise<Map<string | null, string>> {
  const names = new Map<string | null, string>();
  for (const appId of new Set(appIds)) names.set(appId, (await generatorFor(deps, appId)).name);
  return names;
}

export interface As2PageLinks {
  readonly id: string;
  readonly partOf: string;
  readonly next: string | null;
  readonly noun: string;
}

/** A feed page as an AS2 OrderedCollectionPage of activities. */
export async function toAs2Page(deps: As2Deps, items: readonly ActivityRow[], links: As2PageLinks) {
  const generators = new Map<string | null, Generator>();
  for (const appId of new Set(items.map((i) => i.appId)))
    generators.set(appId, await generatorFor(deps, appId));
  const orderedItems = items.map((a) => {
    const generator = generators.get(a.appId) ?? { type: 'Application' as const, id: '', name: '' };
    return {
      id: `urn:uuid:${a.id}`,
      type: as2Type(a.verb),
      'learnhub:verb': a.verb,
      // An anonymous activity is the app's own doing.
      actor: a.actorUrl ? { type: 'Person', id: a.actorUrl, url: a.actorUrl } : generator,
      // With the app's title the object is an AS2 Object carrying its `name`; without one, just its URL.
      object: a.objectName ? { type: 'Object', id: a.object, name: a.objectName, url: a.object } : a.object,
      ...(a.target ? { target: a.target } : {}),
      ...(a.course ? { context: a.course } : {}),
      ...(a.verbUrl ? { url: a.verbUrl } : {}),
      ...(a.message ? { summary: a.message } : {}),
      published: a.publishedAt.toISOString(),
      ...(a.updatedAt.getTime() !== a.createdAt.getTime() ? { updated: a.updatedAt.toISOString() } : {}),
      generator,
    };
  });
  return {
    '@context': [AS2_CONTEXT, { learnhub: `${deps.config.publicUrl}/ns/activity#` }],
    id: links.id,
    type: 'OrderedCollectionPage',
    summary: `Activities involving ${links.noun}`,
    partOf: links.partOf,
    ...(links.next ? { next: links.next } : {}),
    orderedItems,
  };
}

/** Whether the client asked for Activity Streams (as `application/activity+json` or the JSON-LD profile). */
export function wantsAs2(accept: string | undefined): boolean {
  if (!accept) return false;
  return accept.includes(AS2_MEDIA_TYPE) || /application\/ld\+json[^,]*activitystreams/.test(accept);
}

/**
 * One text of a natural-language map (AS2 `nameMap`, `summaryMap`): the undetermined language (`und`) when
 * given, else English (the hub's pages are in English), else the first the document lists.
 */
export function pickLanguage(map: Readonly<Record<string, string>> | undefined): string | undefined {
  if (!map) return undefined;
  const entries = Object.entries(map);
  const english = entries.find(([tag]) => tag.toLowerCase() === 'en' || tag.toLowerCase().startsWith('en-'));
  return map.und ?? english?.[1] ?? entries[0]?.[1];
}

const idOf = (ref: string | { id: string } | undefined) => (typeof ref === 'object' ? ref.id : ref);

/** Actor types that mean "the app itself": such an activity is published anonymously, as the app. */
const APP_TYPES = new Set(['Application', 'Service']);

/**
 * An AS2 activity as the native input: `learnhub:verb` or the lower-cased type as verb; the object's `name`
 * (or a language of its `nameMap`) as `object_name`; `summary` (or `summaryMap`, else the object's summary) as
 * `message`; `context` as `course`; `url` as `verb_url`. A plain `name` wins over `nameMap`, as in AS2.
 */
export function fromAs2(body: Static<typeof As2ActivityBody>): ActivityInput {
  const object = typeof body.object === 'object' ? body.object : undefined;
  const actor =
    typeof body.actor === 'object'
      ? body.actor.type && APP_TYPES.has(body.actor.type)
        ? undefined
        : (body.actor.id ?? body.actor.url)
      : body.actor;
  return {
    actor,
    verb: body['learnhub:verb'] ?? body.type.toLowerCase(),
    object: typeof body.object === 'object' ? body.object.id : body.object,
    object_name: object?.name ?? pickLanguage(object?.nameMap),
    target: idOf(body.target),
    course: idOf(body.context),
    verb_url: body.url,
    message: body.summary ?? pickLanguage(body.summaryMap) ?? object?.summary,
    published: body.published,
  };
}
