import { createServer, type Server } from 'node:http';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasChromium, launchBrowser, screenshotPath, warnIfNoChromium } from '../support/browser.ts';
import { runCli } from '../support/cli.ts';
import { pkcePair } from '../support/oidc.ts';
import { startTestServer, type TestServer } from '../support/server.ts';

warnIfNoChromium('consent.browser.test');

describe.runIf(hasChromium)('a person connecting an app in Chromium', () => {
  let server: TestServer;
  let browser: Browser;
  let callback: string;
  let clientId: string;
  let appServer: Server;

  beforeAll(async () => {
    server = await startTestServer();
    browser = await launchBrowser();
    // The app's side: a page on 127.0.0.1 for the browser to land on with its code.
    appServer = createServer((_req, res) => res.end('signed in to the app'));
    await new Promise<void>((resolve) => appServer.listen(0, '127.0.0.1', resolve));
    const address = appServer.address();
    callback = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/callback`;
    const env = {
      DATABASE_URL: server.database.url,
      SECRET_KEY: 'test-secret-key-test-secret-key-0123456789',
      PUBLIC_URL: server.url,
      LOG_LEVEL: 'warn',
    };
    const user = await runCli(
      [
        'users',
        'create',
        '--email',
        'cleo@example.org',
        '--name',
        'Cleo Chromium',
        '--username',
        'cleo',
        '--password',
        'a sturdy pass phrase',
      ],
      env,
    );
    expect(user.code, user.stderr).toBe(0);
    const created = await runCli(
      ['apps', 'create', '--name', 'Open MOOC', '--redirect-uri', callback, '--json'],
      env,
    );
    expect(created.code, created.stderr).toBe(0);
    clientId = (JSON.parse(created.stdout) as { client_id: string }).client_id;
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await new Promise((resolve) => appServer?.close(resolve));
  });

  it('signs in, allows the app, sees it under connected apps and disconnects it', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const query = new URLSearchParams({
      client_id: clientId,
      redirect_uri: callback,
      response_type: 'code',
      scope: 'openid profile notifications activities:publish',
      state: 'browser-state',
      code_challenge: pkcePair().challenge,
      code_challenge_method: 'S256',
    });

    await page.goto(`${server.url}/oidc/auth?${query.toString()}`);
    expect(new URL(page.url()).pathname).toBe('/login');
    // The sign-in page says which app asks and where the person goes back to.
    const banner = (await page.getByRole('note', { name: 'The app asking' }).textContent()) ?? '';
    expect(banner).toContain('Open MOOC asks you to sign in');
    expect(banner).toContain(`you will return to ${new URL(callback).host}`);
    await page.getByLabel('Email', { exact: true }).fill('cleo@example.org');
    await page.getByLabel('Password', { exact: true }).fill('a sturdy pass phrase');
    await page.getByRole('button', { name: 'Sign in' }).click();

    await page.getByRole('heading', { name: /Open MOOC wants to connect/ }).waitFor();
    const consent = (await page.textContent('main')) ?? '';
    expect(consent).toContain('send you notifications');
    expect(consent).toContain('publish activities to your activity feed');
    await page.screenshot({ path: screenshotPath('consent'), fullPage: true });

    await Promise.all([
      page.waitForURL(`${callback}**`),
      page.getByRole('button', { name: 'Allow' }).click(),
    ]);
    const back = new URL(page.url());
    expect(back.searchParams.get('code')).toBeTruthy();
    expect(back.searchParams.get('state')).toBe('browser-state');

    // Asked again with prompt=consent and everything granted: the page lists all of it, marked, never nothing.
    query.set('prompt', 'consent');
    await page.goto(`${server.url}/oidc/auth?${query.toString()}`);
    await page.getByRole('heading', { name: /Open MOOC asks you to confirm/ }).waitFor();
    const again = page.locator('ul.scopes li');
    expect(await again.count()).toBe(4);
    expect(await page.locator('ul.scopes li[data-granted="true"]').count()).toBe(4);
    expect(await page.textContent('main')).toContain('(already allowed)');
    await page.screenshot({ path: screenshotPath('consent-again'), fullPage: true });
    await Promise.all([
      page.waitForURL(`${callback}**`),
      page.getByRole('button', { name: 'Allow' }).click(),
    ]);

    await page.goto(`${server.url}/account/connections`);
    expect(await page.textContent('main')).toContain('Open MOOC');
    await page.screenshot({ path: screenshotPath('connections'), fullPage: true });
    await page.getByRole('button', { name: 'Disconnect Open MOOC' }).click();
    // It asks first, saying what happens.
    await page.getByRole('heading', { name: 'Disconnect Open MOOC?' }).waitFor();
    await page.getByRole('button', { name: 'Disconnect Open MOOC' }).click();
    await page.waitForURL(`${server.url}/account/connections?revoked=1`);
    expect(await page.textContent('main')).toContain('No apps are connected');
    await context.close();
  }, 60_000);
});
