import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../deps.ts';
import { installDialect } from '../kit/index.ts';
import { openLearningInstitutionRoutes } from './openlearning.institution.routes.ts';
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
  installDialect(app, {
    name: 'openlearning',
    prefix: app.prefix,
    challenge: CHALLENGE,
    render: (error) => ({
      status: error.status,
      body: { success: false, error: error.message, code: error.code },
    }),
  });
  await app.register(openLearningProvisionRoutes, { deps });
  await app.register(openLearningInstitutionRoutes, { deps });
  await app.register(openLearningSsoRoutes, { deps });
}
