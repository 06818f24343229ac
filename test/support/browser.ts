import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import axe from 'axe-core';
import pg from 'pg';
import { type Browser, chromium, type Page } from 'playwright-core';

/** Debian's Chromium; browser tests skip themselves (with a notice) where it is not installed. */
export const CHROMIUM = '/usr/bin/chromium';
export const hasChromium = existsSync(CHROMIUM);

export const SCREENSHOTS = fileURLToPath(new URL('../screenshots/', import.meta.url));

/** Prints why a browser test is not running, so a skip on a machine without Chromium is visible. */
export function warnIfNoChromium(testName: string): void {
  if (!hasChromium) {
    console.warn(
      `[${testName}] skipped: ${CHROMIUM} not found. Install it with: apt-get install -y chromium`,
    );
  }
}

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
      '--disable-sync',
    ],
  });
}

/** Where to save a screenshot (test/screenshots/ is git-ignored). */
export function screenshotPath(name: string): string {
  mkdirSync(SCREENSHOTS, { recursive: true });
  return path.join(SCREENSHOTS, `${name}.png`);
}

/**
 * Waits for a mail to `address` in the outbox table of a test server's database (the worker sends it
 * asynchronously) and returns the first link in it whose path starts with `pathPrefix`.
 */
export async function waitForMailLink(
  databaseUrl: string,
  address: string,
  pathPrefix: string,
  timeoutMs = 20_000,
): Promise<string> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const result = await client.query<{ text: string }>(
        'select text from outbox where $1 = any("to") order by created_at desc, id desc',
        [address],
      );
      for (const { text } of result.rows) {
        for (const match of text.matchAll(/https?:\/\/\S+/g)) {
          if (new URL(match[0]).pathname.startsWith(pathPrefix)) return match[0];
        }
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    throw new Error(`no mail with a ${pathPrefix} link reached ${address}`);
  } finally {
    await client.end();
  }
}

/** One accessibility problem axe-core found, with where (CSS selectors of the offending elements). */
export interface AxeProblem {
  readonly id: string;
  readonly impact: string;
  readonly help: string;
  readonly targets: readonly string[];
}

/**
 * Runs axe-core (WCAG 2.x A and AA rules plus best practices) on the page as it is now and returns the
 * serious and critical violations, empty when there are none. axe is evaluated through the DevTools protocol,
 * which the hub's Content-Security-Policy (no inline script) does not apply to.
 */
export async function seriousAxeViolations(page: Page): Promise<AxeProblem[]> {
  const loaded = await page.evaluate(() => typeof (globalThis as { axe?: unknown }).axe === 'object');
  if (!loaded) await page.evaluate(axe.source);
  const results = await page.evaluate(async () => {
    const run = (globalThis as unknown as { axe: typeof axe }).axe.run;
    const found = await run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] },
    });
    return found.violations.map((v) => ({
      id: v.id,
      impact: v.impact ?? 'unknown',
      help: v.help,
      targets: v.nodes.map((n) => n.target.join(' ')),
    }));
  });
  return results.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

/** A readable list of axe problems for a failing assertion. */
export function describeAxe(problems: readonly AxeProblem[]): string {
  return problems.map((p) => `${p.impact} ${p.id}: ${p.help} at ${p.targets.join(', ')}`).join('\n');
}
