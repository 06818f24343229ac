import type { Command } from 'commander';
import { type Config, saveSettings, weakSecretWarnings } from '../config/config.ts';
import { migrate } from '../db/migrate.ts';
import { createLogger } from '../lib/logger.ts';
import { openDatabase } from '../runtime.ts';
import { type RunningHub, startHub } from '../server.ts';
import { configOrExit, failAndExit } from './context.ts';

async function serve(options: { web: boolean; worker: boolean }): Promise<void> {
  const config = configOrExit();
  const logger = createLogger(config.logLevel, undefined, { pretty: process.stdout.isTTY === true });
  for (const warning of weakSecretWarnings(config)) {
    logger.warn(warning);
    process.stderr.write(`learnhub: WARNING: ${warning}\n`);
  }
  let hub: RunningHub;
  try {
    hub = await startHub(config, logger, options);
  } catch (error) {
    failAndExit(error);
  }
  if (hub.address) {
    saveSettings(config);
    logger.info({ url: hub.address, public_url: config.publicUrl }, 'learnhub is ready');
    // Also plain lines whatever LOG_LEVEL is, for people and for scripts waiting on start-up.
    if (hub.postgresRelocated) process.stderr.write(`learnhub: ${hub.postgresRelocated}\n`);
    process.stderr.write(`learnhub: ready at ${hub.address} (public URL ${config.publicUrl})\n`);
    if (hub.badgekitAddress) {
      process.stderr.write(`learnhub: BadgeKit API at ${hub.badgekitAddress}/ (BADGEKIT_PORT)\n`);
    }
    process.stderr.write(nextSteps(config));
  } else {
    process.stderr.write('learnhub: worker running\n');
  }
  let signals = 0;
  const shutdown = (signal: NodeJS.Signals) => {
    signals += 1;
    if (signals > 1) {
      logger.warn({ signal }, 'second signal: exiting without waiting');
      process.exit(1);
    }
    logger.info({ signal }, 'shutting down');
    hub.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', shutdown);
  process.on('SIGINT', shutdown);
}

/** What a new operator does next; README.md ("First start") says the same. */
function nextSteps(config: Config): string {
  const mail = config.smtpUrl
    ? 'mail is sent through SMTP_URL'
    : 'SMTP_URL is not set, so mail goes to the built-in outbox: `npx learnhub mail list`, or /admin/mail';
  return [
    'learnhub: next steps:',
    `  1. open ${config.publicUrl}/ in a browser`,
    '  2. create the first administrator:',
    '     npx learnhub users create --admin --email you@example.org --name "Your Name" --username you --password "$PW"',
    `  3. ${mail}`,
    '',
  ].join('\n');
}

export function serveCommands(program: Command): void {
  program
    .command('start')
    .description(
      'Run the hub: web server and job worker in one process (WORKERS=false leaves the worker out).',
    )
    .action(async () => {
      const config = configOrExit();
      await serve({ web: true, worker: config.workers });
    });

  program
    .command('web')
    .description('Run only the web server; run `learnhub worker` processes beside it.')
    .action(() => serve({ web: true, worker: false }));

  program
    .command('worker')
    .description('Run only the job worker (mail, webhooks, fan-out, cron); as many as you like.')
    .action(() => serve({ web: false, worker: true }));

  program
    .command('migrate')
    .description('Apply database migrations and exit (start-up applies them too).')
    .action(async () => {
      const config = configOrExit();
      const logger = createLogger(config.logLevel, process.stderr);
      try {
        const database = await openDatabase(config, logger, { migrate: false, poolSize: 2 });
        try {
          await migrate(database.pool, logger);
        } finally {
          await database.close();
        }
        process.stderr.write('learnhub: migrations applied\n');
      } catch (error) {
        failAndExit(error);
      }
    });
}
