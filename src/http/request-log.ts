import { type FastifyReply, type FastifyRequest, LogController } from 'fastify';

/**
 * One log line per request, when it completes (Fastify's default is two: "incoming request" and "request
 * completed"). The fields are short so that a terminal line reads `GET /courses 200 12ms` (src/lib/logger.ts).
 */
export class OneLinePerRequest extends LogController {
  override incomingRequest(): void {}

  override requestCompleted(
    error: Error | null | undefined,
    request: FastifyRequest,
    reply: FastifyReply,
  ): void {
    // Not `req`/`res`: pino's serializers for those expect Fastify's objects.
    const line = {
      method: request.method,
      path: request.originalUrl,
      status: reply.statusCode,
      ms: Math.round(reply.elapsedTime),
    };
    if (error) reply.log.error({ ...line, err: error }, 'request errored');
    else reply.log.info(line, 'request');
  }
}
