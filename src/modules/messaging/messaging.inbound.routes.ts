import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Static } from 'typebox';
import type { Deps } from '../../deps.ts';
import { AppError } from '../../errors/index.ts';
import { parseBasicAuth } from '../../lib/basic-auth.ts';
import { safeEqual } from '../../lib/secrets.ts';
import { messagingErrors } from './messaging.errors.ts';
import { type IngestResult, ingestRawMessage, MAX_INBOUND_BYTES } from './messaging.inbound.ts';
import { suppress } from './messaging.inbox.ts';
import { InboundResult, Ok, PostmarkEvent, PostmarkInbound } from './messaging.schemas.ts';

const TAGS = ['messaging'];

/** The shared secret, as `Authorization: Bearer <secret>` or as the password of Basic auth (Postmark). */
function checkSecret(deps: Deps, request: FastifyRequest): void {
  const secret = deps.config.inboundEmailSecret;
  if (!secret) throw messagingErrors.inboundDisabled();
  const header = request.headers.authorization ?? '';
  // Postmark puts the secret in the URL's password (Basic); others send it as a bearer token.
  const given = /^Bearer\s+(\S+)$/i.exec(header)?.[1] ?? parseBasicAuth(header)?.password;
  if (!given || !safeEqual(given, secret)) throw messagingErrors.inboundUnauthenticated();
}

function resultJson(result: IngestResult) {
  if (result.status === 'accepted') return { status: result.status, reply_id: result.replyId };
  if (result.status === 'dropped') return { status: result.status, reason: result.reason };
  return { status: result.status };
}

export async function inboundRoutes(app: FastifyInstance, { deps }: { deps: Deps }): Promise<void> {
  // Raw MIME bodies, within this plugin only.
  app.addContentTypeParser(
    'message/rfc822',
    { parseAs: 'buffer', bodyLimit: MAX_INBOUND_BYTES },
    (_request, body, done) => done(null, body),
  );

  app.post(
    '/api/v1/inbound/email',
    {
      bodyLimit: MAX_INBOUND_BYTES,
      schema: {
        tags: TAGS,
        summary: 'Take a reply as raw MIME (Content-Type: message/rfc822), e.g. from your own MTA',
        description:
          'Authenticated with `Authorization: Bearer INBOUND_EMAIL_SECRET`. The reply address is found in ' +
          'the `X-Envelope-To` header, or else the To/Cc/Delivered-To headers. 406 means: do not retry.',
        security: [{ bearer: [] }],
        response: { 200: InboundResult },
      },
    },
    async (request) => {
      checkSecret(deps, request);
      const raw = request.body;
      if (!Buffer.isBuffer(raw)) throw messagingErrors.malformedMime();
      const envelopeTo = request.headers['x-envelope-to'];
      const rcptTo = typeof envelopeTo === 'string' ? envelopeTo.split(',').map((s) => s.trim()) : [];
      return resultJson(await ingestRawMessage(deps, raw, { rcptTo }, 'http'));
    },
  );

  app.post<{ Body: Static<typeof PostmarkInbound> }>(
    '/api/v1/inbound/postmark',
    {
      bodyLimit: 6 * 1024 * 1024,
      schema: {
        tags: TAGS,
        summary:
          'Postmark inbound webhook (set its URL as https://postmark:SECRET@hub/api/v1/inbound/postmark)',
        description:
          'Needs "Include raw email content in JSON payload". Postmark stops retrying on 403, which the hub ' +
          'answers for mail it will never take (unknown token, wrong sender, malformed).',
        body: PostmarkInbound,
        response: { 200: InboundResult },
      },
    },
    async (request) => {
      checkSecret(deps, request);
      const b = request.body;
      try {
        if (!b.RawEmail) throw messagingErrors.malformedMime();
        const rcptTo = [b.OriginalRecipient ?? '', ...(b.ToFull ?? []).map((t) => t.Email)].filter(Boolean);
        return resultJson(
          await ingestRawMessage(deps, Buffer.from(b.RawEmail, 'utf8'), { rcptTo }, 'postmark'),
        );
      } catch (error) {
        if (error instanceof AppError && error.status >= 400 && error.status < 500) {
          // Postmark's "stop retrying" status; the reason stays in the message and `refused`.
          throw new AppError('messaging.inbound_refused', error.message, {
            details: { refused: error.code },
          });
        }
        throw error;
      }
    },
  );

  app.post<{ Body: Static<typeof PostmarkEvent> }>(
    '/api/v1/inbound/postmark/events',
    {
      schema: {
        tags: TAGS,
        summary: 'Postmark bounce and spam-complaint webhook: feeds the suppression list',
        body: PostmarkEvent,
        response: { 200: Ok },
      },
    },
    async (request) => {
      checkSecret(deps, request);
      const b = request.body;
      const email = b.Email ?? b.Recipient;
      const hard = b.RecordType === 'Bounce' && (b.Type === 'HardBounce' || b.Type === 'BadEmailAddress');
      const complaint = b.RecordType === 'SpamComplaint';
      if (email && (hard || complaint)) {
        await suppress(deps, email, complaint ? 'complaint' : 'hard_bounce', 'postmark');
      }
      return { ok: true };
    },
  );
}
