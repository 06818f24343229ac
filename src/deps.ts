import type pg from 'pg';
import type { Config } from './config/config.ts';
import type { Database } from './db/client.ts';
import type { DomainEventBus } from './jobs/domain-events.ts';
import type { JobRegistry } from './jobs/registry.ts';
import type { Logger } from './lib/logger.ts';
import type { OutboundFetch } from './lib/outbound.ts';
import type { Clock, Ids } from './lib/runtime.ts';
import type { Mailer } from './mail/mailer.ts';

/**
 * Everything a module may depend on, built once (server.ts, the CLI, or the test harness) and passed in.
 * No module reads process.env or imports a singleton.
 */
export interface Deps {
  readonly config: Config;
  readonly secretKey: string;
  readonly pool: pg.Pool;
  readonly db: Database;
  readonly clock: Clock;
  readonly ids: Ids;
  readonly mailer: Mailer;
  readonly jobs: JobRegistry;
  readonly domainEvents: DomainEventBus;
  readonly logger: Logger;
  /** fetch() for URLs others chose: refuses private addresses unless configured (src/lib/outbound.ts). */
  readonly outbound: OutboundFetch;
}
