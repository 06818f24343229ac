import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { buildTestApp, type TestApp } from '../../../test/support/app.ts';
import { basicAuth } from '../../../test/support/oidc.ts';
import { formOf } from '../../../test/support/web.ts';
import { buildApp } from '../../app.ts';
import { createPool } from '../../db/client.ts';
import { createLogger } from '../../lib/logger.ts';
import { ManualClock } from '../../lib/runtime.ts';
import { createDeps } from '../../runtime.ts';
import { TOKEN_CACHE_TTL_MS, tokenCacheFor } from '../oauth/index.ts';
import { activityWorld, COURSE, countActivities } from './activity.testing.ts';

/**
 * Bearer tokens are verified once and then trusted from a short-lived cache (oauth.token-cache.ts); these
 * tests hold the rule against it: revoking an app's grant stops it publishing for that person at
 * once, in this process and in any other web process on the same database.
 */
let t: TestApp;
let w: Awaited<ReturnType<typeof activityWorld>>;
const clock = new ManualClock('2026-03-01T10:00:00Z');

beforeAll(async () => {
  t = await buildTestApp({ clock });
  w = await activityWorld(t);
  // From here on, verified tokens are cached (until the listener is up the cache is bypassed).
  await tokenCacheFor(t.deps).whenListening();
});
afterAll(async () => {
  await t.close();
});

const activity = (extra: Record<string, unknown> = {}) => ({
  verb: 'post',
  object: `${COURSE}/comments/${Math.random().toString(36).slice(2)}`,
  ...extra,
});

/** A second web process: its own pool, app and token cache, on the same database. */
async function otherProcess() {
  const logger = createLogger('silent');
  const pool = createPool(t.database.url, logger, { max: 2 });
  const deps = createDeps(t.config, { pool }, logger, { clock });
  const app = await buildApp(deps);
  await tokenCacheFor(deps).whenListening();
  return {
    publish: (token: string, payload: Record<string, unknown>) =>
      app.inject({
        method: 'POST',
        url: '/api/v1/activities',
        headers: { authorization: `Bearer ${token}` },
        payload,
      }),
    async close() {
      await app.close();
      await deps.mailer.close();
      await pool.end();
    },
  };
}

async function revokeOnConnectionsPage(browser: typeof w.aliceBrowser, clientId: string) {
  const action = `/account/connections/${clientId}/revoke`;
  // The connections page asks first; the form that disconnects is on the confirmation page.
  expect((await browser.get('/account/connections')).body).toContain(`action="${action}"`);
  const form = formOf((await browser.get(action)).body, action);
  const res = await browser.post(action, form.hidden);
  expect(res.statusCode).toBe(303);
}

