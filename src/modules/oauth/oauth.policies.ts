import type { Principal } from '../../http/principal.ts';

/**
 * Admin operator tokens manage every app; a signed-in user manages the apps they own (admins: all). A
 * non-admin operator token manages none: an app's redirect URIs decide where sign-in codes go, so changing
 * any app's is an administrator's act (as managing any app's webhooks or event programs is).
 */
export function canManageApp(principal: Principal, app: { ownerUserId: string | null }): boolean {
  if (principal.kind === 'operator') return principal.admin;
  if (principal.kind === 'user') return principal.admin || app.ownerUserId === principal.userId;
  return false;
}

/** Only administrators (admin operator tokens, admin users) may create an app for someone else. */
export function canChooseAppOwner(principal: Principal): boolean {
  return (principal.kind === 'operator' || principal.kind === 'user') && principal.admin;
}

/**
 * Who may check a user's access token: the app it was issued to (so one app cannot probe another app's
 * tokens), or an operator.
 */
export function canVerifyToken(principal: Principal, token: { clientId: string }): boolean {
  if (principal.kind === 'operator') return true;
  return principal.kind === 'app' && principal.appId === token.clientId;
}
