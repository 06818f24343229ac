import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../../test/support/app.ts';
import { systemClock } from '../../lib/runtime.ts';
import { emitFor, startReceiver } from './webhooks.testing.ts';
import { createEndpoint } from './webhooks.usecases.ts';

// The hub must not be a proxy into its own network (src/lib/outbound.ts): a webhook URL an app chose may not
// reach loopback, private or link-local addresses unless OUTBOUND_ALLOW_PRIVATE is set.
describe('webhook delivery with private addresses refused', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp({ env: { OUTBOUND_ALLOW_PRIVATE: 'false' } });
  });
  afterAll(async () => {
    await t.close();
  });

  it('never reaches an endpoint on 127.0.0.1 and logs the attempt as failed, with the reason', async () => {
    const receiver = await startReceiver(systemClock);
    try {
      const appId = '0b1c7a7e-3333-4c5e-9a00-00000000000c';
      const { endpoint } = await createEndpoint(t.deps, appId, { url: receiver.url, eventTypes: ['*'] });
      await emitFor(t, 'message.replied', appId);
      await t.runJobs();
      expect(receiver.received).toHaveLength(0);
      const attempts = await t.deps.pool.query<{ succeeded: boolean; error: string | null }>(
        `select a.* from webhook_attempts a join webhook_deliveries d on d.id = a.delivery_id
          where d.endpoint_id = $1`,
        [endpoint.id],
      );
      expect(attempts.rows).toHaveLength(1);
      expect(attempts.rows[0]?.succeeded).toBe(false);
      expect(JSON.stringify(attempts.rows[0])).toContain('not a public internet address');
    } finally {
      await receiver.close();
    }
  });
});
