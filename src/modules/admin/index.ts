import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../deps.ts';
import type { AuthenticatorRegistry } from '../../http/auth.ts';
import { bearerToken } from '../../http/principal.ts';
import { adminRoutes } from './admin.routes.ts';
import { authenticateApiToken } from './admin.usecases.ts';

export { authenticateApiToken, type CreatedApiToken, createApiToken, listMail } from './admin.usecases.ts';

/** Operator API tokens and the hub's admin pages. */
export async function registerAdmin(app: FastifyInstance, deps: Deps, auth: AuthenticatorRegistry) {
  auth.add({
    name: 'operator-token',
    authenticate: async (request) => {
      const token = bearerToken(request);
      return token ? authenticateApiToken(deps, token) : undefined;
    },
  });
  await app.register(adminRoutes, { deps });
}
