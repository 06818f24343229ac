import type { FastifyInstance } from 'fastify';
import type { SignInApp } from './identity.pages.tsx';

/**
 * Who is asking, when a sign-in or sign-up page was reached from an app's sign-in request. identity owns the
 * pages but knows nothing of apps; oauth (which depends on identity) registers a resolver that recognises its
 * interaction paths in `return_to`, as profile sections are contributed.
 */
export type SignInAppResolver = (returnTo: string) => Promise<SignInApp | undefined>;

const resolvers = new WeakMap<object, SignInAppResolver[]>();

export function signInAppResolversOf(app: FastifyInstance): SignInAppResolver[] {
  let list = resolvers.get(app);
  if (!list) {
    list = [];
    resolvers.set(app, list);
  }
  return list;
}

/** For oauth's `register*`: names the app behind a `return_to` on the sign-in and sign-up pages. */
export function addSignInAppResolver(app: FastifyInstance, resolver: SignInAppResolver): void {
  signInAppResolversOf(app).push(resolver);
}

/** The first resolver's answer; a failing resolver only loses the banner, never the page. */
export async function signInAppFor(
  list: readonly SignInAppResolver[],
  returnTo: string,
): Promise<SignInApp | undefined> {
  for (const resolve of list) {
    try {
      const found = await resolve(returnTo);
      if (found) return found;
    } catch {
      // The banner is a courtesy; the page works without it.
    }
  }
  return undefined;
}
