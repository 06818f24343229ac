import fc from 'fast-check';
import { expect } from 'vitest';
import {
  CREDENTIALS_FOR,
  expectNoServerError,
  nextXid,
  RUNS,
  rowCounts,
  SEED,
  type World,
} from './harness.ts';
import { type Case, caseFor, type Operation, urlOf } from './operations.ts';

/** Cases per operation and credential kind; FUZZ_RUNS multiplies it. */
const PER_CREDENTIAL = 2;

let last: { xid: string; counts: Record<string, number> } | undefined;

/** Row counts of the key tables, recounted only when some transaction has written since the last count. */
async function snapshot(world: World) {
  const xid = await nextXid(world);
  if (last?.xid !== xid) last = { xid, counts: await rowCounts(world) };
  return last;
}

/** Sends one generated case and checks the property: no 5xx, own error shape, nothing stored if refused. */
export async function sendCase(world: World, op: Operation, c: Case): Promise<void> {
  const url = urlOf(op, c);
  const headers = await world.headersFor(c.credential, op.method, url, c.body?.bytes);
  if (op.surface === 'page') headers.accept = 'text/html';
  // xAPI refuses every request without its version header; with it, the fuzz reaches the resources.
  if (op.surface === 'xapi') headers['x-experience-api-version'] = '1.0.3';
  if (c.body) headers['content-type'] = c.body.type;
  const label = `${op.method} ${url.slice(0, 300)} as ${c.credential}${c.body ? ` with ${c.body.label}` : ''}`;
  const before = op.method === 'GET' ? undefined : await snapshot(world);
  const res = await world.t.app.inject({
    method: op.method,
    url,
    headers,
    ...(c.body ? { payload: c.body.bytes } : {}),
  });
  expectNoServerError(op.surface, res, label);
  if (before && res.statusCode >= 400) {
    const after = await snapshot(world);
    if (after.xid !== before.xid)
      expect(after.counts, `${label} was refused (${res.statusCode}) yet stored rows`).toEqual(before.counts);
  }
}

/** Runs the property over one operation, with each credential kind its surface knows. */
export async function fuzzOperation(
  world: World,
  op: Operation,
  perCredential = PER_CREDENTIAL,
): Promise<void> {
  for (const credential of CREDENTIALS_FOR[op.surface]) {
    await fc.assert(
      fc.asyncProperty(caseFor(op, world.ids, fc.constant(credential)), (c) => sendCase(world, op, c)),
      { seed: SEED, numRuns: perCredential * RUNS },
    );
  }
}
