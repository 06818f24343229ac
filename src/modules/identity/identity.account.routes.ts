import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Static } from 'typebox';
import type { Deps } from '../../deps.ts';
import { AppError } from '../../errors/index.ts';
import { assertCsrf, installPageErrorHandler } from '../../web/index.ts';
import { AccountPage, ForgotPage, MessagePage, ResetPage } from './identity.account.pages.tsx';
import {
  changeEmail,
  changePassword,
  checkResetToken,
  requestPasswordReset,
  resendVerification,
  resetPassword,
  verifyEmail,
} from './identity.account.ts';
import { fieldErrorsOf } from './identity.errors.ts';
import { pageCsrf } from './identity.routes.ts';
import {
  AccountQuery,
  ChangeEmailBody,
  ChangePasswordBody,
  CsrfOnlyBody,
  ForgotBody,
  ResetBody,
  TokenQuery,
} from './identity.schemas.ts';
import { type ActiveSession, activeSession } from './identity.sessions.ts';
import { profileUrl } from './identity.usecases.ts';

const HTML = 'text/html; charset=utf-8';

/** Fixed messages chosen by key, so nothing from the query string is echoed onto the page. */
const NOTICES: Record<string, string> = {
  email: 'Your email address was changed. We sent a link to the new address to confirm it.',
  password: 'Your password was changed. Other devices have been signed out.',
  'verify-sent': 'We sent you a new confirmation link.',
};

function isClientError(error: unknown): error is AppError {
  return error instanceof AppError && error.status < 500;
}

