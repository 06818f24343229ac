import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Deps } from '../../src/deps.ts';
import { createBadge, createContainer, createInstance } from '../../src/modules/badges/index.ts';
import { createClass, createCourse } from '../../src/modules/courses/index.ts';
import { createUser, getUserByUsername } from '../../src/modules/identity/index.ts';
import { sendMessage } from '../../src/modules/messaging/index.ts';
import {
  describeAxe,
  hasChromium,
  launchBrowser,
  SCREENSHOTS,
  seriousAxeViolations,
  warnIfNoChromium,
} from '../support/browser.ts';
import { depsForDatabase } from '../support/deps.ts';
import { startTestServer, type TestServer } from '../support/server.ts';
import { confirmSignupInPage } from '../support/signup.ts';

warnIfNoChromium('walk.browser.test');

const SECRET = 'test-secret-key-test-secret-key-0123456789';
const PASSWORD = 'a sturdy pass phrase';
const WALK = path.join(SCREENSHOTS, 'walk');
const OPERATOR = { kind: 'operator', tokenId: 'walk-test', admin: true } as const;
const MASTER = { kind: 'badgekit_consumer', systemId: null } as const;
const PNG_1PX =
  'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=';

/**
 * A new learner walks the hub in Chromium from the landing page to a course, signs up, joins, reads the
 * inbox and shows a badge and activity on their profile; an organiser writes the announcement. Every page
 * passes axe-core (no serious or critical violations) and is photographed at 1280 and 390 px into
 * test/screenshots/walk/, where at 390 px nothing scrolls sideways.
 */
