import type { FastifyInstance } from 'fastify';
import type { Static } from 'typebox';
import type { Deps } from '../../deps.ts';
import { LaunchBody, ltiLaunchHandler } from '../../modules/lti/index.ts';

/**
 * The seed's "LTI authentication (as a POST request) at /lti/<launch path>": an LTI 1.3 launch handled by
 * the lti module (its checks and its HTML pages, not this dialect's JSON errors); the launch path names the
 * hub course.
 */
export async function openLearningLtiRoutes(app: FastifyInstance, { deps }: { deps: Deps }) {
  const launch = ltiLaunchHandler(deps);
  app.post<{ Body: Static<typeof LaunchBody>; Params: { '*': string } }>(
    '/lti/*',
    {
      schema: {
        tags: ['openlearning'],
        summary: 'LTI 1.3 launch into the course at <launch path>',
        body: LaunchBody,
      },
    },
    (request, reply) => launch(request, reply, request.params['*']),
  );
}
