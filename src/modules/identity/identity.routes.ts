import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Static } from 'typebox';
import type { Deps } from '../../deps.ts';
import { AppError } from '../../errors/index.ts';
import { assertCsrf, csrfToken, installPageErrorHandler, safeReturnTo } from '../../web/index.ts';
import { MessagePage } from './identity.account.pages.tsx';
import { fieldErrorsOf } from './identity.errors.ts';
import { LoginPage, SignupFinishPage, SignupPage, SignupSentPage } from './identity.pages.tsx';
import {
  CsrfOnlyBody,
  LoginBody,
  ReturnToQuery,
  SignupBody,
  SignupConfirmBody,
  TokenQuery,
} from './identity.schemas.ts';
import { endSession, signIn, startSession } from './identity.sessions.ts';
import { type SignInAppResolver, signInAppFor } from './identity.signin-apps.ts';
import { confirmSignup, pendingSignup, requestSignup } from './identity.signup.ts';

const HTML = 'text/html; charset=utf-8';

/** The CSRF token for this request's forms; the cookie is Secure when the hub is served over https. */
export function pageCsrf(deps: Deps, request: FastifyRequest, reply: FastifyReply): string {
  return csrfToken(request, reply, deps.secretKey, { secure: deps.config.publicUrl.startsWith('https:') });
}

/** Sign-in, sign-up and sign-out (the home page is the home module's). */
export async function identityRoutes(
  app: FastifyInstance,
  { deps, appResolvers }: { deps: Deps; appResolvers: readonly SignInAppResolver[] },
): Promise<void> {
  const appFor = (returnTo: string) => signInAppFor(appResolvers, returnTo);
  installPageErrorHandler(app);
  // Pages with forms (CSRF tokens) or account details must not be kept by shared caches or the back button.
  app.addHook('onSend', async (_request, reply) => {
    reply.header('cache-control', 'no-store');
  });
  app.get<{ Querystring: Static<typeof ReturnToQuery> }>(
    '/login',
    { schema: { hide: true, querystring: ReturnToQuery } },
    async (request, reply) => {
      const returnTo = safeReturnTo(request.query.return_to);
      const page = LoginPage({ csrf: pageCsrf(deps, request, reply), returnTo, app: await appFor(returnTo) });
      return reply.type(HTML).send(page);
    },
  );

  app.post<{ Body: Static<typeof LoginBody> }>(
    '/login',
    { schema: { hide: true, body: LoginBody } },
    async (request, reply) => {
      assertCsrf(request, deps.secretKey);
      const { email = '', password = '' } = request.body;
      const returnTo = safeReturnTo(request.body.return_to);
      try {
        const user = await signIn(deps, { email, password, ip: request.ip });
        await endSession(deps, request, reply);
        await startSession(deps, reply, user.id);
        return reply.redirect(returnTo, 303);
      } catch (error) {
        if (!(error instanceof AppError) || error.status >= 500) throw error;
        if (error.headers) reply.headers(error.headers);
        const page = LoginPage({
          csrf: pageCsrf(deps, request, reply),
          returnTo,
          values: { email },
          error: error.message,
          app: await appFor(returnTo),
        });
        return reply.code(error.status).type(HTML).send(page);
      }
    },
  );

  app.get<{ Querystring: Static<typeof ReturnToQuery> }>(
    '/signup',
    { schema: { hide: true, querystring: ReturnToQuery } },
    async (request, reply) => {
      // A new account lands on its account page unless told otherwise.
      const returnTo = safeReturnTo(request.query.return_to, '/account');
      const page = SignupPage({
        csrf: pageCsrf(deps, request, reply),
        returnTo,
        app: await appFor(returnTo),
      });
      return reply.type(HTML).send(page);
    },
  );

  app.post<{ Body: Static<typeof SignupBody> }>(
    '/signup',
    { schema: { hide: true, body: SignupBody } },
    async (request, reply) => {
      assertCsrf(request, deps.secretKey);
      const { name = '', username = '', email = '', password = '' } = request.body;
      const returnTo = safeReturnTo(request.body.return_to, '/account');
      try {
        // The same page for an address with and without an account: the owner is mailed, nobody signed in.
        await requestSignup(deps, { name, username, email, password, returnTo });
        return reply.type(HTML).send(SignupSentPage({ email: email.trim() }));
      } catch (error) {
        if (!(error instanceof AppError) || error.status >= 500) throw error;
        const fields = fieldErrorsOf(error);
        const page = SignupPage({
          csrf: pageCsrf(deps, request, reply),
          returnTo,
          values: { name, username, email },
          errors: fields,
          error: Object.keys(fields).length === 0 ? error.message : undefined,
          app: await appFor(returnTo),
        });
        return reply.code(error.status).type(HTML).send(page);
      }
    },
  );

  const linkExpired = (message: string, status: number, reply: FastifyReply) =>
    reply
      .code(status)
      .type(HTML)
      .send(
        MessagePage({
          title: 'This link does not work',
          kind: 'error',
          message,
          link: { href: '/signup', text: 'Sign up again' },
        }),
      );

  app.get<{ Querystring: Static<typeof TokenQuery> }>(
    '/signup/confirm',
    { schema: { hide: true, querystring: TokenQuery } },
    async (request, reply) => {
      const token = request.query.token ?? '';
      const pending = await pendingSignup(deps, token);
      if (!pending) {
        return linkExpired('This sign-up link has expired or has been used already.', 400, reply);
      }
      const page = SignupFinishPage({
        csrf: pageCsrf(deps, request, reply),
        token,
        username: pending.username,
        email: pending.email,
      });
      return reply.type(HTML).send(page);
    },
  );

  app.post<{ Body: Static<typeof SignupConfirmBody> }>(
    '/signup/confirm',
    { schema: { hide: true, body: SignupConfirmBody } },
    async (request, reply) => {
      assertCsrf(request, deps.secretKey);
      try {
        const { user, returnTo } = await confirmSignup(deps, request.body.token ?? '');
        await endSession(deps, request, reply);
        await startSession(deps, reply, user.id);
        return reply.redirect(safeReturnTo(returnTo, '/account'), 303);
      } catch (error) {
        if (!(error instanceof AppError) || error.status >= 500) throw error;
        if (error.code === 'identity.invalid_token') {
          return linkExpired('This sign-up link has expired or has been used already.', 400, reply);
        }
        const message =
          error.code === 'identity.email_taken'
            ? 'This address already has an account. Sign in, or reset your password if you have forgotten it.'
            : 'Someone took this username while the link was on its way. Sign up again with another one.';
        const page = MessagePage({
          title: 'The account could not be created',
          kind: 'error',
          message,
          link:
            error.code === 'identity.email_taken'
              ? { href: '/login', text: 'Sign in' }
              : { href: '/signup', text: 'Sign up again' },
        });
        return reply.code(error.status).type(HTML).send(page);
      }
    },
  );

  app.post('/logout', { schema: { hide: true, body: CsrfOnlyBody } }, async (request, reply) => {
    assertCsrf(request, deps.secretKey);
    await endSession(deps, request, reply);
    return reply.redirect('/', 303);
  });
}
