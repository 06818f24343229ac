import type { Deps } from '../../deps.ts';
import { appLabel } from '../oauth/index.ts';
import type { ActivityRow } from './activity.repository.ts';

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
      object: a.object,
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
