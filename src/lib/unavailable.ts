/**
 * Whether an error means "the database cannot be reached right now" rather than "this request is wrong" or
 * "the code is wrong": the server is stopped, restarting, shutting down, out of connections, or the pool
 * could not get a connection in time. Such a request should be answered 503 with Retry-After, so clients
 * and load balancers back off and retry, instead of a 500 that says the hub is broken.
 */

// SQLSTATEs: class 08 (connection exception), 57P01 admin_shutdown, 57P02 crash_shutdown, 57P03
// cannot_connect_now (starting up or in recovery), 53300 too_many_connections.
const SQLSTATES = new Set(['57P01', '57P02', '57P03', '53300']);
// Socket errors from the pg client's connection (pg hands them over as they are).
const ERRNOS = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH']);
// pg and pg-pool raise these without a code, so their text is the only thing to recognise them by.
const MESSAGES = [
  'Connection terminated unexpectedly',
  'Connection terminated due to connection timeout',
  'timeout exceeded when trying to connect',
  'Client has encountered a connection error and is not queryable',
];

function matches(error: object): boolean {
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && (SQLSTATES.has(code) || code.startsWith('08') || ERRNOS.has(code))) {
    return typeof (error as { severity?: unknown }).severity === 'string' || ERRNOS.has(code);
  }
  const message = (error as { message?: unknown }).message;
  return typeof message === 'string' && MESSAGES.some((m) => message.startsWith(m));
}

/**
 * True for a database connection failure, as thrown by pg, pg-pool, or Drizzle (which wraps the driver's
 * error in a DrizzleQueryError whose `cause` is it). Only Drizzle's wrapper is looked through: a socket error
 * inside some other error (an outbound fetch that failed) is not the database's.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; depth < 3 && typeof current === 'object' && current !== null; depth++) {
    if (matches(current)) return true;
    if (typeof (current as { query?: unknown }).query !== 'string') return false;
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}
