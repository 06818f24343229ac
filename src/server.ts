import type { FastifyInstance } from 'fastify';
import type { Runner } from 'graphile-worker';
import { buildApp } from './app.ts';
import type { Config } from './config/config.ts';
import { type BadgekitListener, listenBadgekitRoot } from './dialects/badgekit/index.ts';
import { startWorker } from './jobs/worker.ts';
import type { Logger } from './lib/logger.ts';
import { PortInUseError } from './lib/net.ts';
import { type InboundSmtp, startInboundSmtp } from './modules/messaging/index.ts';
import { createDeps, openDatabase } from './runtime.ts';

export interface RunningHub {
  readonly app: FastifyInstance;
  /** Where the web server listens, e.g. http://127.0.0.1:3000 (undefined when web is off). */
  readonly address: string | undefined;
  /** Where the embedded PostgreSQL's cluster is, when it is not in DATA_DIR (see src/db/embedded.place.ts). */
  readonly postgresRelocated: string | undefined;
  /** The BadgeKit dialect's own listener (BADGEKIT_PORT), serving it at `/`. */
  readonly badgekitAddress: string | undefined;
  readonly worker: Runner | undefined;
  stop(): Promise<void>;
}

export interface StartOptions {
  readonly web: boolean;
  readonly worker: boolean;
}

/** loadConfig → database → migrate → buildApp → listen; worker; one stop() that undoes it all in order. */
export async function startHub(config: Config, logger: Logger, options: StartOptions): Promise<RunningHub> {
  const database = await openDatabase(config, logger, { poolSize: options.web ? 20 : 10 });
  let app: FastifyInstance | undefined;
  let worker: Runner | undefined;
  let inboundSmtp: InboundSmtp | undefined;
  let badgekit: BadgekitListener | undefined;
  try {
    const deps = createDeps(config, database, logger);
    app = await buildApp(deps);
    const address = options.web ? await listen(app, config) : undefined;
    badgekit =
      options.web && config.badgekitPort !== undefined
        ? await listenBadgekitRoot(app, { port: config.badgekitPort, host: config.host })
        : undefined;
    worker = options.worker
      ? await startWorker(database.pool, deps.jobs, logger, { concurrency: config.workerConcurrency })
      : undefined;
    // Reply-by-email listener: part of the web process (`learnhub start` / `learnhub web`), never of buildApp.
    inboundSmtp =
      options.web && config.inboundSmtpPort > 0
        ? await startInboundSmtp(deps, { port: config.inboundSmtpPort, host: config.host })
        : undefined;
    const smtp = inboundSmtp;
    const bk = badgekit;
    const started = app;
    let stopping: Promise<void> | undefined;
    return {
      app,
      address,
      badgekitAddress: bk?.address,
      postgresRelocated: database.embedded?.relocated,
      worker,
      stop() {
        stopping ??= (async () => {
          // Stop accepting and finish in-flight requests, then let running jobs finish, then close the
          // pool, then stop the embedded database.
          await smtp?.close();
          await bk?.close();
          await started.close();
          await worker?.stop();
          await deps.mailer.close();
          await database.close();
        })();
        return stopping;
      },
    };
  } catch (error) {
    await inboundSmtp?.close().catch(() => {});
    await badgekit?.close().catch(() => {});
    await app?.close().catch(() => {});
    await worker?.stop().catch(() => {});
    await database.close().catch(() => {});
    throw error;
  }
}

/** The web listener; a port in use is one line naming PORT, not a stack trace. */
async function listen(app: FastifyInstance, config: Config): Promise<string> {
  try {
    return await app.listen({ port: config.port, host: config.host });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      throw new PortInUseError('PORT', config.port, config.host);
    }
    throw error;
  }
}