describe.runIf(hasChromium)('a learner and an organiser walk the hub', () => {
  let server: TestServer;
  let browser: Browser;
  let deps: Deps;
  let closeDeps: () => Promise<void>;
  let shot = 0;

  /** Checks the page (axe, no sideways scroll on a phone) and photographs it at both widths. */
  async function look(page: Page, name: string): Promise<void> {
    await page.waitForLoadState('load');
    const problems = await seriousAxeViolations(page);
    expect(problems, `${name} (${page.url()}):\n${describeAxe(problems)}`).toEqual([]);
    shot += 1;
    const base = path.join(WALK, `${String(shot).padStart(2, '0')}-${name}`);
    await page.screenshot({ path: `${base}-1280.png`, fullPage: true });
    await page.setViewportSize({ width: 390, height: 844 });
    const overflow = await page.evaluate(() => {
      const root = document.scrollingElement ?? document.documentElement;
      return { scroll: root.scrollWidth, inner: window.innerWidth };
    });
    expect(overflow.scroll, `${name} scrolls sideways at 390 px`).toBeLessThanOrEqual(overflow.inner);
    await page.screenshot({ path: `${base}-390.png`, fullPage: true });
    await page.setViewportSize({ width: 1280, height: 800 });
  }

  beforeAll(async () => {
    mkdirSync(WALK, { recursive: true });
    server = await startTestServer();
    browser = await launchBrowser();
    ({ deps, close: closeDeps } = depsForDatabase(server.database.url, SECRET, 3));
    // (Awarding reads the earner outside its transaction: more than one connection.)
    // The organiser and her course, with an open class; a badge system to award the participation badge.
    const olga = await createUser(deps, {
      username: 'olga',
      name: 'Olga Organiser',
      email: 'olga@example.org',
      password: PASSWORD,
      emailVerified: true,
    });
    const course = await createCourse(
      deps,
      { kind: 'user', userId: olga.id, admin: false },
      {
        path: 'sogta',
        shortcode: 'SOGTA',
        title: 'The study of geographic and temporal art',
        description: 'Walk the city **weekly** and look at art in its place and time.',
        tags: ['art', 'geography'],
        language: 'en',
      },
    );
    await createClass(deps, { kind: 'user', userId: olga.id, admin: false }, course, {
      title: 'Spring cohort',
      type: 'open',
    });
    await createContainer(deps, MASTER, undefined, {
      slug: 'p2pu',
      name: 'P2PU',
      url: 'https://p2pu.example.org',
    });
    await createBadge(
      { ...deps, badgekitWebhookBody: (e: { action: string }) => ({ action: e.action }) } as never,
      MASTER,
      { system: 'p2pu' },
      {
        slug: 'sogta-participant',
        name: 'SOGTA participant',
        earnerDescription: 'You took part in SOGTA',
        consumerDescription: 'Took part in SOGTA',
        criteriaUrl: 'https://p2pu.example.org/criteria',
        unique: 0,
        type: 'participation',
        image: PNG_1PX,
      },
    );
  }, 180_000);

  afterAll(async () => {
    await closeDeps?.();
    await browser?.close();
    await server?.close();
  });

  it('walks a learner from the landing page to a course, sign-up, joining, the inbox and the profile', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();

    await page.goto(`${server.url}/`);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toContain('Learn together');
    await look(page, 'landing');

    await page.getByRole('searchbox', { name: 'Search courses' }).fill('geographic art');
    await page.getByRole('button', { name: 'Search' }).first().click();
    await page.waitForURL(/\/courses\?q=geographic/);
    await look(page, 'search-results');

    await page
      .getByRole('link', { name: /geographic and temporal art/ })
      .first()
      .click();
    await page.waitForURL(/\/courses\/(sogta|SOGTA)/);
    const coursePath = new URL(page.url()).pathname;
    await look(page, 'course');

    await page
      .getByRole('link', { name: /sign in/i })
      .last()
      .click();
    await page.waitForURL(/\/login\?return_to=/);
    await look(page, 'sign-in');
    await page
      .getByRole('main')
      .getByRole('link', { name: /create an account/i })
      .click();
    await page.waitForURL(/\/signup/);
    await look(page, 'sign-up');
    await page.getByLabel('Name', { exact: true }).fill('Lea Learner');
    await page.getByLabel('Username', { exact: true }).fill('lea');
    await page.getByLabel('Email', { exact: true }).fill('lea@example.org');
    await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await page.getByRole('button', { name: 'Create account' }).click();
    // No account exists until the mailed link is used (sign-up says the same for a known address).
    await page.getByRole('heading', { name: /check your email/i }).waitFor();
    await look(page, 'check-email');
    await confirmSignupInPage(page, server.database.url, 'lea@example.org');
    await page.waitForURL(`${server.url}${coursePath}`);

    await page.getByRole('button', { name: /sign up|join/i }).click();
    await page.waitForURL(/joined|enrolled/);
    expect(await page.textContent('main')).toMatch(/enrolled|joined/i);
    await look(page, 'course-joined');

    // The organiser's weekly mail arrives, and the participation badge is awarded.
    const lea = await getUserByUsername(deps, 'lea');
    expect(lea).toBeDefined();
    await sendMessage(deps, OPERATOR, {
      userProfile: 'lea',
      subject: 'SOGTA week 1: meet at the river',
      content: 'Bring a sketchbook. We meet **Saturday** at ten.',
      format: 'markdown',
      replyEnabled: false,
    });
    await createInstance(
      { ...deps, badgekitWebhookBody: (e: { action: string }) => ({ action: e.action }) } as never,
      MASTER,
      { system: 'p2pu' },
      'sogta-participant',
      { email: 'lea@example.org' },
    );

    await page.getByRole('link', { name: 'Learnhub' }).click();
    await page.waitForURL(`${server.url}/`);
    const dashboard = (await page.textContent('main')) ?? '';
    expect(dashboard).toContain('Welcome back, Lea Learner');
    expect(dashboard).toContain('geographic and temporal art');
    expect(dashboard).toContain('SOGTA week 1');
    expect(dashboard).toContain('SOGTA participant');
    await look(page, 'dashboard');

    const inbox = page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: /Inbox/ });
    expect(await inbox.textContent()).toMatch(/1\s*unread/);
    await inbox.click();
    await page.waitForURL(`${server.url}/inbox`);
    await look(page, 'inbox');
    await page.getByRole('link', { name: /SOGTA week 1/ }).click();
    await page.waitForURL(/\/inbox\/[0-9a-f-]+$/);
    expect(await page.textContent('main')).toContain('Bring a sketchbook');
    await look(page, 'message');

    await page.locator('.account-menu summary').click(); // opens the account menu
    await page.getByRole('link', { name: 'Your profile' }).click();
    await page.waitForURL(`${server.url}/u/lea`);
    const profile = (await page.textContent('main')) ?? '';
    expect(profile).toContain('SOGTA participant');
    expect(profile).toMatch(/geographic and temporal art/);
    await look(page, 'profile');

    await page.goto(`${server.url}/account/badges`);
    await look(page, 'badges');
    await page.goto(`${server.url}/account`);
    await look(page, 'account');
    await page.goto(`${server.url}/account/connections`);
    await look(page, 'connections');

    // Errors, for a person: a 404 leads to the parent, a 403 says so and leads home.
    const missing = await page.goto(`${server.url}/courses/no-such-course`);
    expect(missing?.status()).toBe(404);
    expect(await page.getByRole('link', { name: 'Go to the course register' }).getAttribute('href')).toBe(
      '/courses',
    );
    await look(page, 'error-404');
    const forbidden = await page.goto(`${server.url}/admin/mail`);
    expect(forbidden?.status()).toBe(403);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe(
      'You do not have access to this page',
    );
    await look(page, 'error-403');
    await context.close();
  }, 240_000);

  it('answers the same URLs with pages for a browser and problem+json for an API client', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const visitor = await page.goto(`${server.url}/admin/mail`);
    // 401 for a visitor's browser is the sign-in page, coming back afterwards.
    expect(visitor?.status()).toBe(200);
    expect(page.url()).toBe(`${server.url}/login?return_to=%2Fadmin%2Fmail`);
    const notFound = await page.goto(`${server.url}/nothing/here`);
    expect(notFound?.status()).toBe(404);
    expect(notFound?.headers()['content-type']).toMatch(/^text\/html/);
    await context.close();

    for (const [url, status] of [
      ['/admin/mail', 401],
      ['/nothing/here', 404],
    ] as const) {
      const res = await fetch(`${server.url}${url}`, { headers: { accept: 'application/json' } });
      expect(res.status, url).toBe(status);
      expect(res.headers.get('content-type'), url).toMatch(/^application\/problem\+json/);
    }
  });

  it('works from the keyboard alone: the skip link first, a visible focus ring, a search by Enter', async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
    const page = await context.newPage();
    await page.goto(`${server.url}/`);
    const focused = () =>
      page.evaluate(() => {
        const el = document.activeElement;
        if (!(el instanceof HTMLElement)) return null;
        const box = el.getBoundingClientRect();
        const style = getComputedStyle(el);
        return {
          tag: el.tagName.toLowerCase(),
          text: (el.textContent ?? '').trim(),
          name: el.getAttribute('aria-label') ?? el.getAttribute('name') ?? '',
          onScreen: box.top >= 0 && box.bottom <= window.innerHeight && box.width > 0,
          ring: style.outlineStyle !== 'none' && style.outlineWidth !== '0px',
        };
      });
    // The first Tab lands on the skip link, on screen, with the focus ring.
    await page.keyboard.press('Tab');
    const skip = await focused();
    expect(skip).toMatchObject({ tag: 'a', onScreen: true, ring: true });
    expect(skip?.text).toMatch(/skip/i);
    // Enter moves focus to the main content; the next Tabs reach the course search inside it.
    await page.keyboard.press('Enter');
    expect((await focused())?.tag).toBe('main');
    let field = await focused();
    for (let i = 0; i < 10 && field?.tag !== 'input'; i += 1) {
      await page.keyboard.press('Tab');
      field = await focused();
      expect(field?.ring, `focus ring on ${field?.tag} "${field?.text}"`).toBe(true);
    }
    expect(field?.tag).toBe('input');
    await page.keyboard.type('geographic art');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/courses\?q=geographic/);
    expect(await page.textContent('main')).toContain('geographic and temporal art');
    await context.close();
  }, 60_000);

  it('lets the organiser write the weekly announcement from the course page', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    await page.goto(`${server.url}/login`);
    await page.getByLabel('Email', { exact: true }).fill('olga@example.org');
    await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`${server.url}/`);
    await look(page, 'organiser-dashboard');
    await page
      .getByRole('main')
      .getByRole('link', { name: /geographic and temporal art/ })
      .first()
      .click();
    await page.waitForURL(/\/courses\//);
    await page.getByRole('link', { name: 'Write an announcement' }).click();
    await page.waitForURL(/\/announcements\/new$/);
    await look(page, 'announcement');
    await page.getByLabel('Subject').fill('SOGTA week 2: the old bridge');
    await page.getByLabel('Message').fill('We meet at the **old bridge** at ten.');
    await page.getByRole('button', { name: 'Preview' }).click();
    await page.getByRole('heading', { name: /preview/i }).waitFor();
    expect(await page.innerHTML('main')).toContain('<strong>old bridge</strong>');
    await look(page, 'announcement-preview');
    await page.getByRole('button', { name: 'Send', exact: true }).click();
    await page.waitForURL(/\/announcements\/[^/]+$/);
    expect(await page.textContent('main')).toMatch(/queued|sending|finished|sent/i);
    await look(page, 'announcement-sent');
    await context.close();
  }, 120_000);
});
