import type pg from 'pg';
import { notificationsFor } from '../../db/notifications.ts';
import { NotifiedCache } from '../../db/notified-cache.ts';
import type { Deps } from '../../deps.ts';
import { UUID } from './oauth.client.ts';
import { findAppById } from './oauth.repository.ts';

/**
 * The channel a trigger on oauth_apps notifies (migration 0003_oauth_app_changed_notify) on every update or
 * delete, whoever made it; PostgreSQL delivers it on commit to every listening session.
 */
export const APPS_CHANNEL = 'learnhub_oauth_apps';

/** How other modules name an app to people: in mail ("sent by ..."), as an activity's generator. */
export interface AppLabel {
  readonly name: string;
  readonly homepageUrl: string | null;
}

const caches = new WeakMap<pg.Pool, NotifiedCache<AppLabel | null>>();

function cacheOf(deps: Pick<Deps, 'pool' | 'logger'>): NotifiedCache<AppLabel | null> {
  let cache = caches.get(deps.pool);
  if (!cache) {
    cache = new NotifiedCache<AppLabel | null>(notificationsFor(deps), APPS_CHANNEL);
    caches.set(deps.pool, cache);
  }
  return cache;
}

/**
 * An app's name and homepage, from a per-process cache: messaging names the sending app in every mail of a
 * bulk send, and Activity Streams pages name the generator of every activity. A renamed or deleted app is
 * seen by the next lookup after the change commits, in every process (db/notified-cache.ts). Unknown ids
 * are cached too (as null), until the next change to any app.
 */
export function appLabel(
  deps: Pick<Deps, 'db' | 'pool' | 'logger'>,
  appId: string,
): Promise<AppLabel | null> {
  return cacheOf(deps).get(appId, async () => {
    const row = UUID.test(appId) ? await findAppById(deps.db, appId) : undefined;
    return row ? { name: row.name, homepageUrl: row.homepageUrl } : null;
  });
}

/** Resolves once app changes are heard (tests: a lookup after this is cached until a change arrives). */
export function whenAppChangesHeard(deps: Pick<Deps, 'pool' | 'logger'>): Promise<void> {
  return cacheOf(deps).whenListening();
}

/** Clears this process's app labels at once (the notification does so a few milliseconds later anyway). */
export function forgetAppLabels(deps: Pick<Deps, 'pool'>): void {
  caches.get(deps.pool)?.invalidate();
}

/** Forgets the pool's cache when the app closes (its listening connection closes with the app). */
export function closeAppCache(deps: Pick<Deps, 'pool'>): void {
  forgetAppLabels(deps);
  caches.delete(deps.pool);
}
