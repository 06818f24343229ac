import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Deps } from '../../deps.ts';
import { AppError } from '../../errors/index.ts';
import { LaunchError, launchErrors } from './lti.errors.ts';
import { launchErrorPage } from './lti.pages.tsx';

/** LMS frames must be allowed to show the hub's LTI pages (helmet's defaults forbid framing). */
export function frameable(reply: FastifyReply): void {
  reply.removeHeader('x-frame-options');
  const csp = reply.getHeader('content-security-policy');
  if (typeof csp === 'string')
    reply.header('content-security-policy', csp.replace(/frame-ancestors [^;]*/, 'frame-ancestors *'));
}

export function html(reply: FastifyReply, status: number, body: string) {
  frameable(reply);
  return reply.code(status).header('cache-control', 'no-store').type('text/html; charset=utf-8').send(body);
}

/** Any failure becomes the person's page and the operator's precise log line; never JSON, never a 500 body. */
export function sendLaunchError(deps: Deps, request: FastifyRequest, reply: FastifyReply, error: unknown) {
  const refused =
    error instanceof LaunchError
      ? error
      : error instanceof AppError && error.status < 500
        ? launchErrors.badRequest(`${error.code}: ${error.message}`)
        : undefined;
  if (refused) {
    deps.logger.warn(
      { reqId: request.id, lti: { code: refused.code, detail: refused.detail } },
      `LTI launch refused: ${refused.detail}`,
    );
    return html(
      reply,
      refused.status,
      launchErrorPage({ person: refused.person, code: refused.code, requestId: request.id }),
    );
  }
  deps.logger.error({ reqId: request.id, err: error }, 'LTI launch failed');
  const person =
    'The hub could not finish signing you in because of a problem on its side. Try again in a minute; if it keeps happening, tell your teacher, with the reference below.';
  return html(reply, 500, launchErrorPage({ person, code: 'internal', requestId: request.id }));
}
