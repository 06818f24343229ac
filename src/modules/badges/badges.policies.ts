import type { Principal } from '../../http/principal.ts';

/** The app a principal acts as, when it is an app (alone or acting for a user). */
export function appOf(principal: Principal): string | undefined {
  return principal.kind === 'app' || principal.kind === 'app_user' ? principal.appId : undefined;
}

/** The OAuth scope an app's token must carry to award its badges (as itself or acting for a person). */
export const AWARD_SCOPE = 'badges:award';

/** Whether an app's token carries a scope; other principals carry none. */
export function hasScope(principal: Principal, scope: string): boolean {
  return (principal.kind === 'app' || principal.kind === 'app_user') && principal.scopes.includes(scope);
}

/** Only the app that owns a participation badge may award it. */
export function canAwardAppBadge(principal: Principal, badge: { ownerAppId: string | null }): boolean {
  const appId = appOf(principal);
  return appId !== undefined && badge.ownerAppId === appId;
}

/** An app acting for one user may only award to that user. */
export function canAwardTo(principal: Principal, userId: string): boolean {
  return principal.kind !== 'app_user' || principal.userId === userId;
}
