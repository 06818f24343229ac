import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../deps.ts';
import { AppError } from '../../errors/index.ts';
import { normaliseError } from '../../http/errors.ts';
import { openLearningInstitutionRoutes } from './openlearning.institution.routes.ts';
import { openLearningLtiRoutes } from './openlearning.lti.routes.ts';
import { openLearningProvisionRoutes } from './openlearning.routes.ts';
import { openLearningSsoRoutes } from './openlearning.sso.routes.ts';

const CHALLENGE = 'Basic realm="openlearning"';

/**
 * The OpenLearning provisioning dialect under /openlearning: the seed's paths (GET and POST where it says
 * so), form-encoded parameters and JSON shapes, HTTP Basic as in its `curl -u` examples. Errors are
 * `{"success": false, "error": <message>, "code": <stable code>}` with the matching HTTP status (curl -f
 * fails on them as it would on OpenLearning's).
 */
export async function openLearningDialect(app: FastifyInstance, { deps }: { deps: Deps }) {
  app.setErrorHandler((error, request, reply) => {
    const appError = normaliseError(error, request);
    if (appError.headers) reply.headers(appError.headers);
    if (appError.status === 401) reply.header('www-authenticate', CHALLENGE);
    return reply
      .code(appError.status)
      .type('application/json; charset=utf-8')
      .send({ success: false, error: appError.message, code: appError.code });
  });
  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0] ?? '';
    const error = new AppError('route.not_found', 404, `No such endpoint: ${request.method} ${path}`);
    return reply.code(404).send({ success: false, error: error.message, code: error.code });
  });
  await app.register(openLearningProvisionRoutes, { deps });
  await app.register(openLearningInstitutionRoutes, { deps });
  await app.register(openLearningSsoRoutes, { deps });
  await app.register(openLearningLtiRoutes, { deps });
}
