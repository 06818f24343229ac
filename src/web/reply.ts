import type { FastifyReply } from 'fastify';

/** Sends a rendered page. */
export function sendHtml(reply: FastifyReply, body: string, status = 200): FastifyReply {
  return reply.code(status).type('text/html; charset=utf-8').send(body);
}
