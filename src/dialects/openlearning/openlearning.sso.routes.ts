import type { FastifyInstance } from 'fastify';
import { type Static, Type } from 'typebox';
import type { Deps } from '../../deps.ts';
import {
  courseErrors,
  courseLogin,
  signInAs,
  signRequest,
  verifySignedRequest,
} from '../../modules/courses/index.ts';
import { courseByPath } from './openlearning.mapping.ts';
import { errors, HmacQuery, SignedRequestQuery, WildcardParams } from './openlearning.schemas.ts';

const tags = ['openlearning'];

/** Sign-in from an external service (signed_request) and the two HMAC test helpers. Public endpoints. */
export async function openLearningSsoRoutes(app: FastifyInstance, { deps }: { deps: Deps }) {
  app.get<{ Params: Static<typeof WildcardParams>; Querystring: Static<typeof SignedRequestQuery> }>(
    '/courseLogin/*',
    {
      schema: {
        tags,
        summary:
          'Sign a person into a course with an institution-signed signed_request, then go to the course',
        params: WildcardParams,
        querystring: SignedRequestQuery,
        response: { 303: Type.Null(), ...errors },
      },
    },
    async (request, reply) => {
      const course = await courseByPath(deps, request.params['*']);
      const user = await courseLogin(deps, course, request.query.signed_request);
      await signInAs(deps, reply, user.id);
      return reply.code(303).header('location', `/courses/${course.path}`).send();
    },
  );

  for (const url of ['/api/login/referenceHMAC', '/api/login/referenceHMAC/']) {
    app.get<{ Querystring: Static<typeof HmacQuery> }>(
      url,
      {
        schema: {
          tags,
          summary: 'Reference implementation: the signed_request for a payload and a (test) secret',
          querystring: HmacQuery,
          response: {
            200: Type.Object({
              success: Type.Boolean(),
              encoded_payload: Type.String(),
              encoded_signature: Type.String(),
              signed_request: Type.String(),
            }),
            ...errors,
          },
        },
      },
      async (request) => {
        const { payload, secret, encoding } = request.query;
        if (!payload) throw courseErrors.invalid('payload', 'is required');
        if (!secret) throw courseErrors.invalid('secret', 'is required');
        if (encoding !== undefined && encoding !== 'base64' && encoding !== 'base64url')
          throw courseErrors.invalid('encoding', 'must be base64 or base64url');
        const signed = signRequest(secret, payload, encoding ?? 'base64url');
        return {
          success: true,
          encoded_payload: signed.encodedPayload,
          encoded_signature: signed.signature,
          signed_request: signed.signedRequest,
        };
      },
    );
  }

  for (const url of ['/api/login/testHMAC', '/api/login/testHMAC/']) {
    app.get<{ Querystring: Static<typeof HmacQuery> }>(
      url,
      {
        schema: {
          tags,
          summary: 'Checks that a signed_request verifies with a (test) secret and is fresh',
          querystring: HmacQuery,
          response: {
            200: Type.Object({
              success: Type.Boolean(),
              payload: Type.Object({
                issued_at: Type.Number(),
                user_id: Type.String(),
                full_name: Type.Optional(Type.String()),
              }),
            }),
            ...errors,
          },
        },
      },
      async (request) => {
        const { signed_request: signedRequest, secret } = request.query;
        if (!signedRequest) throw courseErrors.invalid('signed_request', 'is required');
        if (!secret) throw courseErrors.invalid('secret', 'is required');
        return { success: true, payload: verifySignedRequest(secret, signedRequest, deps.clock.now()) };
      },
    );
  }
}
