import type { Principal } from '../../http/principal.ts';

/** Hub administrators: an admin operator token, or a signed-in user with the admin flag. */
export function isHubAdmin(principal: Principal): boolean {
  return (principal.kind === 'operator' || principal.kind === 'user') && principal.admin;
}
