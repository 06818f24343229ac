import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildWorld, SEED, type World } from './harness.ts';
import { type Operation, operationsOf, PAGES } from './operations.ts';
import { fuzzOperation } from './run.ts';

// The fuzz suite over the native API, Open Badges documents, operator endpoints and pages (the dialects
// are in dialects.fuzz.test.ts, so the two halves run in parallel). A failure prints fast-check's seed and
// path; replay with FUZZ_SEED=<seed> npx vitest run test/fuzz -t '<operation>'.
let world: World;
let operations: Operation[] = [];

beforeAll(async () => {
  world = await buildWorld();
  const document = (await world.t.app.inject('/openapi.json')).json();
  operations = [...operationsOf(document).filter((op) => op.surface === 'native'), ...PAGES];
});
afterAll(async () => {
  await world.t.close();
});

describe(`fuzzing the native API and pages (FUZZ_SEED=${SEED})`, () => {
  it('answers every operation with no 5xx, errors in its own shape, and stores nothing when it refuses', async () => {
    const failures: string[] = [];
    for (const op of operations) {
      // Every operation is fuzzed even after one fails, so one run reports every finding.
      await fuzzOperation(world, op).catch((error: unknown) =>
        failures.push(`${op.method} ${op.path}: ${String(error)}`),
      );
    }
    expect(failures).toEqual([]);
  }, 600_000);
});
