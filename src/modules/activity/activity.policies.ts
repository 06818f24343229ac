import type { Principal } from '../../http/principal.ts';

/** The app behind a publishing principal, or undefined when the principal is not an app. */
export function publishingApp(principal: Principal): string | undefined {
  return principal.kind === 'app' || principal.kind === 'app_user' ? principal.appId : undefined;
}

/**
 * Publishing for a person needs the person's current `activities:publish` grant to the app (checked by the
 * caller at publish time, so a revoked grant stops publishing at once). A user's token additionally only
 * speaks for its own user.
 */
export function mayPublishFor(principal: Principal, actorUserId: string, hasGrant: boolean): boolean {
  if (principal.kind === 'app_user' && principal.userId !== actorUserId) return false;
  return (principal.kind === 'app' || principal.kind === 'app_user') && hasGrant;
}

/** Whose private activities the caller may see: a person sees their own, also through an app acting for them. */
export function viewerOf(principal: Principal): string | undefined {
  return principal.kind === 'user' || principal.kind === 'app_user' ? principal.userId : undefined;
}

/**
 * Who may delete an activity: the person it is about (its actor, or named by profile URL as its object,
 * target or course), or the app that published it.
 */
export function mayDelete(
  principal: Principal,
  activity: { appId: string | null; actorUserId: string | null },
  isAboutUser: (userId: string) => boolean,
): boolean {
  if (principal.kind === 'user')
    return activity.actorUserId === principal.userId || isAboutUser(principal.userId);
  if (principal.kind === 'app' || principal.kind === 'app_user') return activity.appId === principal.appId;
  return false;
}
