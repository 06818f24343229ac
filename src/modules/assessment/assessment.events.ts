import type { Deps } from '../../deps.ts';
import type { Course } from '../courses/index.ts';
import { getUsersByIds, userRef } from '../identity/index.ts';

/** How assessment events name the course: as every course event does, with the owning app for webhooks. */
export const courseFields = (course: Course) => ({
  course: { id: course.id, path: course.path, title: course.title, url: course.url },
  ...(course.ownerAppId ? { app_ids: [course.ownerAppId] } : {}),
});

/** People as events name them (identity's userRef); ids without an account are left out. */
export async function userRefs(deps: Pick<Deps, 'db' | 'config'>, ids: readonly string[]) {
  const users = await getUsersByIds(deps, [...new Set(ids)]);
  return new Map([...users].map(([id, u]) => [id, userRef(deps.config, u)]));
}
