import type { IncomingMessage } from 'node:http';
import type { FastifyInstance } from 'fastify';
import { interactionPolicy } from 'oidc-provider';
import type { Deps } from '../../deps.ts';
import { sessionUser } from '../identity/index.ts';

/** The hub account signed in on each authorization request (null: nobody), keyed by the raw request. */
const hubAccounts = new WeakMap<IncomingMessage, string | null>();

/**
 * The provider keeps its own session cookie (14 days), separate from the hub's sign-in. Without this, a
 * person who signed out of the hub would still be signed in to apps through the provider session, and on a
 * shared computer the next person would get the previous person's account. So for every authorization
 * request we resolve the hub session first (this hook must run before the provider's mount, i.e. be
 * added before mountProvider), and the login prompt is required whenever the hub says someone else, or nobody.
 */
export function resolveHubSessionFirst(app: FastifyInstance, deps: Deps): void {
  app.addHook('onRequest', (request, _reply, done) => {
    if (!request.url.startsWith('/oidc/auth')) {
      done();
      return;
    }
    sessionUser(deps, request).then((user) => {
      hubAccounts.set(request.raw, user?.id ?? null);
      done();
    }, done);
  });
}

export function hubSessionCheck(): interactionPolicy.Check {
  const { Check } = interactionPolicy;
  return new Check(
    'hub_session',
    'The person signed in to the hub is not the one in the provider session',
    'login_required',
    (ctx) => {
      const account = hubAccounts.get(ctx.req);
      // Fail closed and loudly rather than loop or skip sign-in if the hook did not run.
      if (account === undefined) throw new Error('oauth: the hub session was not resolved for this request');
      return account !== null && account === ctx.oidc.session?.accountId
        ? Check.NO_NEED_TO_PROMPT
        : Check.REQUEST_PROMPT;
    },
  );
}

/** oidc-provider's default prompts, with the hub-session check added to the login prompt. */
export function interactionPolicyWithHubSession() {
  const policy = interactionPolicy.base();
  policy.get('login')?.checks.add(hubSessionCheck());
  return policy;
}
