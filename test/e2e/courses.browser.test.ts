import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasChromium, launchBrowser, screenshotPath, warnIfNoChromium } from '../support/browser.ts';
import { runCli } from '../support/cli.ts';
import { startTestServer, type TestServer } from '../support/server.ts';
import { signUpInPage } from '../support/signup.ts';

warnIfNoChromium('courses.browser.test');

describe.runIf(hasChromium)('the course register in Chromium', () => {
  let server: TestServer;
  let browser: Browser;
  let auth: string;

  async function provision(path: string, form: Record<string, string>) {
    const res = await fetch(`${server.url}/openlearning/api/${path}`, {
      method: 'POST',
      headers: { authorization: auth, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(form).toString(),
    });
    expect(res.status).toBe(200);
  }

  beforeAll(async () => {
    server = await startTestServer();
    browser = await launchBrowser();
    const created = await runCli(['institutions', 'create', '--path', 'uni', '--name', 'Uni', '--json'], {
      DATABASE_URL: server.database.url,
      SECRET_KEY: 'test-secret-key-test-secret-key-0123456789',
      LOG_LEVEL: 'warn',
    });
    const creds = JSON.parse(created.stdout) as { api_username: string; api_password: string };
    auth = `Basic ${Buffer.from(`${creds.api_username}:${creds.api_password}`).toString('base64')}`;
    await provision('provision/course/sogta', {
      title: 'The study of geographic and temporal art as encountered in urban environments',
      category: 'Art',
    });
    await provision('provision/class/sogta', { title: 'Spring Cohort', type: 'open' });
    await provision('provision/course/rivers', { title: 'Geography of rivers', category: 'Science' });
    await provision('provision/course/drawing', { title: 'How to Draw Horses', category: 'Art' });
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('finds SOGTA by "geographic art", opens it, signs up and is enrolled', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await signUpInPage(page, server, {
      name: 'Cora Course',
      username: 'cora',
      email: 'cora@example.org',
      password: 'a sturdy pass phrase',
    });
    await page.waitForURL(`${server.url}/account`);

    await page.goto(`${server.url}/courses`);
    await page.getByLabel('Search the course register').fill('geographic art');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.waitForURL(/\/courses\?q=geographic/);
    await page.screenshot({ path: screenshotPath('courses-search'), fullPage: true });
    const first = page.locator('.course-list li h2 a').first();
    expect(await first.textContent()).toContain('geographic and temporal art');
    await first.click();
    await page.waitForURL(`${server.url}/courses/sogta`);
    expect(await page.textContent('main')).toContain('Spring Cohort');
    await page.screenshot({ path: screenshotPath('course-page'), fullPage: true });
    await page.getByRole('button', { name: 'Sign up' }).click();
    await page.waitForURL(`${server.url}/courses/sogta?joined=1`);
    expect(await page.textContent('main')).toContain('You are enrolled in this course.');
    await page.screenshot({ path: screenshotPath('course-enrolled'), fullPage: true });
    await context.close();
  });

  it('lists results for a query, shows a sign-in link to people who are not signed in, and 404s an unknown course', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${server.url}/courses?q=geography`);
    expect(await page.locator('.course-list li').count()).toBeGreaterThan(0);
    await page.goto(`${server.url}/courses/drawing`);
    const signIn = page.getByRole('link', { name: 'Sign in to sign up' });
    expect(await signIn.getAttribute('href')).toBe('/login?return_to=%2Fcourses%2Fdrawing');
    const missing = await page.goto(`${server.url}/courses/no-such-course`);
    expect(missing?.status()).toBe(404);
    await context.close();
  });
});
