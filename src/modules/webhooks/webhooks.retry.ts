/**
 * The retry schedule, ours rather than graphile-worker's so that it is visible and testable: after the n-th
 * failed attempt of a chain the next one runs RETRY_DELAYS_MS[n-1] later. 11 attempts over about 3.6 days;
 * after the last one fails the delivery is marked failed.
 */
const S = 1000;
const M = 60 * S;
const H = 60 * M;

export const RETRY_DELAYS_MS: readonly number[] = [
  5 * S,
  5 * M,
  30 * M,
  2 * H,
  5 * H,
  10 * H,
  10 * H,
  14 * H,
  20 * H,
  24 * H,
];

export const MAX_ATTEMPTS = RETRY_DELAYS_MS.length + 1;

/** When the attempt after `attempt` (1-based) should run, or undefined when the chain is exhausted. */
export function nextAttemptAt(attempt: number, at: Date): Date | undefined {
  const delay = RETRY_DELAYS_MS[attempt - 1];
  return delay === undefined ? undefined : new Date(at.getTime() + delay);
}

/**
 * An endpoint is disabled when every attempt to it has failed for DISABLE_AFTER_MS: it has not answered
 * 2xx once since `failingSince` (the first failure after its last success). Counting time rather than
 * deliveries treats busy and quiet endpoints alike; one success resets it.
 */
export const DISABLE_AFTER_MS = 5 * 24 * H;

export function shouldDisable(failingSince: Date, now: Date): boolean {
  return now.getTime() - failingSince.getTime() >= DISABLE_AFTER_MS;
}

/** How long one attempt may take before it counts as failed. */
export const ATTEMPT_TIMEOUT_MS = 10 * S;

/** Finished deliveries and their attempts are kept this long, then pruned daily. */
export const KEEP_DELIVERIES_MS = 30 * 24 * H;
