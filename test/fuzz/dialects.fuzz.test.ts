import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildWorld, SEED, type World } from './harness.ts';
import { type Operation, operationsOf } from './operations.ts';
import { fuzzOperation } from './run.ts';

// The fuzz suite over the dialects (OpenLearning, BadgeKit, Event Store), each with its own credentials and
// error shape. A failure prints fast-check's seed and path; replay with FUZZ_SEED=<seed>.
let world: World;
let operations: Operation[] = [];

beforeAll(async () => {
  world = await buildWorld();
  const document = (await world.t.app.inject('/openapi.json')).json();
  operations = operationsOf(document).filter((op) => op.surface !== 'native');
});
afterAll(async () => {
  await world.t.close();
});

describe(`fuzzing the dialects (FUZZ_SEED=${SEED})`, () => {
  it('answers every dialect route with no 5xx, errors in its own shape, and stores nothing when it refuses', async () => {
    const failures: string[] = [];
    for (const op of operations) {
      await fuzzOperation(world, op).catch((error: unknown) =>
        failures.push(`${op.method} ${op.path}: ${String(error)}`),
      );
    }
    expect(failures).toEqual([]);
  }, 600_000);
});
