import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { ABOUT_VERSIONS } from './xapi.wire.ts';

const About = Type.Object({
  version: Type.Array(Type.String(), { description: 'xAPI versions this LRS accepts' }),
  extensions: Type.Record(Type.String(), Type.Unknown()),
});

/** GET /xapi/about: public, no version header needed (xAPI: the one resource a client asks first). */
export async function xapiAboutRoutes(app: FastifyInstance) {
  app.get(
    '/about',
    {
      schema: {
        tags: ['xapi'],
        summary: 'The xAPI versions this LRS supports',
        response: { 200: About },
      },
    },
    async () => ({
      version: [...ABOUT_VERSIONS],
      extensions: {},
    }),
  );
}
