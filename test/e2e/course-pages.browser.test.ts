import { createRequire } from 'node:module';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Deps } from '../../src/deps.ts';
import { createClass, createCourse, joinCourse } from '../../src/modules/courses/index.ts';
import { createUser, type User } from '../../src/modules/identity/index.ts';
import { hasChromium, launchBrowser, screenshotPath, warnIfNoChromium } from '../support/browser.ts';
import { depsForDatabase } from '../support/deps.ts';
import { startTestServer, type TestServer } from '../support/server.ts';

warnIfNoChromium('course-pages.browser.test');

const PASSWORD = 'a sturdy pass phrase';
const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1280, height: 800 };

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: unknown[] }[];
}

/** axe-core in the page (the contexts bypass CSP to inject it); serious and critical violations fail the walk. */
async function assertAccessible(page: Page, name: string): Promise<void> {
  await page.addScriptTag({ path: AXE });
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: () => Promise<{ violations: AxeViolation[] }> } }).axe;
    return (await axe.run()).violations;
  });
  const bad = violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} at ${JSON.stringify(v.nodes.map((n) => n.target))}`);
  expect(bad, `${name}: axe`).toEqual([]);
}

/** A screenshot at desktop and phone width, axe at both, no sideways scrolling on the phone. */
async function look(page: Page, name: string): Promise<void> {
  for (const [label, size] of [
    ['1280', DESKTOP],
    ['390', PHONE],
  ] as const) {
    await page.setViewportSize(size);
    await page.screenshot({ path: screenshotPath(`course-pages-${name}-${label}`), fullPage: true });
    await assertAccessible(page, `${name} at ${label}`);
    if (label === '390') {
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow, `${name}: horizontal scroll at 390 px`).toBeLessThanOrEqual(0);
    }
  }
}

describe.runIf(hasChromium)('course pages and the organiser announcement in Chromium', () => {
  let server: TestServer;
  let browser: Browser;
  let deps: Deps;
  let closeDeps: () => Promise<void>;
  let organiser: User;

  const person = (username: string) =>
    createUser(deps, {
      username,
      name: `${username[0]?.toUpperCase()}${username.slice(1)} Example`,
      email: `${username}@example.org`,
      password: PASSWORD,
      emailVerified: true,
    });

  beforeAll(async () => {
    server = await startTestServer();
    browser = await launchBrowser();
    ({ deps, close: closeDeps } = depsForDatabase(
      server.database.url,
      'test-secret-key-test-secret-key-0123456789',
    ));
    organiser = await person('olga');
    const owner = { kind: 'user', userId: organiser.id, admin: false } as const;
    const sogta = await createCourse(deps, owner, {
      title: 'The study of geographic and temporal art as encountered in urban environments',
      shortcode: 'SOGTA',
      description:
        'Walk the city **weekly** and look at it as a gallery.\n\n## What you do\n\n- map murals\n- photograph *time* in streets\n\nSee [the reading list](https://example.org/reading).',
      tags: ['art', 'geo-art', 'cities'],
      courseStyle: 'MOOC',
      language: 'en',
      startsAt: new Date('2027-03-01T00:00:00Z'),
      endsAt: new Date('2027-05-31T00:00:00Z'),
    });
    // A member of its own, so the organiser's walk has someone to mail whichever walk runs first.
    const mia = await person('mia');
    await joinCourse(deps, { kind: 'user', userId: mia.id, admin: false }, sogta, {});
    await createClass(deps, owner, sogta, {
      title: 'Spring cohort',
      type: 'requires-activation-code',
      activationCode: 'SOGTA-2027',
      startDate: '2027-03-01',
    });
    const fillers: [string, string[], string, string][] = [
      ['Sketching the street', ['art', 'drawing'], 'workshop', 'en'],
      ['Geography of rivers', ['geography'], 'self-paced', 'en'],
      ['Histoire de l’art urbain', ['art', 'cities'], 'MOOC', 'fr'],
      ['Mapping with open data', ['geography', 'data'], 'self-paced', 'en'],
      ['Photography walks', ['photography', 'cities'], 'workshop', 'en'],
      ['Street art in Berlin', ['art', 'geo-art'], 'MOOC', 'de'],
      ['Temporal logic', ['logic'], 'self-paced', 'en'],
    ];
    for (const [title, tags, courseStyle, language] of fillers)
      await createCourse(deps, owner, { title, tags, courseStyle, language, description: `About ${title}.` });
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await closeDeps?.();
    await server?.close();
  });

  it('walks a learner from the register to a course and a class sign-up with a wrong, then the right code', async () => {
    await person('lena');
    const context = await browser.newContext({ viewport: PHONE, bypassCSP: true });
    const page = await context.newPage();
    await page.goto(`${server.url}/courses`);
    // On a phone the filters fold away, so the first result is on the first screen.
    const first = page.locator('.course-list li').first();
    const box = await first.boundingBox();
    expect(box && box.y + 40 < PHONE.height).toBe(true);
    expect(await page.locator('.result-count').textContent()).toBe('8 courses');
    await look(page, 'register');

    await page.getByLabel('Search the course register').fill('geographic art');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.waitForURL(/\/courses\?q=geographic/);
    expect(await page.getByLabel('Search the course register').inputValue()).toBe('geographic art');
    await look(page, 'search');
    await page.locator('.course-list li h2 a').first().click();
    await page.waitForURL(`${server.url}/courses/SOGTA`);
    expect(await page.locator('.course-description strong').first().textContent()).toBe('weekly');
    expect(await page.textContent('.course-facts')).toContain('1 March 2027');
    expect(await page.locator('.related li').count()).toBeGreaterThan(0);
    await look(page, 'course');

    await page.getByRole('link', { name: 'Sign in to sign up' }).click();
    await page.getByLabel('Email', { exact: true }).fill('lena@example.org');
    await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`${server.url}/courses/SOGTA`);

    await page.getByLabel('Activation code', { exact: true }).fill('WRONG-CODE');
    const [wrong] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith('/courses/SOGTA/join')),
      page.getByRole('button', { name: 'Sign up' }).click(),
    ]);
    expect(wrong.status()).toBe(403);
    expect(await page.locator('#activation_code-error').textContent()).toContain('not right');
    expect(await page.getByLabel('Activation code', { exact: true }).inputValue()).toBe('WRONG-CODE');
    expect(await page.locator('h1').textContent()).toContain('geographic and temporal art');
    await look(page, 'signup-wrong-code');

    await page.getByLabel('Activation code', { exact: true }).fill('SOGTA-2027');
    await page.getByRole('button', { name: 'Sign up' }).click();
    await page.waitForURL(`${server.url}/courses/SOGTA?joined=1`);
    expect(await page.textContent('main')).toContain('You are enrolled in this course.');
    await look(page, 'signup-done');
    await context.close();
  }, 180_000);

  it('walks the organiser from the course to an announcement: preview, send, progress', async () => {
    const context = await browser.newContext({ viewport: DESKTOP, bypassCSP: true });
    const page = await context.newPage();
    await page.goto(`${server.url}/login?return_to=%2Fcourses%2FSOGTA`);
    await page.getByLabel('Email', { exact: true }).fill('olga@example.org');
    await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`${server.url}/courses/SOGTA`);
    await page.getByRole('link', { name: 'Write an announcement' }).click();
    await page.waitForURL(`${server.url}/courses/SOGTA/announcements/new`);
    await look(page, 'announce-form');

    await page.getByLabel('Subject').fill('Week 1: the murals');
    await page
      .getByLabel('Message')
      .fill('Meet at the **fountain** at noon.\n\n- bring a camera\n- bring water');
    await page.getByRole('button', { name: 'Preview' }).click();
    expect(await page.locator('.preview strong').textContent()).toBe('fountain');
    expect(await page.locator('.preview .subject').textContent()).toContain('Week 1: the murals');
    expect(await page.getByLabel('Subject').inputValue()).toBe('Week 1: the murals');
    await look(page, 'announce-preview');

    await page.getByRole('button', { name: 'Send' }).click();
    await page.waitForURL(/\/courses\/SOGTA\/announcements\/[0-9a-f-]{36}\?sent=1$/);
    await look(page, 'announce-progress');
    // The worker sends in the background; the page's own Refresh link shows where it got to.
    const progress = page.url().replace('?sent=1', '');
    for (let i = 0; i < 60; i++) {
      await page.goto(progress);
      if ((await page.textContent('[role="status"]'))?.startsWith('Finished')) break;
      await page.waitForTimeout(500);
    }
    expect(await page.textContent('[role="status"]')).toMatch(/^Finished/);
    const recipients = Number((await page.textContent('.stats li:first-child strong')) ?? '0');
    expect(recipients).toBeGreaterThanOrEqual(1);
    expect(Number(await page.textContent('.stats li:nth-child(3) strong'))).toBe(recipients);
    await look(page, 'announce-done');
    await context.close();
  }, 180_000);
});
