import type { FastifyInstance } from 'fastify';
import { type Static, Type } from 'typebox';
import type { Deps } from '../../deps.ts';
import {
  addKey,
  createProgramAs,
  grantAs,
  grantsOfProgram,
  keysOf,
  programFor,
  programsFor,
  revokeKeyAs,
  withdrawGrantAs,
} from './events.programs.manage.ts';
import type { GrantRow, ProgramKeyRow, ProgramRow } from './events.programs.repository.ts';
import {
  CreatedKey,
  GrantBody,
  GrantList,
  GrantParams,
  KeyBody,
  KeyList,
  KeyParams,
  Program,
  ProgramBody,
  ProgramList,
  ProgramParams,
} from './events.programs.schemas.ts';
import { programKeyRateLimit } from './events.rate-limit.ts';

const iso = (d: Date | null) => (d === null ? null : d.toISOString());
const security: Record<string, string[]>[] = [{ programKey: [] }, { bearer: [] }];
const tags = ['events'];
const NoContent = Type.Null({ description: 'Done; no body.' });

const program = (p: ProgramRow): Static<typeof Program> => ({
  program_id: p.id,
  name: p.name,
  owner: p.owner,
  created_at: p.createdAt.toISOString(),
});

// The secret's hash never leaves the repository layer; only what a key's owner needs to recognise it.
const key = (k: ProgramKeyRow) => ({
  user_id: k.id,
  name: k.name,
  created_at: k.createdAt.toISOString(),
  expires_at: iso(k.expiresAt),
  revoked_at: iso(k.revokedAt),
  last_used_at: iso(k.lastUsedAt),
});

const grant = (g: GrantRow) => ({
  consumer_id: g.consumerId,
  producer_id: g.producerId,
  types: g.types,
  created_at: g.createdAt.toISOString(),
});

/** Programs, their keys and grants in the native API: operators, or the program's own key (see docs). */
export async function programRoutes(app: FastifyInstance, { deps }: { deps: Deps }): Promise<void> {
  const config = { principals: ['program_key', 'operator'] as const, rateLimit: programKeyRateLimit };
  const base = '/api/v1/events/programs';

  app.get(
    base,
    {
      schema: {
        tags,
        summary: 'Programs: every one for an operator, its own for a program key',
        security,
        response: { 200: ProgramList },
      },
      config,
    },
    async (request) => ({ data: (await programsFor(deps, request.principal)).map(program) }),
  );

  app.post<{ Body: Static<typeof ProgramBody> }>(
    base,
    {
      schema: {
        tags,
        summary: 'Create a program and its first key, shown once (operators)',
        security,
        body: ProgramBody,
        response: { 201: CreatedKey },
      },
      config,
    },
    async (request, reply) => {
      const created = await createProgramAs(deps, request.principal, {
        id: request.body.program_id,
        name: request.body.name,
        owner: request.body.owner,
        expiresInDays: request.body.expires_in_days,
      });
      return reply.code(201).send(created);
    },
  );

  app.get<{ Params: Static<typeof ProgramParams> }>(
    `${base}/:program_id`,
    {
      schema: { tags, summary: 'One program', security, params: ProgramParams, response: { 200: Program } },
      config,
    },
    async (request) => program(await programFor(deps, request.principal, request.params.program_id)),
  );

  app.get<{ Params: Static<typeof ProgramParams> }>(
    `${base}/:program_id/keys`,
    {
      schema: {
        tags,
        summary: "A program's keys (never their secrets), newest first",
        security,
        params: ProgramParams,
        response: { 200: KeyList },
      },
      config,
    },
    async (request) => ({
      data: (await keysOf(deps, request.principal, request.params.program_id)).map(key),
    }),
  );

  app.post<{ Params: Static<typeof ProgramParams>; Body: Static<typeof KeyBody> }>(
    `${base}/:program_id/keys`,
    {
      schema: {
        tags,
        summary: 'Add a key to a program; its secret is shown this once',
        security,
        params: ProgramParams,
        body: KeyBody,
        response: { 201: CreatedKey },
      },
      config,
    },
    async (request, reply) => {
      const created = await addKey(deps, request.principal, {
        programId: request.params.program_id,
        name: request.body.name,
        expiresInDays: request.body.expires_in_days,
      });
      return reply.code(201).send(created);
    },
  );

  app.delete<{ Params: Static<typeof KeyParams> }>(
    `${base}/:program_id/keys/:key_id`,
    {
      schema: {
        tags,
        summary: 'Revoke a key at once (repeating it is harmless)',
        security,
        params: KeyParams,
        response: { 204: NoContent },
      },
      config,
    },
    async (request, reply) => {
      await revokeKeyAs(deps, request.principal, {
        programId: request.params.program_id,
        keyId: request.params.key_id,
      });
      return reply.code(204).send();
    },
  );

  app.get<{ Params: Static<typeof ProgramParams> }>(
    `${base}/:program_id/grants`,
    {
      schema: {
        tags,
        summary: 'Grants the program holds (it reads others) and gives (others read it)',
        security,
        params: ProgramParams,
        response: { 200: GrantList },
      },
      config,
    },
    async (request) => ({
      data: (await grantsOfProgram(deps, request.principal, request.params.program_id)).map(grant),
    }),
  );

  app.put<{ Params: Static<typeof GrantParams>; Body: Static<typeof GrantBody> }>(
    `${base}/:program_id/grants/:consumer_id`,
    {
      schema: {
        tags,
        summary: "Let another program read this program's events (optionally only some types)",
        security,
        params: GrantParams,
        body: GrantBody,
        response: { 204: NoContent },
      },
      config,
    },
    async (request, reply) => {
      await grantAs(deps, request.principal, {
        producer: request.params.program_id,
        consumer: request.params.consumer_id,
        types: request.body.types ?? undefined,
      });
      return reply.code(204).send();
    },
  );

  app.delete<{ Params: Static<typeof GrantParams> }>(
    `${base}/:program_id/grants/:consumer_id`,
    {
      schema: {
        tags,
        summary: "Withdraw another program's read grant on this program's events",
        security,
        params: GrantParams,
        response: { 204: NoContent },
      },
      config,
    },
    async (request, reply) => {
      await withdrawGrantAs(deps, request.principal, {
        producer: request.params.program_id,
        consumer: request.params.consumer_id,
      });
      return reply.code(204).send();
    },
  );
}
