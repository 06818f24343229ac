import { type Config, ConfigError, loadConfig, withSavedSettings } from '../config/config.ts';
import { EmbeddedDatabaseError } from '../db/embedded.ts';
import type { Deps } from '../deps.ts';
import { AppError } from '../errors/index.ts';
import { createLogger, type Logger } from '../lib/logger.ts';
import { PortInUseError } from '../lib/net.ts';
import { createDeps, openDatabase } from '../runtime.ts';

/** Exit status for a configuration error (sysexits.h EX_CONFIG). */
export const EXIT_CONFIG = 78;

/**
 * Reads the configuration or stops the process with one line naming the variable and what is wrong. Admin
 * commands (`saved`) take PUBLIC_URL from the running hub's saved settings when the environment lacks it.
 */
export function configOrExit(options: { saved?: boolean } = {}): Config {
  try {
    return loadConfig(options.saved ? withSavedSettings(process.env) : process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`learnhub: configuration error: ${error.message}\n`);
      process.exit(EXIT_CONFIG);
    }
    throw error;
  }
}

/** Turns a known start-up failure into one clear line on stderr and exit status 1. */
export function failAndExit(error: unknown): never {
  if (
    error instanceof EmbeddedDatabaseError ||
    error instanceof ConfigError ||
    error instanceof PortInUseError
  ) {
    process.stderr.write(`learnhub: ${error.message}\n`);
  } else {
    process.stderr.write(
      `learnhub: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
  }
  process.exit(1);
}

/**
 * Runs an admin command against the same database as the hub: DATABASE_URL, or the embedded server in
 * DATA_DIR (connecting to it when the hub is running, starting it briefly when not). Logs go to stderr so
 * that --json output on stdout stays clean.
 */
export async function withAdminDeps<T>(work: (deps: Deps, logger: Logger) => Promise<T>): Promise<T> {
  const config = configOrExit({ saved: true });
  const logger = createLogger(config.logLevel === 'info' ? 'warn' : config.logLevel, process.stderr);
  let database: Awaited<ReturnType<typeof openDatabase>> | undefined;
  try {
    database = await openDatabase(config, logger, { poolSize: 2 });
    const deps = createDeps(config, database, logger);
    const result = await work(deps, logger);
    await deps.mailer.close();
    await database.close();
    return result;
  } catch (error) {
    await database?.close().catch(() => {});
    return failAndExit(error);
  }
}

/**
 * Runs an admin use-case like withAdminDeps, but a refusal (an AppError: bad input, duplicate, unknown name)
 * is one line on stderr and exit status 1, not a stack trace.
 */
export async function runAdminUseCase<T>(work: (deps: Deps) => Promise<T>): Promise<T> {
  const result = await withAdminDeps(async (deps) => {
    try {
      return { ok: true as const, value: await work(deps) };
    } catch (error) {
      if (error instanceof AppError) return { ok: false as const, message: error.message };
      throw error;
    }
  });
  if (!result.ok) {
    process.stderr.write(`learnhub: ${result.message}\n`);
    process.exit(1);
  }
  return result.value;
}

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}
