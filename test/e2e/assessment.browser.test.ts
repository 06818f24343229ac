import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config.ts';
import { createPool } from '../../src/db/client.ts';
import type { Deps } from '../../src/deps.ts';
import { createLogger } from '../../src/lib/logger.ts';
import { createCourse, joinCourse } from '../../src/modules/courses/index.ts';
import { createUser, type User } from '../../src/modules/identity/index.ts';
import { createDeps } from '../../src/runtime.ts';
import { hasChromium, launchBrowser, screenshotPath, warnIfNoChromium } from '../support/browser.ts';
import { startTestServer, type TestServer } from '../support/server.ts';

warnIfNoChromium('assessment.browser.test');

const PASSWORD = 'a sturdy pass phrase';
const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

interface AxeResult {
  violations: { id: string; impact: string | null; help: string; nodes: { target: string[] }[] }[];
}

/** Runs axe-core on the page; returns the serious and critical violations (there should be none). */
async function seriousViolations(page: Page): Promise<string[]> {
  await page.addScriptTag({ content: AXE });
  const result = (await page.evaluate('axe.run(document)')) as AxeResult;
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
}

describe.runIf(hasChromium)('peer assessment in Chromium', () => {
  let server: TestServer;
  let browser: Browser;
  let deps: Deps;
  let pool: ReturnType<typeof createPool>;
  let courseId: string;
  const people: Record<string, User> = {};

  beforeAll(async () => {
    server = await startTestServer();
    browser = await launchBrowser();
    const logger = createLogger('silent');
    pool = createPool(server.database.url, logger, { max: 2 });
    deps = createDeps(
      loadConfig({
        DATABASE_URL: server.database.url,
        SECRET_KEY: 'test-secret-key-test-secret-key-0123456789',
        PUBLIC_URL: server.url,
      }),
      { pool },
      logger,
    );
    for (const name of ['tess', 'sam', 'kim']) {
      people[name] = await createUser(deps, {
        username: name,
        name: `${name[0]?.toUpperCase()}${name.slice(1)} ${name === 'tess' ? 'Teacher' : 'Student'}`,
        email: `${name}@example.org`,
        password: PASSWORD,
        emailVerified: true,
      });
    }
    const tess = people.tess as User;
    const course = await createCourse(
      deps,
      { kind: 'user', userId: tess.id, admin: false },
      { title: 'Writing' },
    );
    courseId = course.id;
    for (const name of ['sam', 'kim'])
      await joinCourse(deps, { kind: 'user', userId: (people[name] as User).id, admin: false }, course, {});
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await pool?.end();
    await server?.close();
  });

  async function signedIn(email: string, width = 1200): Promise<Page> {
    const context = await browser.newContext({
      viewport: { width, height: 900 },
      acceptDownloads: true,
      // The hub's CSP forbids inline scripts; axe-core is injected as one, for the test only.
      bypassCSP: true,
    });
    const page = await context.newPage();
    await page.goto(`${server.url}/login`);
    await page.getByLabel('Email', { exact: true }).fill(email);
    await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL((url) => url.pathname !== '/login');
    return page;
  }

  /** Waits until the hub's worker has run the jobs a phase change queued (grades are recomputed by a job). */
  async function settle(): Promise<void> {
    for (let i = 0; i < 100; i++) {
      const { rows } = await pool.query<{ n: string }>(
        'select count(*) as n from graphile_worker.jobs where run_at <= now()',
      );
      if (Number(rows[0]?.n ?? 0) === 0) return;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  it('instructor creates and opens an activity, two students submit and review, grades come out as CSV', async () => {
    const teacher = await signedIn('tess@example.org');
    await teacher.goto(`${server.url}/assessment/course/${courseId}/new`);
    expect(await seriousViolations(teacher)).toEqual([]);
    await teacher.getByLabel('Title').fill('Persuasive letter');
    await teacher.getByLabel('Instructions').fill('Write a letter to your council about a park.');
    await teacher.getByLabel('Reviews per piece of work').fill('1');
    await teacher.getByRole('button', { name: 'Create activity' }).click();
    await teacher.waitForURL(/\/assessment\/\d+\?done=created/);
    const activityUrl = teacher.url().split('?')[0] ?? '';
    await teacher.getByRole('button', { name: 'Open Create' }).click();
    await teacher.waitForURL(/done=phase/);
    expect(await teacher.textContent('main')).toContain('Create is open');

    const students: Page[] = [];
    for (const [name, text] of [
      ['sam', 'Dear council, =SUM(A1) keep the park green.'],
      ['kim', 'Dear council, please add benches.'],
    ] as const) {
      const page = await signedIn(`${name}@example.org`, 390);
      await page.goto(activityUrl);
      await page.getByLabel('Your text').fill(text);
      if (name === 'sam') {
        expect(await seriousViolations(page)).toEqual([]);
        await page.screenshot({ path: screenshotPath('assessment-student-create-390'), fullPage: true });
      }
      await page.getByRole('button', { name: 'Submit', exact: true }).click();
      await page.waitForURL(/done=submitted/);
      students.push(page);
    }

    await teacher.goto(activityUrl);
    await teacher.getByRole('button', { name: /Open Assess/ }).click();
    await teacher.waitForURL(/done=phase/);
    for (const [n, page] of students.entries()) {
      await page.goto(activityUrl);
      expect(await page.textContent('main')).toContain('Reviews to do');
      await page
        .getByLabel(/Quality of argument|Quality/)
        .first()
        .fill(n === 0 ? '8' : '6');
      await page.getByLabel('Comment').fill('A clear argument; add one example.');
      if (n === 0) {
        expect(await seriousViolations(page)).toEqual([]);
        await page.screenshot({ path: screenshotPath('assessment-student-review-390'), fullPage: true });
      }
      await page.getByRole('button', { name: 'Submit review' }).click();
      await page.waitForURL(/done=reviewed/);
    }

    await teacher.goto(activityUrl);
    await teacher.getByRole('button', { name: /Open Reflect/ }).click();
    await teacher.waitForURL(/done=phase/);
    await teacher.getByRole('button', { name: 'Close Reflect' }).click();
    await teacher.waitForURL(/done=phase/);
    await settle();
    await teacher.reload();
    expect(await teacher.locator('[data-count="submitted"]').textContent()).toBe('2');
    expect(await teacher.locator('[data-count="reviewed"]').textContent()).toBe('2');
    expect(await seriousViolations(teacher)).toEqual([]);
    await teacher.screenshot({ path: screenshotPath('assessment-instructor-progress'), fullPage: true });

    const sam = students[0] as Page;
    await sam.goto(activityUrl);
    const main = (await sam.textContent('main')) ?? '';
    expect(main).toContain('Your grade');
    expect(main).toContain('(final)');
    expect(main).not.toContain('Kim');
    await sam.screenshot({ path: screenshotPath('assessment-student-grade-390'), fullPage: true });

    const [download] = await Promise.all([
      teacher.waitForEvent('download'),
      teacher.getByRole('link', { name: 'Download grades (CSV)' }).click(),
    ]);
    const csv = readFileSync((await download.path()) ?? '', 'utf8');
    expect(csv.startsWith('\uFEFF')).toBe(true);
    const lines = csv.slice(1).trim().split('\r\n');
    expect(lines[0]).toMatch(/^name,username,email,overall,final/);
    expect(
      lines
        .slice(1)
        .map((l) => l.split(',')[1])
        .sort(),
    ).toEqual(['kim', 'sam']);
  }, 180_000);
});
