import type { LightMyRequestResponse } from 'fastify';
import type { Page } from 'playwright-core';
import type { TestApp } from './app.ts';
import { waitForMailLink } from './browser.ts';
import { type Browser, linkIn, mailsTo } from './web.ts';

/**
 * Sign-up sends a link and creates the account only when it is used (no account enumeration, docs/accounts.md).
 * These helpers do both steps as a person would: fill in the form, then open the mailed link (read from the
 * outbox table) and press "Create my account".
 */
export interface SignupFields {
  readonly name: string;
  readonly username: string;
  readonly email: string;
  readonly password: string;
  readonly return_to?: string;
}

/** The path + query of the newest sign-up link mailed to `email` (runs the mail jobs first). */
export async function signupLinkFor(t: TestApp, email: string): Promise<string> {
  await t.runJobs();
  const mails = await mailsTo(t.deps.pool, email);
  const mail = mails.findLast((m) => m.text.includes('/signup/confirm'));
  if (!mail) throw new Error(`no sign-up link was mailed to ${email}`);
  return linkIn(mail.text, '/signup/confirm');
}

/** Opens a mailed sign-up link in `browser` and finishes the sign-up (303 to where it continues). */
export async function confirmSignupLink(browser: Browser, link: string): Promise<LightMyRequestResponse> {
  return browser.submit(link, {}, '/signup/confirm');
}

/**
 * Signs up with `app.inject()` and confirms through the mailed link: afterwards `browser` is signed in as
 * the new account. Returns the form's answer and the confirmation's (303, `location` = where it continues).
 */
export async function signUpAndConfirm(
  t: TestApp,
  browser: Browser,
  fields: SignupFields,
  page = '/signup',
): Promise<{ sent: LightMyRequestResponse; confirmed: LightMyRequestResponse }> {
  const sent = await browser.submit(page, { ...fields }, '/signup');
  if (sent.statusCode !== 200) throw new Error(`sign-up refused (${sent.statusCode}): ${sent.body}`);
  const confirmed = await confirmSignupLink(browser, await signupLinkFor(t, fields.email));
  return { sent, confirmed };
}

/**
 * In Chromium, after the sign-up form was sent: waits for the link in the outbox of the server's database,
 * opens it and presses "Create my account".
 */
export async function confirmSignupInPage(page: Page, databaseUrl: string, email: string): Promise<void> {
  const link = await waitForMailLink(databaseUrl, email, '/signup/confirm');
  await page.goto(link);
  await page.getByRole('button', { name: 'Create my account' }).click();
  await page.waitForLoadState();
}

/**
 * In Chromium: fills in the sign-up form at `${serverUrl}/signup` (or `path`), sends it, and confirms through
 * the mailed link; the page ends signed in, where the sign-up continues (`/account` unless told otherwise).
 */
export async function signUpInPage(
  page: Page,
  server: { url: string; database: { url: string } },
  fields: Omit<SignupFields, 'return_to'>,
  path = '/signup',
): Promise<void> {
  await page.goto(`${server.url}${path}`);
  await page.getByLabel('Name', { exact: true }).fill(fields.name);
  await page.getByLabel('Username', { exact: true }).fill(fields.username);
  await page.getByLabel('Email', { exact: true }).fill(fields.email);
  await page.getByLabel('Password', { exact: true }).fill(fields.password);
  await page.getByRole('button', { name: 'Create account' }).click();
  await page.getByRole('heading', { name: 'Check your email' }).waitFor();
  await confirmSignupInPage(page, server.database.url, fields.email);
}
