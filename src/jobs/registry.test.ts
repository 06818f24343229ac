import { describe, expect, it } from 'vitest';
import { JobRegistry } from './registry.ts';

describe('the job registry', () => {
  it('refuses a second handler under the same name', () => {
    const registry = new JobRegistry();
    registry.register('mail.send', async () => {});
    expect(() => registry.register('mail.send', async () => {})).toThrow('already registered');
  });

  it('refuses a cron entry for a job nobody registered', () => {
    const registry = new JobRegistry();
    expect(() => registry.cron({ schedule: '0 * * * *', task: 'nobody.home' })).toThrow('unregistered');
  });

  it('turns cron entries with dotted task names into graphile-worker cron items', () => {
    const registry = new JobRegistry();
    registry.register('digests.weekly', async () => {});
    registry.cron({ schedule: '0 8 * * 1', task: 'digests.weekly', backfillMs: 3_600_000 });
    const [item] = registry.cronItems();
    expect(item).toMatchObject({ task: 'digests.weekly', identifier: 'digests.weekly' });
    expect(item?.options.backfillPeriod).toBe(3_600_000);
    expect(item?.match({ min: 0, hour: 8, date: 1, month: 1, dow: 1 })).toBe(true);
    expect(item?.match({ min: 0, hour: 9, date: 1, month: 1, dow: 1 })).toBe(false);
  });
});
