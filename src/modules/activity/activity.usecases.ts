import type { Deps } from '../../deps.ts';
import type { Principal } from '../../http/principal.ts';
import { getUserById, profileUrl, resolveUserRef } from '../identity/index.ts';
import { hasUserGrant } from '../oauth/index.ts';
import { activityErrors } from './activity.errors.ts';
import { activityNounHashes, nounKey } from './activity.nouns.ts';
import { mayDelete, mayPublishFor, publishingApp } from './activity.policies.ts';
import {
  type ActivityRow,
  findActivityById,
  findSettings,
  insertActivity,
  insertNewActivity,
  lockAppActivity,
  markDeleted,
  replaceActivity,
  upsertSettings,
} from './activity.repository.ts';
import { type ActivityInput, contentHash, parseContent } from './activity.validation.ts';

type ActivityDeps = Pick<Deps, 'db' | 'pool' | 'config' | 'clock' | 'ids'>;

export const PUBLISH_SCOPE = 'activities:publish';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export type Activity = ActivityRow;

export interface Published {
  readonly activity: Activity;
  /** created: a new activity; updated: a PUT changed it; unchanged: a PUT repeated it. */
  readonly outcome: 'created' | 'updated' | 'unchanged';
}

function nounsOf(row: Pick<ActivityRow, 'actorUrl' | 'object' | 'target' | 'course'>) {
  return [row.actorUrl, row.object, row.target, row.course];
}

export function hashesOf(
  deps: Pick<Deps, 'config'>,
  row: Pick<ActivityRow, 'actorUrl' | 'object' | 'target' | 'course'>,
) {
  return activityNounHashes(deps.config.publicUrl, nounsOf(row));
}

const notGranted = (username: string) =>
  activityErrors.notPermitted(
    `This app does not hold ${username}'s "${PUBLISH_SCOPE}" permission; publish without an actor instead.`,
  );

/**
 * Resolves the actor and applies the publishing rule: a token only speaks for its own user, and the app
 * needs the user's live grant. `checkGrant: false` leaves the grant to the caller's write (POST checks it in
 * the insert statement itself).
 */
async function resolveActor(
  deps: ActivityDeps,
  principal: Principal,
  appId: string,
  ref: string | undefined,
  checkGrant: boolean,
) {
  if (ref === undefined) return { actorUserId: null, actorUrl: null, username: null };
  const user = await resolveUserRef(deps, ref);
  if (!user) throw activityErrors.actorNotFound();
  if (principal.kind === 'app_user' && principal.userId !== user.id) {
    throw activityErrors.notPermitted("A user's access token may only publish activities for that user.");
  }
  const granted = checkGrant ? await hasUserGrant(deps, appId, user.id, PUBLISH_SCOPE) : true;
  if (!mayPublishFor(principal, user.id, granted)) throw notGranted(user.username);
  return {
    actorUserId: user.id,
    actorUrl: profileUrl(deps.config, user.username),
    username: user.username,
  };
}

/** An app's activity as it sent it: native JSON, or Activity Streams 2.0 already read by fromAs2(). */
export interface PublishInput extends ActivityInput {
  /** The request's name of the title field, for error messages (AS2: `object.name`). */
  readonly nameField?: string;
}

async function prepare(deps: ActivityDeps, principal: Principal, input: PublishInput, checkGrant: boolean) {
  const appId = publishingApp(principal);
  if (!appId) throw activityErrors.notPermitted('Only apps publish activities.');
  const now = deps.clock.now();
  const content = parseContent(input, now, input.nameField);
  const { username, ...actor } = await resolveActor(deps, principal, appId, input.actor, checkGrant);
  const fields = {
    ...actor,
    verb: content.verb,
    verbUrl: content.verbUrl,
    object: content.object,
    objectName: content.objectName,
    target: content.target,
    course: content.course,
    message: content.message,
    contentHash: contentHash(actor.actorUserId, content),
  };
  return { appId, now, published: content.published, fields, username };
}

/**
 * POST /api/v1/activities: a new activity every time. The grant is checked by the insert itself, so a grant
 * revoked a moment ago is already refused and nothing is written.
 */
