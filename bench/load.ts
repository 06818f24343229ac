import autocannon from 'autocannon';

export interface LoadOptions {
  readonly url: string;
  readonly connections?: number;
  readonly durationSeconds?: number;
  readonly method?: 'GET' | 'POST' | 'PUT';
  readonly headers?: Record<string, string>;
  readonly body?: string;
  /** Builds each request (e.g. a unique id per PUT); overrides method/body. */
  readonly requests?: autocannon.Request[];
}

export interface LoadResult {
  readonly requestsPerSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly errors: number;
  readonly non2xx: number;
  readonly total: number;
}

/** One autocannon run; bounded in time, loopback only. */
export async function load(options: LoadOptions): Promise<LoadResult> {
  const result = await autocannon({
    url: options.url,
    connections: options.connections ?? 50,
    duration: options.durationSeconds ?? 10,
    method: options.method ?? 'GET',
    headers: options.headers,
    body: options.body,
    requests: options.requests,
  });
  return {
    requestsPerSecond: result.requests.average,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
    total: result.requests.total,
  };
}

/** A short unmeasured run so JIT, pools and caches are warm before measuring. */
export async function warm(url: string, headers?: Record<string, string>): Promise<void> {
  await autocannon({ url, connections: 10, duration: 3, headers });
}
