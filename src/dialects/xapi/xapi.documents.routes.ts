import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { Deps } from '../../deps.ts';
import { agentIfi, isIri, isTimestamp, isUuid, parseAgentParam } from '../../lib/xapi/index.ts';
import {
  type DocumentSet,
  deleteXapiDocument,
  deleteXapiDocuments,
  type EventsContext,
  getXapiDocument,
  listXapiDocumentIds,
  type Preconditions,
  postXapiDocument,
  putXapiDocument,
  XAPI_DOCUMENT_MAX_BYTES,
  xapiDocumentScope,
} from '../../modules/events/index.ts';
import { versionOf, xapiErrors } from './xapi.wire.ts';

/**
 * The document resources of xAPI 1.0.3 Communication 2.3 (State), 2.6 (Agent Profile) and 2.7
 * (Activity Profile): opaque documents kept per credential owner in the events module. Parameters
 * are checked here, strictly: an unknown or repeated parameter is a 400 (Communication 3.2).
 */

type Kind = DocumentSet['kind'];
type Method = 'GET' | 'PUT' | 'POST' | 'DELETE';

interface Resource {
  readonly kind: Kind;
  readonly url: string;
  /** The document id parameter: stateId or profileId. */
  readonly idParam: 'stateId' | 'profileId';
  readonly params: readonly string[];
}

const RESOURCES: readonly Resource[] = [
  {
    kind: 'state',
    url: '/activities/state',
    idParam: 'stateId',
    params: ['activityId', 'agent', 'registration', 'stateId', 'since'],
  },
  {
    kind: 'activity_profile',
    url: '/activities/profile',
    idParam: 'profileId',
    params: ['activityId', 'profileId', 'since'],
  },
  {
    kind: 'agent_profile',
    url: '/agents/profile',
    idParam: 'profileId',
    params: ['agent', 'profileId', 'since'],
  },
];

const DocumentQuery = Type.Object({
  activityId: Type.Optional(Type.String({ description: 'The Activity IRI (State, Activity Profile)' })),
  agent: Type.Optional(Type.String({ description: 'The Agent as JSON (State, Agent Profile)' })),
  registration: Type.Optional(Type.String({ description: 'A registration UUID (State)' })),
  stateId: Type.Optional(Type.String({ description: 'The State document id' })),
  profileId: Type.Optional(Type.String({ description: 'The profile document id' })),
  since: Type.Optional(
    Type.String({ description: 'Only ids of documents changed after this timestamp (list)' }),
  ),
});
const IdList = Type.Array(Type.String(), { description: 'Document ids (a GET without the document id)' });
const Document = Type.Unknown({ description: 'The document, in the Content-Type it was stored with' });
const Empty = Type.Null({ description: 'Done' });
const ErrorBody = Type.Object({ code: Type.String(), message: Type.String() });

function queryOf(request: FastifyRequest, allowed: readonly string[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const [name, value] of Object.entries(request.query as Record<string, unknown>)) {
    if (!allowed.includes(name)) {
      throw xapiErrors.invalid(
        `${name}: is not a parameter of this resource (parameters are case-sensitive).`,
      );
    }
    if (typeof value !== 'string') throw xapiErrors.invalid(`${name}: must be given once.`);
    if (value.includes('\u0000')) throw xapiErrors.invalid(`${name}: must not contain the NUL character.`);
    out.set(name, value);
  }
  return out;
}

function required(query: Map<string, string>, name: string): string {
  const value = query.get(name);
  if (value === undefined || value === '') throw xapiErrors.invalid(`${name}: is required.`);
  return value;
}

/** The set of documents a request addresses; which parameters it needs depends on the resource. */
function documentSet(request: FastifyRequest, resource: Resource, query: Map<string, string>): DocumentSet {
  let activityId = '';
  let agent = '';
  let registration = '';
  if (resource.kind !== 'agent_profile') {
    activityId = required(query, 'activityId');
    if (!isIri(activityId)) throw xapiErrors.invalid('activityId: must be an IRI.');
  }
  if (resource.kind !== 'activity_profile') {
    agent = agentIfi(parseAgentParam(required(query, 'agent'), versionOf(request)));
  }
  const reg = query.get('registration');
  if (reg !== undefined) {
    if (!isUuid(reg)) throw xapiErrors.invalid('registration: must be a UUID.');
    registration = reg.toLowerCase();
  }
  return {
    scope: xapiDocumentScope(request.principal),
    kind: resource.kind,
    activityId,
    agent,
    registration,
  };
}

