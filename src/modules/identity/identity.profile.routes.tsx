import type { FastifyInstance } from 'fastify';
import type { Static } from 'typebox';
import type { Deps } from '../../deps.ts';
import { installPageErrorHandler, renderPage } from '../../web/index.ts';
import { identityErrors } from './identity.errors.ts';
import { ProfilePage } from './identity.profile.pages.tsx';
import type { ProfileSections } from './identity.profile.sections.ts';
import { PublicProfile, UsernameParams } from './identity.schemas.ts';
import { sessionUser } from './identity.sessions.ts';
import { profileUrl, resolveUserRef } from './identity.usecases.ts';

/**
 * Public profiles: the page at /u/<username> (with the sections other modules contribute) and its JSON twin
 * in the native API.
 */
export async function profileRoutes(
  app: FastifyInstance,
  { deps, sections }: { deps: Deps; sections: ProfileSections },
): Promise<void> {
  installPageErrorHandler(app);
  app.get<{ Params: Static<typeof UsernameParams> }>(
    '/api/v1/users/:username',
    {
      schema: {
        tags: ['users'],
        summary: "A user's public profile, by username or id",
        description:
          'The public part of an account: never the email. `{username}` may also be the user id. ' +
          '`profile_url` is how apps name this person elsewhere in the API.',
        params: UsernameParams,
        response: { 200: PublicProfile },
      },
    },
    async (request) => {
      const user = await resolveUserRef(deps, request.params.username);
      if (!user) throw identityErrors.userNotFound(request.params.username);
      return {
        id: user.id,
        username: user.username,
        name: user.name,
        profile_url: profileUrl(deps.config, user.username),
        created_at: user.createdAt.toISOString(),
      };
    },
  );

  app.get<{ Params: Static<typeof UsernameParams> }>(
    '/u/:username',
    { schema: { hide: true, params: UsernameParams } },
    async (request, reply) => {
      const [user, viewer] = await Promise.all([
        resolveUserRef(deps, request.params.username),
        sessionUser(deps, request),
      ]);
      reply.type('text/html; charset=utf-8');
      if (!user) {
        const page = renderPage({
          title: 'No such person',
          signedIn: viewer !== undefined,
          children: (
            <>
              <h1>No such person</h1>
              <p>Nobody here has the username “{request.params.username}”.</p>
            </>
          ),
        });
        return reply.code(404).send(page);
      }
      // One address per person: /u/ADA and /u/ada both land on the canonical spelling.
      if (user.username !== request.params.username) {
        return reply.redirect(`/u/${encodeURIComponent(user.username)}`, 301);
      }
      const rendered = await Promise.all(
        sections.list().map(async (section) => ({
          id: section.id,
          heading: section.heading,
          empty: section.empty,
          content: await section.render(user, viewer),
        })),
      );
      return reply.send(ProfilePage({ user, signedIn: viewer !== undefined, sections: rendered }));
    },
  );
}
