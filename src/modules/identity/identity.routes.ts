import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Static } from 'typebox';
import type { Deps } from '../../deps.ts';
import { AppError } from '../../errors/index.ts';
import { assertCsrf, csrfToken, installPageErrorHandler, safeReturnTo } from '../../web/index.ts';
import { fieldErrorsOf } from './identity.errors.ts';
import { LoginPage, SignupPage } from './identity.pages.tsx';
import { CsrfOnlyBody, LoginBody, ReturnToQuery, SignupBody } from './identity.schemas.ts';
import { endSession, signIn, startSession } from './identity.sessions.ts';
import { createUser } from './identity.usecases.ts';

const HTML = 'text/html; charset=utf-8';

/** The CSRF token for this request's forms; the cookie is Secure when the hub is served over https. */
export function pageCsrf(deps: Deps, request: FastifyRequest, reply: FastifyReply): string {
  return csrfToken(request, reply, deps.secretKey, { secure: deps.config.publicUrl.startsWith('https:') });
}

/** Sign-in, sign-up and sign-out (the home page is the home module's). */
export async function identityRoutes(app: FastifyInstance, { deps }: { deps: Deps }): Promise<void> {
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
      return reply.type(HTML).send(LoginPage({ csrf: pageCsrf(deps, request, reply), returnTo }));
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
        });
        return reply.code(error.status).type(HTML).send(page);
      }
    },
  );

  app.get<{ Querystring: Static<typeof ReturnToQuery> }>(
    '/signup',
    { schema: { hide: true, querystring: ReturnToQuery } },
    async (request, reply) => {
      // A new account lands on its account page (with the "confirm your email" notice) unless told otherwise.
      const returnTo = safeReturnTo(request.query.return_to, '/account');
      return reply.type(HTML).send(SignupPage({ csrf: pageCsrf(deps, request, reply), returnTo }));
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
        const user = await createUser(deps, { name, username, email, password });
        await endSession(deps, request, reply);
        await startSession(deps, reply, user.id);
        return reply.redirect(returnTo, 303);
      } catch (error) {
        if (!(error instanceof AppError) || error.status >= 500) throw error;
        const page = SignupPage({
          csrf: pageCsrf(deps, request, reply),
          returnTo,
          values: { name, username, email },
          errors: fieldErrorsOf(error),
          error: Object.keys(fieldErrorsOf(error)).length === 0 ? error.message : undefined,
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
