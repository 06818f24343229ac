import type pg from 'pg';
import type { Config } from './config/config.ts';
import { resolveSecretKey } from './config/config.ts';
import { createDatabase, createPool } from './db/client.ts';
import { type EmbeddedDatabase, startEmbeddedDatabase } from './db/embedded.ts';
import { migrate } from './db/migrate.ts';
import type { Deps } from './deps.ts';
import { DomainEventBus } from './jobs/domain-events.ts';
import { JobRegistry } from './jobs/registry.ts';
import type { Logger } from './lib/logger.ts';
import { createOutbound } from './lib/outbound.ts';
import { type Clock, type Ids, systemClock, systemIds } from './lib/runtime.ts';
import { type Mailer, outboxMailer, smtpMailer } from './mail/index.ts';

/** The database a process talks to: DATABASE_URL, or the embedded server in DATA_DIR. */
export interface OpenDatabase {
  readonly url: string;
  readonly pool: pg.Pool;
  readonly embedded: EmbeddedDatabase | undefined;
  /** Closes the pool, then stops the embedded server if this process started it. */
  close(): Promise<void>;
}

export async function openDatabase(
  config: Config,
  logger: Logger,
  options: { migrate?: boolean; poolSize?: number } = {},
): Promise<OpenDatabase> {
  const embedded = config.databaseUrl ? undefined : await startEmbeddedDatabase(config.dataDir);
  const url = config.databaseUrl ?? embedded?.url;
  if (!url) throw new Error('no database URL');
  const pool = createPool(url, logger, { max: options.poolSize ?? 10 });
  try {
    if (options.migrate !== false) await migrate(pool, logger);
  } catch (error) {
    await pool.end().catch(() => {});
    if (embedded?.owned) await embedded.stop().catch(() => {});
    throw error;
  }
  let closed = false;
  return {
    url,
    pool,
    embedded,
    async close() {
      if (closed) return;
      closed = true;
      // The pool must be drained before the server it talks to goes away.
      await pool.end();
      if (embedded?.owned) await embedded.stop();
    },
  };
}

export interface DepsOverrides {
  readonly clock?: Clock;
  readonly ids?: Ids;
  readonly mailer?: Mailer;
}

export function createDeps(
  config: Config,
  database: { pool: pg.Pool },
  logger: Logger,
  overrides: DepsOverrides = {},
): Deps {
  const db = createDatabase(database.pool);
  const clock = overrides.clock ?? systemClock;
  const ids = overrides.ids ?? systemIds;
  const jobs = new JobRegistry();
  const mailDomain = new URL(config.publicUrl).hostname;
  const mailer =
    overrides.mailer ??
    (config.smtpUrl
      ? smtpMailer({
          url: config.smtpUrl,
          defaultFrom: config.mailFrom,
          domain: mailDomain,
          dkim: config.dkim,
          clock,
        })
      : outboxMailer(db, { clock, ids, defaultFrom: config.mailFrom, domain: mailDomain }));
  return {
    config,
    secretKey: resolveSecretKey(config),
    pool: database.pool,
    db,
    clock,
    ids,
    mailer,
    jobs,
    domainEvents: new DomainEventBus(jobs, () => db, logger),
    logger,
    outbound: createOutbound({ allowPrivate: config.outboundAllowPrivate }),
  };
}
