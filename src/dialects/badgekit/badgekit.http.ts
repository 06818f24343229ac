import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { type TSchema, Type } from 'typebox';
import type { ContextRef, Page } from '../../modules/badges/index.ts';

/** Shared plumbing of the BadgeKit routes: the three nestings, paging, and loose wire schemas. */
export const NESTINGS = [
  '/systems/:systemSlug',
  '/systems/:systemSlug/issuers/:issuerSlug',
  '/systems/:systemSlug/issuers/:issuerSlug/programs/:programSlug',
] as const;

export const BkError = Type.Object(
  { code: Type.String(), message: Type.String() },
  { additionalProperties: true, description: 'BadgeKit error `{code, message}` (+ details / parameter)' },
);
/** BadgeKit's bodies are documented in docs/badges.md and shared/specs/badgekit-api.md; kept open here. */
export const BkBody = Type.Object({}, { additionalProperties: true });
/** The path parameters of a route URL, each a string of at most 255 characters. */
const paramsOf = (url: string) =>
  Type.Object(
    Object.fromEntries(
      [...url.matchAll(/:(\w+)/g)].map((m) => [m[1] ?? '', Type.String({ maxLength: 255 })]),
    ),
  );
const Query = Type.Object({
  page: Type.Optional(Type.String({ maxLength: 12 })),
  count: Type.Optional(Type.String({ maxLength: 12 })),
  archived: Type.Optional(Type.String({ maxLength: 16 })),
  processed: Type.Optional(Type.String({ maxLength: 16 })),
  email: Type.Optional(Type.String({ maxLength: 255 })),
});

export interface Req {
  params: Record<string, string>;
  query: { page?: string; count?: string; archived?: string; processed?: string; email?: string };
  body: Record<string, unknown>;
}

export function refOf(params: Record<string, string>): ContextRef {
  return { system: params.systemSlug ?? '', issuer: params.issuerSlug, program: params.programSlug };
}

/** `page` and `count` apply only when both are integers > 0; otherwise the whole list comes back. */
export function pageOf(query: Req['query']): Page | undefined {
  const page = Number(query.page);
  const count = Number(query.count);
  if (!Number.isInteger(page) || !Number.isInteger(count) || page < 1 || count < 1) return undefined;
  return { page, count: Math.min(count, 1000) };
}

export function listBody(key: string, items: unknown[], total: number, page: Page | undefined, extra = {}) {
  return {
    [key]: items,
    ...extra,
    ...(page ? { pageData: { page: page.page, count: page.count, total } } : {}),
  };
}

type Handler = (request: FastifyRequest & Req, reply: FastifyReply) => Promise<unknown>;

/** Declares one BadgeKit route (with its schemas and tag); `status` is the success code. */
export function bk(
  app: FastifyInstance,
  method: 'GET' | 'POST' | 'PUT' | 'DELETE',
  url: string,
  summary: string,
  handler: Handler,
  status = 200,
  /** The success body's schema, when the route has a closed one (BadgeKit's bodies are otherwise open). */
  success: TSchema = BkBody,
) {
  app.route({
    method,
    url,
    schema: {
      tags: ['badgekit'],
      summary,
      ...(url.includes(':') ? { params: paramsOf(url) } : {}),
      querystring: Query,
      ...(method === 'POST' || method === 'PUT' ? { body: BkBody } : {}),
      response: { [status]: success, 400: BkError, 403: BkError, 404: BkError, 409: BkError },
    },
    handler: async (request, reply) => {
      const result = await handler(request as FastifyRequest & Req, reply);
      if (reply.sent) return reply;
      reply.code(status);
      return result;
    },
  });
}
