import type { ServerOptions } from 'node:http';
import type { HttpLimits } from '../config/config.ts';

/**
 * The HTTP server's defences against slow and abusive clients, as Fastify options. Node enforces the head and
 * request time-outs by sweeping its connections every `connectionsCheckingInterval` (30 s by default, which
 * would let a 20 s head time-out run to 50 s); a tenth of the shorter time-out keeps the overshoot small
 * without sweeping more than needed. Oversized heads are answered 431 by Node before Fastify sees them.
 */
export function httpServerOptions(limits: HttpLimits): {
  http: ServerOptions;
  requestTimeout: number;
  keepAliveTimeout: number;
} {
  const sweep = Math.min(Math.max(Math.floor(limits.headersTimeoutMs / 10), 100), 5_000);
  return {
    http: {
      headersTimeout: limits.headersTimeoutMs,
      requestTimeout: limits.requestTimeoutMs,
      maxHeaderSize: limits.maxHeaderBytes,
      connectionsCheckingInterval: sweep,
    },
    // Fastify sets these on the server after creating it; they must agree with the above.
    requestTimeout: limits.requestTimeoutMs,
    keepAliveTimeout: limits.keepAliveTimeoutMs,
  };
}
