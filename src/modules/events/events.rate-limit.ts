import type { RateLimitOptions } from '@fastify/rate-limit';
import type { FastifyRequest } from 'fastify';
import { parseBasicAuth } from '../../lib/basic-auth.ts';
import { KEY_ID_PREFIX } from './events.programs.ts';

/** Requests per minute per program key and client address on the Event Store's routes. */
export const PROGRAM_KEY_REQUESTS_PER_MINUTE = 600_000;

/**
 * Programs are servers that publish in bulk; the hub-wide per-address limit (sized for people and apps)
 * would cap a program at a few events per second. Event Store routes are limited per key instead. The key
 * id is combined with the address so that someone sending a victim's key id with a wrong secret only uses
 * up their own allowance.
 */
export const programKeyRateLimit: RateLimitOptions = {
  max: PROGRAM_KEY_REQUESTS_PER_MINUTE,
  timeWindow: 60_000,
  keyGenerator: (request: FastifyRequest) => {
    const user = parseBasicAuth(request.headers.authorization)?.user;
    return user?.startsWith(KEY_ID_PREFIX) ? `${request.ip}|${user}` : request.ip;
  },
};
