import { isEmailAddress } from '../../lib/email.ts';
import { courseErrors } from './courses.errors.ts';

export const CLASS_TYPES = ['open', 'requires-activation-code', 'invite-only', 'closed'] as const;
export type ClassType = (typeof CLASS_TYPES)[number];
export const ROLES = ['Student', 'Instructor', 'Grader', 'Builder'] as const;
export type Role = (typeof ROLES)[number];

const PATH = /^[A-Za-z0-9][A-Za-z0-9_-]{0,99}$/;
const SHORTCODE = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;
const CURRENCY = /^[A-Z]{3}$/;
const PRICE = /^\d{1,9}(\.\d{1,2})?$/;

export function checkPath(field: string, value: string): string {
  if (!PATH.test(value)) throw courseErrors.invalid(field, 'use 1–100 letters, digits, "-" or "_"');
  return value;
}

export function checkShortcode(value: string): string {
  if (!SHORTCODE.test(value))
    throw courseErrors.invalid('shortcode', 'use 1–64 letters, digits, ".", "-" or "_"');
  return value;
}

export function checkTitle(field: string, value: string): string {
  const title = value.trim();
  if (title.length === 0 || title.length > 300) throw courseErrors.invalid(field, 'must be 1–300 characters');
  return title;
}

export function checkUrl(field: string, value: string): string {
  try {
    const url = new URL(value);
    if (url.protocol === 'https:' || url.protocol === 'http:') return url.toString();
  } catch {
    // fall through
  }
  throw courseErrors.invalid(field, 'must be an http(s) URL');
}

export function checkTags(value: readonly string[]): string[] {
  if (value.length > 30) throw courseErrors.invalid('tags', 'at most 30 tags');
  const tags = value.map((t) => t.trim().toLowerCase()).filter((t) => t.length > 0);
  if (tags.some((t) => t.length > 50))
    throw courseErrors.invalid('tags', 'each tag is at most 50 characters');
  return [...new Set(tags)];
}

export function checkDate(field: string, value: string): Date {
  const at = Date.parse(value);
  if (Number.isNaN(at)) throw courseErrors.invalid(field, 'must be an ISO 8601 date/time');
  return new Date(at);
}

export function checkClassType(value: string): ClassType {
  const found = CLASS_TYPES.find((t) => t === value);
  if (!found) throw courseErrors.invalid('type', `must be one of ${CLASS_TYPES.join(', ')}`);
  return found;
}

export function checkPrice(value: string): string {
  if (!PRICE.test(value.trim())) throw courseErrors.invalid('studentPrice', 'must be a number like 12.00');
  return value.trim();
}

export function checkCurrency(value: string): string {
  const currency = value.trim().toUpperCase();
  if (!CURRENCY.test(currency))
    throw courseErrors.invalid('currency', 'must be a 3-letter ISO 4217 code like USD');
  return currency;
}

export function checkProgress(value: number): number {
  if (!Number.isInteger(value) || value < 0 || value > 100)
    throw courseErrors.invalid('progress', 'must be an integer from 0 to 100');
  return value;
}

/** A normalised email address, or undefined when it is not one. */
export function parseEmail(value: string): string | undefined {
  const email = value.trim().toLowerCase();
  return isEmailAddress(email) ? email : undefined;
}

/** A slug for a class path segment from its title ("First Class" → "FirstClass"). */
export function classSlug(title: string): string {
  const slug = title.replace(/[^A-Za-z0-9]+/g, '').slice(0, 60);
  return slug.length > 0 ? slug : 'Class';
}

/** A course path from a title or shortcode. */
export function courseSlug(text: string): string {
  const slug = text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 80);
  return slug.length > 0 ? slug : 'course';
}
