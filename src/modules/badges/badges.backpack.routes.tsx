import { Busboy } from '@fastify/busboy';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { type Static, Type } from 'typebox';
import type { Deps } from '../../deps.ts';
import { AppError } from '../../errors/index.ts';
import { assertCsrf, csrfToken, installPageErrorHandler, sendHtml } from '../../web/index.ts';
import { requireSignedInUser, type User } from '../identity/index.ts';
import {
  type BackpackInput,
  importToBackpack,
  listBackpack,
  MAX_BAKED_BYTES,
  MAX_JSON_CHARS,
  recheckBackpackItem,
  removeFromBackpack,
} from './badges.backpack.ts';
import { userAwards } from './badges.native.ts';
import { BackpackPage, type BackpackPageProps } from './badges.pages.tsx';

/**
 * The backpack page (/account/badges): a person's badges awarded here, with verify links and downloads, and
 * badges imported from elsewhere, with the form that imports (and verifies) one more. Forms carry a CSRF token;
 * the import form is multipart, for the baked image file.
 */
const PAGE = '/account/badges';
// The file, the credential JSON (UTF-8, so up to 4 bytes a character) and the small fields, with room to spare.
const BODY_LIMIT = MAX_BAKED_BYTES + MAX_JSON_CHARS * 4 + 64 * 1024;

const NOTICES: Record<string, string> = {
  imported: 'The badge verified and is now in your backpack.',
  checked: 'The badge was checked again and still verifies.',
  removed: 'The badge was removed from your backpack.',
};

interface UploadBody {
  _csrf?: string;
  url?: string;
  json?: string;
  file?: Buffer;
  /** Set when the file was cut off at MAX_BAKED_BYTES. */
  fileTooLarge?: boolean;
}

/** Reads a buffered multipart body: text fields, and one file (empty file inputs count as none). */
function parseUpload(contentType: string, body: Buffer): Promise<UploadBody> {
  return new Promise((resolve, reject) => {
    const out: UploadBody & Record<string, unknown> = {};
    let busboy: InstanceType<typeof Busboy>;
    try {
      busboy = new Busboy({
        headers: { 'content-type': contentType },
        limits: { fileSize: MAX_BAKED_BYTES, files: 1, fields: 10, fieldSize: MAX_JSON_CHARS * 4 },
      });
    } catch {
      return reject(new AppError('request.invalid', 'The form could not be read (bad multipart body).'));
    }
    busboy.on('field', (name: string, value: string) => {
      if (name === '_csrf' || name === 'url' || name === 'json') out[name] = value;
    });
    busboy.on('file', (name: string, stream: NodeJS.ReadableStream) => {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('limit', () => {
        out.fileTooLarge = true;
      });
      stream.on('end', () => {
        const data = Buffer.concat(chunks);
        if (name === 'file' && data.length > 0) out.file = data;
      });
    });
    busboy.on('finish', () => resolve(out));
    busboy.on('error', () =>
      reject(new AppError('request.invalid', 'The form could not be read (bad multipart body).')),
    );
    busboy.end(body);
  });
}

/** Exactly one of the three ways in: a file, an assertion URL, or credential JSON. */
function inputOf(body: UploadBody): BackpackInput {
  if (body.fileTooLarge) {
    throw new AppError('badges.too_large', `The file is larger than ${MAX_BAKED_BYTES / 1024} KB.`);
  }
  const url = body.url?.trim() || undefined;
  const json = body.json?.trim() || undefined;
  const given = [body.file, url, json].filter((x) => x !== undefined).length;
  if (given !== 1) {
    throw new AppError(
      'badges.invalid',
      'Give exactly one of: a baked badge image, an assertion URL, or credential JSON.',
    );
  }
  if (url !== undefined && url.length > 2000) throw new AppError('badges.invalid', 'The URL is too long.');
  if (json !== undefined && json.length > MAX_JSON_CHARS)
    throw new AppError('badges.invalid', 'The credential JSON is too long.');
  return { file: body.file, url, json };
}

