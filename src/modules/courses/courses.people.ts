/** The identity operations this module uses, taken from identity's index.ts. */
import type { FastifyReply } from 'fastify';
import type { Deps } from '../../deps.ts';
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
