import type { FastifyError, FastifyInstance, FastifyRequest } from 'fastify';
import { normaliseError, sendProblem } from '../http/errors.ts';
import { renderPage } from './layout.tsx';

/**
 * A browser navigating asks for text/html; API clients and tests without an Accept header get problem+json,
 * and so does anything under /api/ (plugins that serve a page and its JSON twin share this handler).
 */
function wantsHtml(request: FastifyRequest): boolean {
  return /\btext\/html\b/.test(request.headers.accept ?? '') && !request.url.startsWith('/api/');
}

/**
 * For a plugin of page routes: errors thrown there (a form without a valid CSRF token, a 404) become a
 * readable HTML page for people, with the same status and code, and stay problem+json for everyone else.
 */
export function installPageErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const appError = normaliseError(error, request);
    if (!wantsHtml(request)) return sendProblem(reply, appError, request.url);
    if (appError.headers) reply.headers(appError.headers);
    const page = renderPage({
      title: 'Something is not right',
      children: (
        <>
          <h1>{appError.status === 403 ? 'This was not accepted' : 'Something is not right'}</h1>
          <p role="alert">{appError.message}</p>
          <p class="muted">
            Error code <code>{appError.code}</code>
          </p>
          <p>
            <a href="/">Back to the home page</a>
          </p>
        </>
      ),
    });
    return reply.code(appError.status).type('text/html; charset=utf-8').send(page);
  });
}
