/** The identity operations this module uses, taken from identity's index.ts. */
import type { FastifyReply } from 'fastify';
import type { Deps } from '../../deps.ts';
import type { Ids } from '../../lib/runtime.ts';
import { checkCredentials as identityCheck, startSession, type User, userRef } from '../identity/index.ts';

export { getUserByEmail } from '../identity/index.ts';

/** Email (or username) + password → user, with identity's throttling; throws identity's bad-credentials error. */
export function checkCredentials(deps: Deps, login: string, password: string, ip: string): Promise<User> {
  return identityCheck(deps, { email: login, password, ip });
}

export async function signInAs(deps: Deps, reply: FastifyReply, userId: string): Promise<void> {
  await startSession(deps, reply, userId);
}

export function personRef(deps: Pick<Deps, 'config'>, user: User) {
  return userRef(deps.config, user);
}

/** A username for an account the hub creates for an address (SSO, generateAccount): local part + suffix. */
export function generatedUsername(email: string, ids: Ids): string {
  const local = (email.split('@')[0] ?? 'user').replace(/[^A-Za-z0-9_-]/g, '').slice(0, 20);
  const suffix = ids
    .token(4)
    .toLowerCase()
    .replace(/[^a-z0-9]/g, 'x');
  return `${local.length >= 2 ? local : 'user'}-${suffix}`.replace(/^[^A-Za-z0-9]+/, 'u');
}
