import { createHmac, timingSafeEqual } from 'node:crypto';
import { xapiErrors } from './xapi.wire.ts';

/**
 * The `more` URL of a statement page: the query and the position after its last statement, signed with a
 * key derived from SECRET_KEY, so a client can neither forge a position nor widen the query (a forged or
 * altered cursor is a 400). It carries no credential: the next page is read with the caller's own rights.
 */
export interface MoreState {
  /** The query's parameters as sent (without `more`). */
  readonly query: Record<string, string>;
  readonly stored: string;
  readonly seq: string;
}

const MAX = 4096;

function mac(secret: string, payload: string): string {
  return createHmac('sha256', `${secret}:xapi-more`).update(payload).digest('base64url').slice(0, 32);
}

export function encodeMore(secret: string, state: MoreState): string {
  const payload = Buffer.from(JSON.stringify([state.query, state.stored, state.seq]), 'utf8').toString(
    'base64url',
  );
  return `${payload}.${mac(secret, payload)}`;
}

export function decodeMore(secret: string, token: string): MoreState {
  const refuse = () => xapiErrors.invalid('more: not a cursor this LRS issued (or it was altered).');
  if (token.length > MAX) throw refuse();
  const dot = token.indexOf('.');
  if (dot <= 0) throw refuse();
  const payload = token.slice(0, dot);
  const given = Buffer.from(token.slice(dot + 1));
  const expected = Buffer.from(mac(secret, payload));
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw refuse();
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    throw refuse();
  }
  if (!Array.isArray(value) || value.length !== 3) throw refuse();
  const [query, stored, seq] = value as unknown[];
  if (typeof query !== 'object' || query === null || typeof stored !== 'string' || typeof seq !== 'string') {
    throw refuse();
  }
  return { query: query as Record<string, string>, stored, seq };
}
