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
          destination: 1,
          sync: true,
          translateTime: 'SYS:HH:MM:ss',
          ignore: 'pid,hostname,service,reqId,req,res,ms',
          // A request line reads "GET /courses 200 12ms" rather than a JSON tail.
          messageFormat: (log, messageKey) => {
            const req = log.req as { method?: string; url?: string } | undefined;
            const res = log.res as { status?: number } | undefined;
            return req?.method === undefined
              ? String(log[messageKey])
              : `${req.method} ${String(req.url)} ${String(res?.status)} ${String(log.ms)}ms`;
          },
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
