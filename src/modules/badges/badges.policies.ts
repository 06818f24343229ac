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

/**
 * The BadgeKit systems a principal may read and change, with everything in them (issuers, programs, badges,
 * codes, awards, applications, reviews, milestones): every system (BadgeKit's master key, a hub admin
 * operator), one system (a consumer key; an app, its own `app-<app id>` system), or none.
 */
export type SystemScope =
  | { readonly kind: 'all' }
  | { readonly kind: 'one'; readonly systemId: number }
  | { readonly kind: 'one'; readonly systemSlug: string }
  | { readonly kind: 'none' };

export function systemScopeOf(principal: Principal): SystemScope {
  switch (principal.kind) {
    case 'badgekit_consumer':
      return principal.systemId === null
        ? { kind: 'all' }
        : { kind: 'one', systemId: Number(principal.systemId) };
    case 'operator':
      return principal.admin ? { kind: 'all' } : { kind: 'none' };
    case 'app':
    case 'app_user':
      return { kind: 'one', systemSlug: appSystemSlug(principal.appId) };
    default:
      return { kind: 'none' };
  }
}

/** The system that holds an app's participation badges. */
export const appSystemSlug = (appId: string) => `app-${appId}`;

/** Whether the principal may read or change anything in this system. */
export function canUseSystem(principal: Principal, system: { id: number; slug: string }): boolean {
  const scope = systemScopeOf(principal);
  if (scope.kind !== 'one') return scope.kind === 'all';
  return 'systemId' in scope ? scope.systemId === system.id : scope.systemSlug === system.slug;
}

/** Listing every system, and creating one, is for principals that may use every system. */
export function canManageSystems(principal: Principal): boolean {
  return systemScopeOf(principal).kind === 'all';
}

/** Creating the system `slug`: a manager of systems, or an app creating its own participation-badge system. */
export function canCreateSystem(principal: Principal, slug: string): boolean {
  const scope = systemScopeOf(principal);
  return scope.kind === 'all' || (scope.kind === 'one' && 'systemSlug' in scope && scope.systemSlug === slug);
}
