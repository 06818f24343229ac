import { Logger as GraphileLogger, type LogFunctionFactory } from 'graphile-worker';
import type { Logger } from '../lib/logger.ts';

/** Routes graphile-worker's log lines into our pino logger. */
export function graphileLogger(logger: Logger): GraphileLogger {
  const factory: LogFunctionFactory = (scope) => (level, message, meta) => {
    const child = logger.child({ component: 'jobs', ...scope });
    const data = meta ?? {};
    if (level === 'error') child.error(data, message);
    else if (level === 'warning') child.warn(data, message);
    else if (level === 'info') child.info(data, message);
    else child.debug(data, message);
  };
  return new GraphileLogger(factory);
}