function since(query: Map<string, string>): Date | undefined {
  const value = query.get('since');
  if (value === undefined) return undefined;
  const at = Date.parse(value);
  if (!isTimestamp(value, false) || Number.isNaN(at))
    throw xapiErrors.invalid('since: must be an ISO 8601 timestamp.');
  return new Date(at);
}

function preconditions(request: FastifyRequest): Preconditions {
  const header = (name: string) => {
    const value = request.headers[name];
    return typeof value === 'string' ? value : undefined;
  };
  return { ifMatch: header('if-match'), ifNoneMatch: header('if-none-match') };
}

function body(request: FastifyRequest): { contentType: string; content: Buffer } {
  const content = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
  return { contentType: request.headers['content-type'] ?? 'application/octet-stream', content };
}

async function handle(
  ctx: EventsContext,
  resource: Resource,
  method: Method,
  request: FastifyRequest,
  reply: FastifyReply,
) {
  const query = queryOf(request, resource.params);
  const set = documentSet(request, resource, query);
  const documentId = query.get(resource.idParam);
  if (documentId === '') throw xapiErrors.invalid(`${resource.idParam}: must not be empty.`);
  if (method === 'PUT' || method === 'POST') {
    if (documentId === undefined) throw xapiErrors.invalid(`${resource.idParam}: is required.`);
    const input = { set, documentId, ...body(request), preconditions: preconditions(request) };
    const { etag } =
      method === 'PUT' ? await putXapiDocument(ctx, input) : await postXapiDocument(ctx, input);
    return reply.code(204).header('etag', etag).send();
  }
  if (method === 'DELETE') {
    if (documentId !== undefined) await deleteXapiDocument(ctx, set, documentId, preconditions(request));
    else if (resource.kind === 'state') await deleteXapiDocuments(ctx, set);
    else throw xapiErrors.invalid(`${resource.idParam}: is required.`);
    return reply.code(204).send();
  }
  if (documentId !== undefined) {
    const document = await getXapiDocument(ctx, set, documentId);
    if (document === undefined)
      throw xapiErrors.notFound(`${resource.idParam}: no document "${documentId.slice(0, 80)}".`);
    return reply
      .header('content-type', document.contentType)
      .header('etag', document.etag)
      .header('last-modified', document.updatedAt.toUTCString())
      .send(document.content);
  }
  const list = await listXapiDocumentIds(ctx, set, since(query));
  if (list.lastModified !== undefined) reply.header('last-modified', list.lastModified.toUTCString());
  return reply.send(list.ids);
}

/** State, Activity Profile and Agent Profile under /xapi. */
export async function xapiDocumentRoutes(app: FastifyInstance, { ctx }: { deps: Deps; ctx: EventsContext }) {
  // Documents are opaque bytes of any type: this plugin's own parser keeps them as sent.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser(
    '*',
    { parseAs: 'buffer', bodyLimit: XAPI_DOCUMENT_MAX_BYTES },
    (_request, payload, done) => {
      done(null, payload);
    },
  );
  const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody };
  for (const resource of RESOURCES) {
    const tags = ['xapi'];
    const name = { state: 'State', activity_profile: 'Activity Profile', agent_profile: 'Agent Profile' }[
      resource.kind
    ];
    const route = (method: Method, summary: string, response: Record<number, unknown>) =>
      app.route({
        method,
        url: resource.url,
        schema: { tags, summary, querystring: DocumentQuery, response: { ...response, ...errors } },
        handler: (request, reply) => handle(ctx, resource, method, request, reply),
      });
    route('GET', `${name}: one document (with ${resource.idParam}) or the list of ids`, {
      200: Type.Union([Document, IdList]),
      404: ErrorBody,
    });
    route('PUT', `${name}: store or replace a document`, {
      204: Empty,
      409: ErrorBody,
      412: ErrorBody,
      413: ErrorBody,
    });
    route('POST', `${name}: store, or merge JSON into, a document`, {
      204: Empty,
      412: ErrorBody,
      413: ErrorBody,
    });
    route('DELETE', `${name}: delete a document${resource.kind === 'state' ? ' (or all of them)' : ''}`, {
      204: Empty,
      412: ErrorBody,
    });
  }
}
