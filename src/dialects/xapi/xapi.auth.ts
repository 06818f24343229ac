import type { FastifyRequest } from 'fastify';
import type { Deps } from '../../deps.ts';
import { bearerToken, type Principal } from '../../http/principal.ts';
import { authenticateProgramKey } from '../../modules/events/index.ts';
import { authenticateBearer } from '../../modules/oauth/index.ts';
import { xapiErrors } from './xapi.wire.ts';

export const XAPI_SCOPE = 'xapi';

/**
 * An LRS credential is either an Event Store program key (HTTP Basic `ek_…:eks_…`: the program's rights,
 * grants and prefix rule) or the bearer token of a hub app holding the `xapi` scope. Anything else is a 401;
 * an app token without the scope is a 403.
 */
export async function authenticateXapi(deps: Deps, request: FastifyRequest): Promise<Principal> {
  const header = request.headers.authorization;
  if (header === undefined || header.trim() === '') {
    throw xapiErrors.unauthenticated(
      'Authorization: credentials are required (HTTP Basic with a program key, or an OAuth bearer token).',
    );
  }
  const key = await authenticateProgramKey(deps, header);
  if (key) return key;
  const token = bearerToken(request);
  if (token !== undefined) {
    const principal = await authenticateBearer(deps, token);
    if (principal === undefined)
      throw xapiErrors.unauthenticated('Authorization: the bearer token is unknown.');
    if (
      (principal.kind === 'app' || principal.kind === 'app_user') &&
      principal.scopes.includes(XAPI_SCOPE)
    ) {
      return principal;
    }
    throw xapiErrors.forbidden(`Authorization: the token does not carry the "${XAPI_SCOPE}" scope.`);
  }
  throw xapiErrors.unauthenticated(
    'Authorization: use HTTP Basic with a program key (ek_…:eks_…) or an OAuth bearer token.',
  );
}

/**
 * The `authority` the LRS sets on every statement it stores (xAPI: the LRS MUST set it to the credential's
 * identity): the program's key, the app, or for a person's token a two-member group of app and person.
 */
export function authorityOf(publicUrl: string, principal: Principal): Record<string, unknown> {
  const account = (homePage: string, name: string) => ({
    objectType: 'Agent',
    account: { homePage, name },
  });
  switch (principal.kind) {
    case 'program_key':
      return { ...account(`${publicUrl}/eventstore`, principal.programIds[0] ?? ''), name: principal.keyId };
    case 'app':
      return account(`${publicUrl}/oidc`, principal.appId);
    case 'app_user':
      return {
        objectType: 'Group',
        member: [account(`${publicUrl}/oidc`, principal.appId), account(`${publicUrl}/u`, principal.userId)],
      };
    default:
      throw xapiErrors.forbidden('Authorization: these credentials cannot write statements.');
  }
}
