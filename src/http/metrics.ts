import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { Counter, collectDefaultMetrics, Histogram, Registry } from 'prom-client';

/**
 * Prometheus metrics at /metrics: process metrics plus request counts and latency by route pattern (never by
 * raw URL, which would explode the label space).
 */
async function metrics(app: FastifyInstance): Promise<void> {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'learnhub_' });
  const duration = new Histogram({
    name: 'learnhub_http_request_duration_seconds',
    help: 'HTTP request latency by method, route and status class',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  const requests = new Counter({
    name: 'learnhub_http_requests_total',
    help: 'HTTP requests by method, route and status class',
    labelNames: ['method', 'route', 'status'],
    registers: [registry],
  });

  app.addHook('onResponse', async (request, reply) => {
    const labels = {
      method: request.method,
      route: request.routeOptions.url ?? 'unmatched',
      status: `${Math.floor(reply.statusCode / 100)}xx`,
    };
    requests.inc(labels);
    duration.observe(labels, reply.elapsedTime / 1000);
  });

  app.get(
    '/metrics',
    {
      schema: { tags: ['operations'], summary: 'Prometheus metrics (text exposition format)', hide: false },
      config: { rateLimit: false },
      // Machine endpoints, never rendered by a browser: no need for the security headers' cost.
      helmet: false,
      logLevel: 'warn',
    },
    async (_request, reply) => {
      reply.type(registry.contentType);
      return registry.metrics();
    },
  );
}

/** Not encapsulated: the timing hook must see every route, not only this plugin's. */
export const metricsRoutes = fp(metrics, { name: 'learnhub-metrics' });
