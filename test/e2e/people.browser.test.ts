import { createServer, type Server } from 'node:http';
import { createRequire } from 'node:module';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasChromium, launchBrowser, screenshotPath, warnIfNoChromium } from '../support/browser.ts';
import { runCli } from '../support/cli.ts';
import { pkcePair } from '../support/oidc.ts';
import { startTestServer, type TestServer } from '../support/server.ts';
import { confirmSignupInPage } from '../support/signup.ts';

warnIfNoChromium('people.browser.test');

const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

interface AxeResult {
  violations: { id: string; impact: string | null; help: string; nodes: { target: unknown[] }[] }[];
}

/** axe-core's serious and critical violations on the page as it is now (the context bypasses the CSP). */
async function axeProblems(page: Page): Promise<string[]> {
  await page.addScriptTag({ path: AXE });
  const result = (await page.evaluate('axe.run(document, { resultTypes: ["violations"] })')) as AxeResult;
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} at ${JSON.stringify(v.nodes.map((n) => n.target))}`);
}

/** Screenshot at the current width, axe check, and (at phone width) no horizontal scrolling. */
async function look(page: Page, name: string): Promise<void> {
  const width = page.viewportSize()?.width ?? 0;
  await page.screenshot({ path: screenshotPath(`people-${name}-${width}`), fullPage: true });
  expect(await axeProblems(page), `${name} at ${width}px`).toEqual([]);
  const scrollWidth = await page.evaluate('document.documentElement.scrollWidth');
  expect(scrollWidth, `${name} scrolls sideways at ${width}px`).toBeLessThanOrEqual(width);
}

// Issue 19: a new learner signs up (with mistakes), confirms by mail, signs in from an app, consents, and
// finds their activity on their profile as sentences; every page checked with axe-core at 1280 and 390 px.
describe.runIf(hasChromium)('a learner from sign-up to their profile in Chromium', () => {
  let server: TestServer;
  let browser: Browser;
  let appServer: Server;
  let callback: string;
  let client: { client_id: string; client_secret: string };

  beforeAll(async () => {
    server = await startTestServer();
    browser = await launchBrowser();
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
    const created = await runCli(
      ['apps', 'create', '--name', 'Open MOOC', '--redirect-uri', callback, '--json'],
      env,
    );
    expect(created.code, created.stderr).toBe(0);
    client = JSON.parse(created.stdout) as { client_id: string; client_secret: string };
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await new Promise((resolve) => appServer?.close(resolve));
  });

  it('signs up, confirms, signs in from an app, consents and reads its activity as sentences', async () => {
    const context = await browser.newContext({ bypassCSP: true, viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const password = 'a sturdy pass phrase';

    // Four mistakes, four messages, one round trip.
    await page.goto(`${server.url}/signup`);
    await look(page, 'signup');
    await page.getByLabel('Username', { exact: true }).fill('a d a');
    await page.getByLabel('Email', { exact: true }).fill('ada@');
    await page.getByLabel('Password', { exact: true }).fill('short');
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.getByText('4 fields need your attention').waitFor();
    expect(await page.locator('[aria-invalid="true"]').count()).toBe(4);
    await look(page, 'signup-errors');

    await page.getByLabel('Name', { exact: true }).fill('Ada Lovelace');
    await page.getByLabel('Username', { exact: true }).fill('ada');
    await page.getByLabel('Email', { exact: true }).fill('ada@example.org');
    await page.getByLabel('Password', { exact: true }).fill(password);
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.getByRole('heading', { name: 'Check your email' }).waitFor();
    await look(page, 'signup-sent');
    await confirmSignupInPage(page, server.database.url, 'ada@example.org');
    await page.waitForURL(`${server.url}/account`);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(`${server.url}/`);

    // Sign-in from an app says who asks and where the person returns.
    const { verifier, challenge } = pkcePair();
    const query = new URLSearchParams({
      client_id: client.client_id,
      redirect_uri: callback,
      response_type: 'code',
      scope: 'openid profile activities:publish',
      state: 'walk',
      code_challenge: challenge,
      code_challenge_method: 'S256',
    });
    await page.goto(`${server.url}/oidc/auth?${query.toString()}`);
    expect(await page.textContent('main')).toContain('Open MOOC asks you to sign in');
    await look(page, 'signin-from-app');
    await page.getByLabel('Email', { exact: true }).fill('ada@example.org');
    await page.getByLabel('Password', { exact: true }).fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: /Open MOOC wants to connect/ }).waitFor();
    expect(await page.textContent('main')).toContain(`you will return to ${new URL(callback).host}`);
    await look(page, 'consent');
    await Promise.all([
      page.waitForURL(`${callback}**`),
      page.getByRole('button', { name: 'Allow' }).click(),
    ]);
    const code = new URL(page.url()).searchParams.get('code') ?? '';

    // The app publishes for Ada with her token: one comment today, one join yesterday.
    const token = await fetch(`${server.url}/oidc/token`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`${client.client_id}:${client.client_secret}`).toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        code,
        redirect_uri: callback,
        code_verifier: verifier,
      }).toString(),
    });
    expect(token.status).toBe(200);
    const accessToken = ((await token.json()) as { access_token: string }).access_token;
    const profile = `${server.url}/u/ada`;
    const publish = (body: Record<string, string>) =>
      fetch(`${server.url}/api/v1/activities`, {
        method: 'POST',
        headers: { authorization: `Bearer ${accessToken}`, 'content-type': 'application/json' },
        body: JSON.stringify({ actor: profile, ...body }),
      });
    const yesterday = new Date(Date.now() - 86_400_000).toISOString();
    expect(
      (
        await publish({
          verb: 'join',
          object: 'https://mooc.example/sogta',
          course: 'https://mooc.example/sogta',
          published: yesterday,
        })
      ).status,
    ).toBe(201);
    expect(
      (
        await publish({
          verb: 'post',
          object: 'https://mooc.example/sogta/comments/42',
          course: 'https://mooc.example/sogta',
          message: 'Ada posted a comment about <b>street art</b>',
        })
      ).status,
    ).toBe(201);

    await page.goto(profile);
    const main = (await page.textContent('main')) ?? '';
    expect(main).toContain('Ada Lovelace posted mooc.example/sogta/comments/42 in mooc.example/sogta');
    expect(main).toContain('Ada Lovelace joined mooc.example/sogta');
    expect(main).toContain('Today');
    expect(main).toContain('Yesterday');
    expect(main).toContain('“Ada posted a comment about <b>street art</b>”');
    expect(await page.locator('time[datetime][title]').count()).toBeGreaterThanOrEqual(2);
    await look(page, 'profile');

    // The same pages at phone width.
    await page.setViewportSize({ width: 390, height: 844 });
    await look(page, 'profile');
    await page.goto(`${server.url}/account/connections`);
    await look(page, 'connections');
    await page.getByRole('button', { name: 'Disconnect Open MOOC' }).click();
    await page.getByRole('heading', { name: 'Disconnect Open MOOC?' }).waitFor();
    await look(page, 'disconnect-confirm');

    const phone = await browser.newContext({ bypassCSP: true, viewport: { width: 390, height: 844 } });
    const small = await phone.newPage();
    await small.goto(`${server.url}/signup`);
    await small.getByRole('button', { name: 'Create account' }).click();
    await small.getByText('4 fields need your attention').waitFor();
    await look(small, 'signup-errors');
    query.set('state', 'phone');
    query.set('prompt', 'consent');
    await small.goto(`${server.url}/oidc/auth?${query.toString()}`);
    await look(small, 'signin-from-app');
    await small.getByLabel('Email', { exact: true }).fill('ada@example.org');
    await small.getByLabel('Password', { exact: true }).fill(password);
    await small.getByRole('button', { name: 'Sign in' }).click();
    await small.getByRole('heading', { name: /Open MOOC asks you to confirm/ }).waitFor();
    await look(small, 'consent-again');
    await phone.close();
    await context.close();
  }, 180_000);
});
