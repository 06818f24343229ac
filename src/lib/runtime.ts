import { randomBytes, randomUUID } from 'node:crypto';

/** Time comes from a Clock so tests can control it. */
export interface Clock {
  now(): Date;
}

/** Identifiers and secrets come from Ids so tests can make them deterministic. */
export interface Ids {
  uuid(): string;
  /** `bytes` of cryptographically strong randomness, base64url-encoded. */
  token(bytes?: number): string;
}

export const systemClock: Clock = { now: () => new Date() };

export const systemIds: Ids = {
  uuid: () => randomUUID(),
  token: (bytes = 32) => randomBytes(bytes).toString('base64url'),
};

/** A clock that only moves when told to; for tests. */
export class ManualClock implements Clock {
  #now: number;
  constructor(start: Date | string = '2026-01-01T00:00:00Z') {
    this.#now = new Date(start).getTime();
  }
  now(): Date {
    return new Date(this.#now);
  }
  advance(ms: number): void {
    this.#now += ms;
  }
  set(at: Date | string): void {
    this.#now = new Date(at).getTime();
  }
}
