import { isAdmin, type Principal } from '../../http/principal.ts';

/**
 * A non-admin operator token manages no app: an app's redirect URIs decide where sign-in codes go, so changing
 * any app's is an administrator's act (as managing any app's webhooks or event programs is).
 */
/** Hub admins manage every app; a signed-in user manages the apps they own. */
export function canManageApp(principal: Principal, app: { ownerUserId: string | null }): boolean {
  if (isAdmin(principal)) return true;
  return principal.kind === 'user' && app.ownerUserId !== null && app.ownerUserId === principal.userId;
}

/** Only hub admins may create an app for someone else, or one with no owner (every other app is the caller's). */
export function canChooseAppOwner(principal: Principal): boolean {
  return isAdmin(principal);
}

/** Hub admins see every app; a user the apps they own. */
export function canListAllApps(principal: Principal): boolean {
  return isAdmin(principal);
}

/**
 * Who may check a user's access token: the app it was issued to (so one app cannot probe another app's
 * tokens), or an operator.
 */
export function canVerifyToken(principal: Principal, token: { clientId: string }): boolean {
  if (principal.kind === 'operator') return true;
  return principal.kind === 'app' && principal.appId === token.clientId;
}
