import type { Principal } from '../../http/principal.ts';

/** Operators manage every app; a signed-in user manages the apps they own (admins: all). */
export function canManageApp(principal: Principal, app: { ownerUserId: string | null }): boolean {
  if (principal.kind === 'operator') return true;
  if (principal.kind === 'user') return principal.admin || app.ownerUserId === principal.userId;
  return false;
}

/** Only operators may create an app for someone else, or one with no owner. */
export function canChooseAppOwner(principal: Principal): boolean {
  return principal.kind === 'operator' || (principal.kind === 'user' && principal.admin);
}

/**
 * Who may check a user's access token: the app it was issued to (so one app cannot probe another app's
 * tokens), or an operator.
 */
export function canVerifyToken(principal: Principal, token: { clientId: string }): boolean {
  if (principal.kind === 'operator') return true;
  return principal.kind === 'app' && principal.appId === token.clientId;
}
