import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasChromium, launchBrowser, screenshotPath, warnIfNoChromium } from '../support/browser.ts';
import { startTestServer, type TestServer } from '../support/server.ts';
import { confirmSignupInPage } from '../support/signup.ts';

warnIfNoChromium('signup.browser.test');

describe.runIf(hasChromium)('a person in Chromium', () => {
  let server: TestServer;
  let browser: Browser;
  beforeAll(async () => {
    server = await startTestServer();
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('signs up, sees every mistake at once, confirms from the mailed link, signs in, sees the account and signs out', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const password = 'a sturdy pass phrase';

    await page.goto(`${server.url}/signup`);
    await page.screenshot({ path: screenshotPath('signup'), fullPage: true });
    await page.getByLabel('Username', { exact: true }).fill('b e a');
    await page.getByLabel('Email', { exact: true }).fill('bea@');
    await page.getByLabel('Password', { exact: true }).fill('short');
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.getByText('4 fields need your attention').waitFor();
    expect(await page.locator('.field-error').count()).toBe(4);
    expect(await page.getByLabel('Username', { exact: true }).inputValue()).toBe('b e a');
    expect(await page.getByLabel('Password', { exact: true }).inputValue()).toBe('');

    await page.getByLabel('Name', { exact: true }).fill('Bea Browser');
    await page.getByLabel('Username', { exact: true }).fill('bea');
    await page.getByLabel('Email', { exact: true }).fill('bea@example.org');
    await page.getByLabel('Password', { exact: true }).fill(password);
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.getByRole('heading', { name: 'Check your email' }).waitFor();
    // No session before the address is proven.
    await page.goto(`${server.url}/account`);
    expect(new URL(page.url()).pathname).toBe('/login');

    await confirmSignupInPage(page, server.database.url, 'bea@example.org');
    await page.waitForURL(`${server.url}/account`);
    expect(await page.textContent('main')).toContain('bea@example.org (verified)');
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(`${server.url}/`);

    await page.goto(`${server.url}/login`);
    await page.screenshot({ path: screenshotPath('signin'), fullPage: true });
    await page.getByLabel('Email', { exact: true }).fill('bea@example.org');
    await page.getByLabel('Password', { exact: true }).fill('a wrong pass phrase');
    await page.getByRole('button', { name: 'Sign in' }).click();
    expect(await page.getByRole('alert').textContent()).toContain('The email or password is not right.');
    await page.getByLabel('Password', { exact: true }).fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`${server.url}/`);

    await page.getByRole('link', { name: 'Your account' }).click();
    await page.waitForURL(`${server.url}/account`);
    await page.screenshot({ path: screenshotPath('account'), fullPage: true });
    const account = (await page.textContent('main')) ?? '';
    expect(account).toContain('bea@example.org (verified)');
    expect(account).toContain(`${server.url}/u/bea`);

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(`${server.url}/`);
    await page.goto(`${server.url}/account`);
    expect(new URL(page.url()).pathname).toBe('/login');
    await context.close();
  }, 120_000);
});