const Params = Type.Object({ id: Type.String({ format: 'uuid' }) });
const Query = Type.Object({ done: Type.Optional(Type.String({ maxLength: 20 })) });
const CsrfBody = Type.Object({ _csrf: Type.Optional(Type.String({ maxLength: 200 })) });

export async function backpackPages(app: FastifyInstance, { deps }: { deps: Deps }) {
  installPageErrorHandler(app);
  // Pages with CSRF tokens and personal data: not for shared caches or the back button.
  app.addHook('onSend', async (_request, reply) => {
    reply.header('cache-control', 'no-store');
  });
  app.addContentTypeParser(
    'multipart/form-data',
    { parseAs: 'buffer', bodyLimit: BODY_LIMIT },
    (request, body, done) => {
      parseUpload(request.headers['content-type'] ?? '', body as Buffer).then(
        (parsed) => done(null, parsed),
        (error: Error) => done(error),
      );
    },
  );

  const signedIn = (request: FastifyRequest, reply: FastifyReply) =>
    requireSignedInUser(deps, request, reply, PAGE);

  async function page(
    request: FastifyRequest,
    reply: FastifyReply,
    user: User,
    extra: Partial<BackpackPageProps> = {},
    status = 200,
  ) {
    const [awards, imported] = await Promise.all([userAwards(deps, user), listBackpack(deps, user.id)]);
    const csrf = csrfToken(request, reply, deps.secretKey, {
      secure: deps.config.publicUrl.startsWith('https:'),
    });
    return sendHtml(
      reply,
      BackpackPage({ csrf, emailVerified: user.emailVerified, awards, imported, ...extra }),
      status,
    );
  }

  /** Runs a form's action: on success back to the page (303) with a notice, on a 4xx the page with the reason. */
  async function act(
    request: FastifyRequest,
    reply: FastifyReply,
    done: string,
    action: (user: User) => Promise<unknown>,
    values?: BackpackPageProps['values'],
  ) {
    const user = await signedIn(request, reply);
    if (!user) return reply;
    assertCsrf(request, deps.secretKey);
    try {
      await action(user);
    } catch (error) {
      if (!(error instanceof AppError) || error.status >= 500 || error.code === 'badges.not_found')
        throw error;
      return page(request, reply, user, { error: error.message, values }, error.status);
    }
    return reply.redirect(`${PAGE}?done=${done}`, 303);
  }

  app.get<{ Querystring: Static<typeof Query> }>(
    PAGE,
    { schema: { hide: true, querystring: Query } },
    async (request, reply) => {
      const user = await signedIn(request, reply);
      if (!user) return reply;
      return page(request, reply, user, { notice: NOTICES[request.query.done ?? ''] });
    },
  );

  app.post<{ Body: UploadBody }>(
    PAGE,
    { schema: { hide: true }, bodyLimit: BODY_LIMIT },
    async (request, reply) => {
      const body = (request.body ?? {}) as UploadBody;
      const values = { url: body.url, json: body.json };
      return act(
        request,
        reply,
        'imported',
        (user) => importToBackpack(deps, user.id, inputOf(body)),
        values,
      );
    },
  );

  app.post<{ Params: Static<typeof Params> }>(
    `${PAGE}/:id/check`,
    { schema: { hide: true, params: Params, body: CsrfBody } },
    async (request, reply) =>
      act(request, reply, 'checked', (user) => recheckBackpackItem(deps, user.id, request.params.id)),
  );

  app.post<{ Params: Static<typeof Params> }>(
    `${PAGE}/:id/remove`,
    { schema: { hide: true, params: Params, body: CsrfBody } },
    async (request, reply) =>
      act(request, reply, 'removed', (user) => removeFromBackpack(deps, user.id, request.params.id)),
  );
}
