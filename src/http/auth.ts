import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { AppError, errors } from '../errors/index.ts';
import { ANONYMOUS, type Authenticator, type Principal } from './principal.ts';

const PRINCIPAL = Symbol('learnhub.principal');

/** The registry modules add authenticators to, in the order they should be tried. */
export class AuthenticatorRegistry {
  readonly #list: Authenticator[] = [];

  add(authenticator: Authenticator): void {
    this.#list.push(authenticator);
  }

  async resolve(request: FastifyRequest): Promise<Principal> {
    for (const authenticator of this.#list) {
      const principal = await authenticator.authenticate(request);
      if (principal) return principal;
    }
    return ANONYMOUS;
  }
}

/**
 * Resolves the principal on routes that declare `config.principals` and refuses the others: 401 when no (or
 * no valid) credential was given, 403 when the credential is valid but of a kind the route does not accept.
 */
export const authPlugin = fp<{ registry: AuthenticatorRegistry }>(
  async (app: FastifyInstance, { registry }) => {
    // Fastify refuses shared object defaults on requests; a getter falls back to the anonymous principal.
    app.decorateRequest('principal', {
      getter(this: FastifyRequest & { [PRINCIPAL]?: Principal }) {
        return this[PRINCIPAL] ?? ANONYMOUS;
      },
      setter(this: FastifyRequest & { [PRINCIPAL]?: Principal }, value: Principal) {
        this[PRINCIPAL] = value;
      },
    });
    const authenticate = async (request: FastifyRequest) => {
      const accepted = request.routeOptions.config.principals ?? [];
      const principal = await registry.resolve(request);
      request.principal = principal;
      if (accepted.includes(principal.kind)) return;
      if (principal.kind === 'anonymous') throw errors.unauthenticated();
      throw new AppError(
        'auth.wrong_principal',
        `This endpoint does not accept ${principal.kind.replace('_', ' ')} credentials.`,
      );
    };
    // Only routes that declare principals get the hook, so public routes pay nothing for authentication.
    app.addHook('onRoute', (route) => {
      if (!route.config?.principals) return;
      const existing = route.onRequest ? [route.onRequest].flat() : [];
      route.onRequest = [authenticate, ...existing];
    });
  },
  { name: 'learnhub-auth' },
);