export async function publishActivity(
  deps: ActivityDeps,
  principal: Principal,
  input: PublishInput,
): Promise<Published> {
  const { appId, now, published, fields, username } = await prepare(deps, principal, input, false);
  const row = {
    id: deps.ids.uuid(),
    appId,
    ...fields,
    publishedAt: published ?? now,
    createdAt: now,
    updatedAt: now,
  };
  if (!(await insertNewActivity(deps.pool, row, hashesOf(deps, row), PUBLISH_SCOPE))) {
    throw notGranted(username ?? 'the actor');
  }
  return {
    activity: { appActivityId: null, sourceEventId: null, deletedAt: null, ...row },
    outcome: 'created',
  };
}

/**
 * PUT /api/v1/activities/{app_activity_id}: idempotent by the app's own id. The same content again changes
 * nothing; different content replaces it (keeping its publish time unless a new one is given); an activity
 * the person deleted stays deleted (410).
 */
export async function putActivity(
  deps: ActivityDeps,
  principal: Principal,
  appActivityId: string,
  input: PublishInput,
): Promise<Published> {
  const { appId, now, published, fields } = await prepare(deps, principal, input, true);
  return deps.db.transaction(async (tx) => {
    const row = {
      id: deps.ids.uuid(),
      appId,
      appActivityId,
      ...fields,
      publishedAt: published ?? now,
      createdAt: now,
      updatedAt: now,
    };
    if (await insertActivity(tx, row, hashesOf(deps, row), 'app_activity')) {
      return { activity: { sourceEventId: null, deletedAt: null, ...row }, outcome: 'created' as const };
    }
    const existing = await lockAppActivity(tx, appId, appActivityId);
    if (!existing) throw new Error('activity vanished between insert and lock');
    if (existing.deletedAt) throw activityErrors.deleted();
    const samePublished = published === undefined || published.getTime() === existing.publishedAt.getTime();
    if (existing.contentHash === fields.contentHash && samePublished) {
      return { activity: existing, outcome: 'unchanged' as const };
    }
    const next = { ...fields, publishedAt: published ?? existing.publishedAt, updatedAt: now };
    const updated = await replaceActivity(
      tx,
      { id: existing.id, publishedAt: existing.publishedAt, hashes: hashesOf(deps, existing) },
      next,
      hashesOf(deps, next),
    );
    return { activity: updated, outcome: 'updated' as const };
  });
}

/** Deletes an activity (for good: a repeated PUT cannot bring it back) if the policy allows the caller. */
export async function deleteActivity(deps: ActivityDeps, principal: Principal, id: string): Promise<void> {
  if (!UUID.test(id)) throw activityErrors.notFound();
  const row = await findActivityById(deps.db, id.toLowerCase());
  if (!row || row.deletedAt) throw activityErrors.notFound();
  let ownKey: string | undefined;
  if (principal.kind === 'user') {
    const user = await getUserById(deps, principal.userId);
    if (user) ownKey = nounKey(deps.config.publicUrl, profileUrl(deps.config, user.username));
  }
  const named = [row.object, row.target, row.course].map((n) =>
    n ? nounKey(deps.config.publicUrl, n) : null,
  );
  const about = () => ownKey !== undefined && named.includes(ownKey);
  if (!mayDelete(principal, row, about)) {
    throw activityErrors.notPermitted(
      'Only the person an activity is about, or the app that published it, may delete it.',
    );
  }
  await deps.db.transaction((tx) =>
    markDeleted(
      tx,
      { id: row.id, publishedAt: row.publishedAt, hashes: hashesOf(deps, row) },
      deps.clock.now(),
    ),
  );
}

export interface FeedSettings {
  readonly private: boolean;
}

export async function getFeedSettings(deps: Pick<Deps, 'db'>, userId: string): Promise<FeedSettings> {
  return { private: (await findSettings(deps.db, userId))?.private ?? false };
}

export async function setFeedPrivate(
  deps: Pick<Deps, 'db' | 'clock'>,
  userId: string,
  isPrivate: boolean,
): Promise<FeedSettings> {
  await upsertSettings(deps.db, userId, isPrivate, deps.clock.now());
  return { private: isPrivate };
}
