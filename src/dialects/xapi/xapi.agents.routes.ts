import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { Deps } from '../../deps.ts';
import { mboxSha1, parseAgentParam, type XapiAccount } from '../../lib/xapi/index.ts';
import type { EventsContext } from '../../modules/events/index.ts';
import { versionOf, xapiErrors } from './xapi.wire.ts';

const Person = Type.Object(
  {
    objectType: Type.Literal('Person'),
    name: Type.Optional(Type.Array(Type.String())),
    mbox: Type.Optional(Type.Array(Type.String())),
    mbox_sha1sum: Type.Optional(Type.Array(Type.String())),
    openid: Type.Optional(Type.Array(Type.String())),
    account: Type.Optional(Type.Array(Type.Object({ homePage: Type.String(), name: Type.String() }))),
  },
  { description: 'Everything known of the person behind the Agent; each property an array' },
);
const AgentQuery = Type.Object({ agent: Type.String({ description: 'The Agent as JSON' }) });
const ErrorBody = Type.Object({ code: Type.String(), message: Type.String() });

interface PersonBody {
  objectType: 'Person';
  name?: string[];
  mbox?: string[];
  mbox_sha1sum?: string[];
  openid?: string[];
  account?: XapiAccount[];
}

/**
 * GET /xapi/agents?agent= (Communication 2.4): the Person behind an Agent. The hub links no other
 * identities to an Agent, so the Person holds the Agent's own name and identifier, plus the
 * mbox_sha1sum of an mbox, which names the same person (XAPI-00247).
 */
export async function xapiAgentRoutes(app: FastifyInstance, _opts: { deps: Deps; ctx: EventsContext }) {
  app.get(
    '/agents',
    {
      schema: {
        tags: ['xapi'],
        summary: 'The Person object of an Agent',
        querystring: AgentQuery,
        response: { 200: Person, 400: ErrorBody, 401: ErrorBody, 403: ErrorBody },
      },
    },
    async (request) => {
      const query = request.query as Record<string, unknown>;
      for (const name of Object.keys(query)) {
        if (name !== 'agent') throw xapiErrors.invalid(`${name}: is not a parameter of the Agents resource.`);
      }
      if (typeof query.agent !== 'string') throw xapiErrors.invalid('agent: is required, once.');
      const agent = parseAgentParam(query.agent, versionOf(request));
      const person: PersonBody = { objectType: 'Person' };
      if (agent.name !== undefined) person.name = [agent.name];
      if (agent.mbox !== undefined) {
        person.mbox = [agent.mbox];
        person.mbox_sha1sum = [mboxSha1(agent.mbox)];
      }
      if (agent.mbox_sha1sum !== undefined) person.mbox_sha1sum = [agent.mbox_sha1sum.toLowerCase()];
      if (agent.openid !== undefined) person.openid = [agent.openid];
      if (agent.account !== undefined) person.account = [agent.account];
      return person;
    },
  );
}