describe('revocation with cached tokens', () => {
  it("refuses a person's cached token, and the app publishing for them, the moment they disconnect the app", async () => {
    const erin = await w.person('erin', 'Erin Evans');
    const { browser, body } = await w.userToken('erin', 'openid activities:publish');
    // Used twice: the second time it comes from the cache.
    for (let i = 0; i < 2; i++) {
      expect((await w.publish(body.access_token, activity({ actor: erin.id }))).statusCode).toBe(201);
      expect((await w.publish(w.appToken, activity({ actor: erin.id }))).statusCode).toBe(201);
    }
    await revokeOnConnectionsPage(browser, w.client.id);

    const before = await countActivities(t);
    const own = await w.publish(body.access_token, activity({ actor: erin.id }));
    expect(own.statusCode).toBe(401);
    expect(own.json().code).toBe('oauth.invalid_token');
    // Nor may the token publish anonymously: it is dead, not merely without the grant.
    expect((await w.publish(body.access_token, activity())).statusCode).toBe(401);
    const asApp = await w.publish(w.appToken, activity({ actor: erin.id }));
    expect(asApp.statusCode).toBe(403);
    expect(asApp.json().code).toBe('activity.not_permitted');
    expect(await countActivities(t)).toEqual(before);
    // The app's own (cached) token still works for anonymous activities.
    expect((await w.publish(w.appToken, activity())).statusCode).toBe(201);
  });

  it('refuses a cached token at once after the app revokes it at the revocation endpoint', async () => {
    const cc = await w.token({ grant_type: 'client_credentials', scope: 'activities:publish' });
    const token = cc.json<{ access_token: string }>().access_token;
    expect((await w.publish(token, activity())).statusCode).toBe(201);
    expect((await w.publish(token, activity())).statusCode).toBe(201);
    const revoked = await t.app.inject({
      method: 'POST',
      url: '/oidc/token/revocation',
      headers: {
        authorization: basicAuth(w.client.id, w.client.secret),
        'content-type': 'application/x-www-form-urlencoded',
      },
      payload: new URLSearchParams({ token }).toString(),
    });
    expect(revoked.statusCode).toBe(200);
    const res = await w.publish(token, activity());
    expect(res.statusCode).toBe(401);
    expect(res.json().code).toBe('oauth.invalid_token');
  });

  it('re-verifies a cached token with the database once its TTL has passed', async () => {
    const cc = await w.token({ grant_type: 'client_credentials', scope: 'activities:publish' });
    const token = cc.json<{ access_token: string }>().access_token;
    expect((await w.publish(token, activity())).statusCode).toBe(201);
    // Remove the token behind the hub's back, as a change that sends no notification would: the cache
    // keeps trusting it until the TTL runs out, and not a moment longer.
    await t.deps.pool.query(`begin;
      alter table oidc_payloads disable trigger oidc_payloads_token_revoked;
      delete from oidc_payloads where model = 'ClientCredentials' and id_hash = encode(sha256(convert_to('${token}', 'UTF8')), 'hex');
      alter table oidc_payloads enable trigger oidc_payloads_token_revoked;
      commit`);
    expect((await w.publish(token, activity())).statusCode).toBe(201);
    clock.advance(TOKEN_CACHE_TTL_MS);
    expect((await w.publish(token, activity())).statusCode).toBe(401);
  });

  it('refuses the tokens of a deleted app at once', async () => {
    const { createApp } = await import('../oauth/index.ts');
    const created = await createApp(t.deps, { name: 'Short-lived', redirectUris: [], ownerUserId: w.bob.id });
    const res = await t.app.inject({
      method: 'POST',
      url: '/oidc/token',
      headers: {
        authorization: basicAuth(created.app.clientId, created.clientSecret),
        'content-type': 'application/x-www-form-urlencoded',
      },
      payload: 'grant_type=client_credentials&scope=activities%3Apublish',
    });
    const token = res.json<{ access_token: string }>().access_token;
    expect((await w.publish(token, activity())).statusCode).toBe(201);
    expect((await w.publish(token, activity())).statusCode).toBe(201);
    const operator = await t.operatorToken();
    const deleted = await t.app.inject({
      method: 'DELETE',
      url: `/api/v1/apps/${created.app.clientId}`,
      headers: { authorization: `Bearer ${operator}` },
    });
    expect(deleted.statusCode).toBe(204);
    expect((await w.publish(token, activity())).statusCode).toBe(401);
  });

  it('reaches another web process: its cached token is refused once the person disconnects the app here', async () => {
    const other = await otherProcess();
    try {
      const fay = await w.person('fay', 'Fay Fox');
      const { browser, body } = await w.userToken('fay', 'openid activities:publish');
      for (let i = 0; i < 2; i++) {
        expect((await other.publish(body.access_token, activity({ actor: fay.id }))).statusCode).toBe(201);
      }
      await revokeOnConnectionsPage(browser, w.client.id);
      // The other process hears of it through PostgreSQL (LISTEN/NOTIFY) a moment after the commit. The
      // clock does not move, so the cache's TTL cannot be what ends it.
      await vi.waitFor(
        async () => {
          expect((await other.publish(body.access_token, activity({ actor: fay.id }))).statusCode).toBe(401);
        },
        { timeout: 5_000, interval: 20 },
      );
      const asApp = await other.publish(w.appToken, activity({ actor: fay.id }));
      expect(asApp.statusCode).toBe(403);
    } finally {
      await other.close();
    }
  });
});
