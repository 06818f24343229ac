import pino from 'pino';
import pretty from 'pino-pretty';

export type Logger = pino.Logger;

export interface LoggerOptions {
  /** Human-readable lines (for a terminal) instead of JSON lines (for log collectors). */
  readonly pretty?: boolean;
}

export function createLogger(
  level: string,
  destination?: pino.DestinationStream,
  options: LoggerOptions = {},
): Logger {
  const stream =
    options.pretty === true
      ? pretty({
          colorize: true,
          // A given stream (tests) or standard output.
          destination: destination ?? 1,
          sync: true,
          translateTime: 'SYS:HH:MM:ss',
          ignore: 'pid,hostname,service,reqId,method,path,status,ms',
          // A request line reads "GET /courses 200 12ms" rather than a JSON tail.
          messageFormat: (log, messageKey) =>
            log.method === undefined || log.status === undefined
              ? String(log[messageKey])
              : `${String(log.method)} ${String(log.path)} ${String(log.status)} ${String(log.ms)}ms`,
        })
      : destination;
  return pino(
    {
      level,
      base: { service: 'learnhub' },
      redact: { paths: ['req.headers.authorization', 'req.headers.cookie'], censor: '[redacted]' },
    },
    stream,
  );
}
