import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../test/support/app.ts';
import { emitFor, startReceiver } from '../modules/webhooks/webhooks.testing.ts';
import { createEndpoint } from '../modules/webhooks/webhooks.usecases.ts';
import { createOutbound, isPublicAddress, OutboundAddressError } from './outbound.ts';
import { systemClock } from './runtime.ts';

// The hub must not be a proxy into its own network: URLs that others choose (webhooks, reply URLs, badge
// assertions) may not reach loopback, private or link-local addresses unless OUTBOUND_ALLOW_PRIVATE is set.
let server: Server;
let hits = 0;
let port = 0;

beforeAll(async () => {
  server = createServer((_request, response) => {
    hits++;
    response.end('ok');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

describe('outbound requests', () => {
  it('tells public addresses from loopback, private, link-local, mapped and reserved ones', () => {
    for (const address of ['8.8.8.8', '1.1.1.1', '2606:4700:4700::1111', '2a00:1450:4001::200e']) {
      expect(isPublicAddress(address), address).toBe(true);
    }
    for (const address of [
      '127.0.0.1',
      '10.1.2.3',
      '172.16.0.1',
      '192.168.1.1',
      '169.254.169.254',
      '100.64.0.1',
      '0.0.0.0',
      '224.0.0.1',
      '::1',
      '::',
      'fe80::1',
      'fd00::1',
      '::ffff:127.0.0.1',
      '::ffff:10.0.0.1',
      'not an address',
    ]) {
      expect(isPublicAddress(address), address).toBe(false);
    }
  });

  it('refuses literal and named private hosts without connecting, and allows them when configured', async () => {
    const guarded = createOutbound({ allowPrivate: false });
    hits = 0;
    await expect(guarded(`http://127.0.0.1:${port}/`, {})).rejects.toBeInstanceOf(OutboundAddressError);
    await expect(guarded(`http://[::1]:${port}/`, {})).rejects.toBeInstanceOf(OutboundAddressError);
    // A name is checked on the address it resolves to, at connect time.
    await expect(guarded(`http://localhost:${port}/`, {})).rejects.toBeInstanceOf(OutboundAddressError);
    expect(hits).toBe(0);

    const open = createOutbound({ allowPrivate: true });
    const response = await open(`http://127.0.0.1:${port}/`, {});
    expect(await response.text()).toBe('ok');
    expect(hits).toBe(1);
  });
});

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
