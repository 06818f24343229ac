import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../deps.ts';
import type { AuthenticatorRegistry } from '../../http/auth.ts';
import { accountRoutes } from './identity.account.routes.ts';
import { assertSessionRequestAllowed } from './identity.api-origin.ts';
import { registerIdentityJobs } from './identity.jobs.ts';
import { profileRoutes } from './identity.profile.routes.tsx';
import { profileSectionsOf } from './identity.profile.sections.ts';
import { identityRoutes } from './identity.routes.ts';
import { sessionUser } from './identity.sessions.ts';
import { signInAppResolversOf } from './identity.signin-apps.ts';

export type { SignInApp } from './identity.pages.tsx';
export { addProfileSection, type ProfileSection } from './identity.profile.sections.ts';
export { requireSignedInUser } from './identity.require.ts';
export {
  type ActiveSession,
  activeSession,
  endSessionByToken,
  SESSION_COOKIE,
  sessionUser,
  signIn as checkCredentials,
  startSession,
} from './identity.sessions.ts';
export { addSignInAppResolver, type SignInAppResolver } from './identity.signin-apps.ts';
export {
  createUser,
  getUserByEmail,
  getUserById,
  getUserByUsername,
  getUsersByIds,
  type NewUser,
  profileUrl,
  resolveUserRef,
  type User,
  userRef,
} from './identity.usecases.ts';

/** Accounts: sign-up, sign-in, sessions, profiles, and the session authenticator for `principals: ['user']`. */
export async function registerIdentity(app: FastifyInstance, deps: Deps, auth: AuthenticatorRegistry) {
  // Only the cookie is looked at here; bearer tokens are other authenticators' business. An unknown,
  // tampered or expired cookie simply means "not signed in".
  auth.add({
    name: 'session',
    authenticate: async (request) => {
      const user = await sessionUser(deps, request);
      if (!user) return undefined;
      assertSessionRequestAllowed(request, deps.config.publicUrl);
      return { kind: 'user', userId: user.id, admin: user.admin };
    },
  });
  registerIdentityJobs(deps);
  await app.register(identityRoutes, { deps, appResolvers: signInAppResolversOf(app) });
  await app.register(accountRoutes, { deps });
  await app.register(profileRoutes, { deps, sections: profileSectionsOf(app) });
}
