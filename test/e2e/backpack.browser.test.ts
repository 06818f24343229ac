import { readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { badgeInput, MASTER, token } from '../../src/dialects/badgekit/badgekit.testing.ts';
import { extractPng } from '../../src/modules/badges/index.ts';
import { hasChromium, launchBrowser, screenshotPath, warnIfNoChromium } from '../support/browser.ts';
import { runCli } from '../support/cli.ts';
import { startTestServer, type TestServer } from '../support/server.ts';

warnIfNoChromium('backpack.browser.test');

describe.runIf(hasChromium)('a learner using the backpack page in Chromium', () => {
  let server: TestServer;
  let browser: Browser;

  /** A BadgeKit site's call over real HTTP, signed with the master secret. */
  async function badgekit(method: string, url: string, payload: unknown) {
    const body = JSON.stringify(payload);
    const jwt = await token(method, url, body);
    const r = await fetch(`${server.url}/badgekit${url}`, {
      method,
      headers: { authorization: `JWT token="${jwt}"`, 'content-type': 'application/json' },
      body,
    });
    expect(r.status, await r.clone().text()).toBe(201);
    return r.json() as Promise<Record<string, unknown>>;
  }

  beforeAll(async () => {
    server = await startTestServer({ BADGEKIT_MASTER_SECRET: MASTER });
    browser = await launchBrowser();
    const env = {
      DATABASE_URL: server.database.url,
      SECRET_KEY: 'test-secret-key-test-secret-key-0123456789',
      PUBLIC_URL: server.url,
      LOG_LEVEL: 'warn',
    };
    const user = await runCli(
      ['users', 'create', '--email', 'dana@example.org', '--name', 'Dana Badge', '--username', 'dana'].concat(
        ['--password', 'a sturdy pass phrase'],
      ),
      env,
    );
    expect(user.code, user.stderr).toBe(0);
    await badgekit('POST', '/systems', { slug: 'p2pu', name: 'P2PU', url: 'https://p2pu.example.org' });
    await badgekit('POST', '/systems/p2pu/badges', badgeInput({ slug: 'took-part', name: 'Took Part' }));
    await badgekit('POST', '/systems/p2pu/badges/took-part/instances', { email: 'dana@example.org' });
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('signs in, downloads a baked badge, imports it back, and sees a bad file refused', async () => {
    const context = await browser.newContext({ acceptDownloads: true });
    const page = await context.newPage();
    await page.goto(`${server.url}/account/badges`);
    expect(new URL(page.url()).pathname).toBe('/login');
    await page.getByLabel('Email', { exact: true }).fill('dana@example.org');
    await page.getByLabel('Password', { exact: true }).fill('a sturdy pass phrase');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Your badges' }).waitFor();
    const awarded = page.getByRole('list', { name: 'Awarded on Learnhub' });
    expect(await awarded.textContent()).toContain('Took Part');

    // The baked PNG downloads with the assertion inside, as any backpack would read it.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      awarded.getByRole('link', { name: 'baked PNG' }).click(),
    ]);
    const baked = readFileSync((await download.path()) ?? '');
    const embedded = extractPng(baked, 'openbadges') ?? '';
    expect(embedded).toContain(`${server.url}/ob/v2/assertions/`);

    // Import it back through the form (file upload), and see it verified.
    const file = path.join(tmpdir(), `backpack-${Date.now()}.png`);
    writeFileSync(file, baked);
    await page.getByLabel('Baked badge image').setInputFiles(file);
    await page.getByRole('button', { name: 'Import and verify' }).click();
    await page.getByText('The badge verified and is now in your backpack.').waitFor();
    const imported = page.getByRole('list', { name: 'Imported badges' });
    expect(await imported.textContent()).toMatch(/Took Part[\s\S]*Verified .* Open Badges 2\.0 assertion/);
    await page.screenshot({ path: screenshotPath('backpack'), fullPage: true });

    // A file that is not an image is refused with the reason, next to the form.
    const text = path.join(tmpdir(), `not-a-badge-${Date.now()}.png`);
    writeFileSync(text, 'this is not a badge');
    await page.getByLabel('Baked badge image').setInputFiles(text);
    await page.getByRole('button', { name: 'Import and verify' }).click();
    expect(await page.getByRole('alert').textContent()).toContain('The image is not a PNG or SVG.');
    await page.screenshot({ path: screenshotPath('backpack-refused'), fullPage: true });

    // The verify link opens the hosted assertion's page for people.
    await awarded.getByRole('link', { name: 'Verify' }).click();
    await page.waitForURL(`${server.url}/ob/v2/assertions/**`);
    expect(await page.textContent('main')).toContain('Valid');
    await context.close();
  }, 90_000);
});
