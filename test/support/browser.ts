import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { type Browser, chromium } from 'playwright-core';

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
