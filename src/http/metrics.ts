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

  // One labelled child per (method, route, status class), made once: observing through a child skips
  // prom-client's per-call label hashing, which was measurable on the hot path.
  const children = new Map<string, { count: () => void; observe: (seconds: number) => void }>();
  app.addHook('onResponse', (request, reply, done) => {
    const route = request.routeOptions.url ?? 'unmatched';
    const status = `${Math.floor(reply.statusCode / 100)}xx`;
    const key = `${request.method} ${route} ${status}`;
    let child = children.get(key);
    if (!child) {
      const labels = { method: request.method, route, status };
      const counter = requests.labels(labels);
      const histogram = duration.labels(labels);
      child = { count: () => counter.inc(), observe: (seconds) => histogram.observe(seconds) };
      children.set(key, child);
    }
    child.count();
    child.observe(reply.elapsedTime / 1000);
    done();
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