/** The account pages, email verification and password reset. */
export async function accountRoutes(app: FastifyInstance, { deps }: { deps: Deps }): Promise<void> {
  installPageErrorHandler(app);
  // Pages with forms (CSRF tokens) or account details must not be kept by shared caches or the back button.
  app.addHook('onSend', async (_request, reply) => {
    reply.header('cache-control', 'no-store');
  });
  async function requireSession(
    request: FastifyRequest,
    reply: FastifyReply,
  ): Promise<ActiveSession | undefined> {
    const session = await activeSession(deps, request);
    if (!session) await reply.redirect(`/login?return_to=${encodeURIComponent('/account')}`, 303);
    return session;
  }

  function account(request: FastifyRequest, reply: FastifyReply, session: ActiveSession, extra = {}) {
    const page = AccountPage({
      user: session.user,
      csrf: pageCsrf(deps, request, reply),
      profileUrl: profileUrl(deps.config, session.user.username),
      ...extra,
    });
    return reply.type(HTML).send(page);
  }

  app.get<{ Querystring: Static<typeof AccountQuery> }>(
    '/account',
    { schema: { hide: true, querystring: AccountQuery } },
    async (request, reply) => {
      const session = await requireSession(request, reply);
      if (!session) return reply;
      return account(request, reply, session, { notice: NOTICES[request.query.done ?? ''] });
    },
  );

  app.post<{ Body: Static<typeof ChangeEmailBody> }>(
    '/account/email',
    { schema: { hide: true, body: ChangeEmailBody } },
    async (request, reply) => {
      assertCsrf(request, deps.secretKey);
      const session = await requireSession(request, reply);
      if (!session) return reply;
      const { email = '', current_password: currentPassword = '' } = request.body;
      try {
        await changeEmail(deps, { userId: session.user.id, email, currentPassword, ip: request.ip });
        return reply.redirect('/account?done=email', 303);
      } catch (error) {
        if (!isClientError(error)) throw error;
        const fields = fieldErrorsOf(error);
        const errors = {
          email: fields.email ?? (Object.keys(fields).length === 0 ? error.message : undefined),
          email_current_password: fields.current_password,
        };
        reply.code(error.status);
        return account(request, reply, session, { errors: definedOnly(errors), emailValue: email });
      }
    },
  );

  app.post<{ Body: Static<typeof ChangePasswordBody> }>(
    '/account/password',
    { schema: { hide: true, body: ChangePasswordBody } },
    async (request, reply) => {
      assertCsrf(request, deps.secretKey);
      const session = await requireSession(request, reply);
      if (!session) return reply;
      const { current_password: currentPassword = '', new_password: newPassword = '' } = request.body;
      try {
        await changePassword(deps, {
          userId: session.user.id,
          sessionId: session.sessionId,
          currentPassword,
          newPassword,
          ip: request.ip,
        });
        return reply.redirect('/account?done=password', 303);
      } catch (error) {
        if (!isClientError(error)) throw error;
        const fields = fieldErrorsOf(error);
        const errors = Object.keys(fields).length > 0 ? fields : { current_password: error.message };
        reply.code(error.status);
        return account(request, reply, session, { errors });
      }
    },
  );

  app.post<{ Body: Static<typeof CsrfOnlyBody> }>(
    '/account/verify-email',
    { schema: { hide: true, body: CsrfOnlyBody } },
    async (request, reply) => {
      assertCsrf(request, deps.secretKey);
      const session = await requireSession(request, reply);
      if (!session) return reply;
      await resendVerification(deps, session.user.id);
      return reply.redirect('/account?done=verify-sent', 303);
    },
  );

  app.get<{ Querystring: Static<typeof TokenQuery> }>(
    '/verify-email',
    { schema: { hide: true, querystring: TokenQuery } },
    async (request, reply) => {
      try {
        const user = await verifyEmail(deps, request.query.token ?? '');
        const page = MessagePage({
          title: 'Email address confirmed',
          kind: 'success',
          message: `Thank you: ${user.email} is confirmed.`,
          link: { href: '/account', text: 'Go to your account' },
        });
        return reply.type(HTML).send(page);
      } catch (error) {
        if (!isClientError(error)) throw error;
        const page = MessagePage({
          title: 'This link does not work',
          kind: 'error',
          message: error.message,
          link: { href: '/account', text: 'Go to your account to ask for a new link' },
        });
        return reply.code(error.status).type(HTML).send(page);
      }
    },
  );

  app.get('/password/forgot', { schema: { hide: true } }, async (request, reply) => {
    return reply.type(HTML).send(ForgotPage({ csrf: pageCsrf(deps, request, reply) }));
  });

  app.post<{ Body: Static<typeof ForgotBody> }>(
    '/password/forgot',
    { schema: { hide: true, body: ForgotBody } },
    async (request, reply) => {
      assertCsrf(request, deps.secretKey);
      const email = (request.body.email ?? '').trim();
      if (email === '') {
        const page = ForgotPage({
          csrf: pageCsrf(deps, request, reply),
          error: 'Enter the email of your account.',
        });
        return reply.code(400).type(HTML).send(page);
      }
      await requestPasswordReset(deps, email);
      return reply.type(HTML).send(ForgotPage({ csrf: pageCsrf(deps, request, reply), sent: true }));
    },
  );

  const expired = () =>
    MessagePage({
      title: 'This link does not work',
      kind: 'error',
      message: 'This password reset link has expired or has been used already.',
      link: { href: '/password/forgot', text: 'Ask for a new link' },
    });

  app.get<{ Querystring: Static<typeof TokenQuery> }>(
    '/password/reset',
    { schema: { hide: true, querystring: TokenQuery } },
    async (request, reply) => {
      const token = request.query.token ?? '';
      if (!(await checkResetToken(deps, token))) return reply.code(400).type(HTML).send(expired());
      return reply.type(HTML).send(ResetPage({ csrf: pageCsrf(deps, request, reply), token }));
    },
  );

  app.post<{ Body: Static<typeof ResetBody> }>(
    '/password/reset',
    { schema: { hide: true, body: ResetBody } },
    async (request, reply) => {
      assertCsrf(request, deps.secretKey);
      const token = request.body.token ?? '';
      try {
        await resetPassword(deps, token, request.body.password ?? '');
      } catch (error) {
        if (!isClientError(error)) throw error;
        if (error.code === 'identity.invalid_token') return reply.code(400).type(HTML).send(expired());
        const page = ResetPage({
          csrf: pageCsrf(deps, request, reply),
          token,
          error: fieldErrorsOf(error).password ?? error.message,
        });
        return reply.code(error.status).type(HTML).send(page);
      }
      const page = MessagePage({
        title: 'Password changed',
        kind: 'success',
        message: 'Your new password is set. Sign in with it.',
        link: { href: '/login', text: 'Sign in' },
      });
      return reply.type(HTML).send(page);
    },
  );
}

function definedOnly(record: Record<string, string | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(record)) if (value !== undefined) out[key] = value;
  return out;
}
