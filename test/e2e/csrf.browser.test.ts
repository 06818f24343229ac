import { createServer, type Server } from 'node:http';
import pg from 'pg';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasChromium, launchBrowser, warnIfNoChromium } from '../support/browser.ts';
import { startTestServer, type TestServer } from '../support/server.ts';
import { signUpInPage } from '../support/signup.ts';

warnIfNoChromium('csrf.browser.test');

// Issue 15, defect 7: a page on another port of the same host (same site, so the SameSite=Lax session cookie
// is sent) posted a form to /api/v1 and created a course as the signed-in victim.
describe.runIf(hasChromium)('the JSON API against a second origin in Chromium', () => {
  let server: TestServer;
  let browser: Browser;
  let attacker: Server;
  let attackerUrl = '';

  async function courseTitles(): Promise<string[]> {
    const client = new pg.Client({ connectionString: server.database.url });
    await client.connect();
    try {
      return (await client.query<{ title: string }>('select title from courses order by title')).rows.map(
        (r) => r.title,
      );
    } finally {
      await client.end();
    }
  }

  beforeAll(async () => {
    server = await startTestServer();
    browser = await launchBrowser();
    const hub = server.url;
    // The attacker's page: a form that posts urlencoded fields, and a no-cors fetch with a JSON-looking body.
    attacker = createServer((_req, res) => {
      res.setHeader('content-type', 'text/html; charset=utf-8');
      res.end(`<!doctype html><title>Win a prize</title>
        <form id="f" method="post" action="${hub}/api/v1/courses">
          <input name="title" value="Form CSRF course"><button>Claim</button>
        </form>
        <script>
          window.sneak = () => fetch('${hub}/api/v1/courses', {
            method: 'POST', mode: 'no-cors', credentials: 'include',
            headers: { 'content-type': 'text/plain' }, body: JSON.stringify({ title: 'Fetch CSRF course' }),
          }).then(() => 'sent', (e) => String(e));
        </script>`);
    });
    await new Promise<void>((resolve) => attacker.listen(0, '127.0.0.1', resolve));
    const address = attacker.address();
    attackerUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/`;
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => attacker?.close(resolve));
    await server?.close();
  });

  it('refuses a signed-in victim’s cross-origin form and fetch, and still serves the hub’s own pages', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await signUpInPage(page, server, {
      name: 'Vic Victim',
      username: 'vic',
      email: 'vic@example.org',
      password: 'a sturdy pass phrase',
    });
    await page.waitForURL(`${server.url}/account`);

    await page.goto(attackerUrl);
    const [response] = await Promise.all([
      page.waitForResponse((r) => r.url() === `${server.url}/api/v1/courses`),
      page.getByRole('button', { name: 'Claim' }).click(),
    ]);
    expect(response.status()).toBe(403);
    expect(await response.json()).toMatchObject({ code: 'auth.cross_origin' });

    await page.goto(attackerUrl);
    // The request goes out; its opaque answer is then blocked by Cross-Origin-Resource-Policy, so the promise
    // may reject. Either way, nothing may be stored.
    await page.evaluate('window.sneak()');
    expect(await courseTitles()).toEqual([]);

    // The same session from the hub's own origin, sending JSON, is still accepted.
    await page.goto(`${server.url}/account`);
    const status = await page.evaluate(async () => {
      const res = await fetch('/api/v1/courses', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ title: 'My own course' }),
      });
      return res.status;
    });
    expect(status).toBe(201);
    expect(await courseTitles()).toEqual(['My own course']);
    await context.close();
  }, 120_000);
});
