import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Deps } from '../../deps.ts';
import { sessionUser } from './identity.sessions.ts';
import type { User } from './identity.usecases.ts';

/**
 * For pages that need a signed-in person: the user, or (having sent a redirect to sign in and come back)
 * undefined. A GET comes back to the same URL; a form post comes back to `fallback`, since it cannot be replayed.
 */
export async function requireSignedInUser(
  deps: Deps,
  request: FastifyRequest,
  reply: FastifyReply,
  fallback = '/account',
): Promise<User | undefined> {
  const user = await sessionUser(deps, request);
  if (!user) {
    const back = request.method === 'GET' ? request.url : fallback;
    await reply.redirect(`/login?return_to=${encodeURIComponent(back)}`, 303);
  }
  return user;
}
