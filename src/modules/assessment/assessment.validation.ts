import { assessmentErrors } from './assessment.errors.ts';
import { type Criterion, DEFAULT_WEIGHTS, type Weights } from './assessment.grades.ts';
import type { Anonymity } from './assessment.policies.ts';

export const TYPES = ['Standard', 'Case', 'Group'] as const;
export type ActivityType = (typeof TYPES)[number];
export const PHASES = ['Create', 'Assess', 'Reflect'] as const;
export type Phase = (typeof PHASES)[number];
export const ANONYMITY = ['double', 'reviewers', 'none'] as const;

export const MAX_TEXT = 100_000;
export const MAX_CRITERIA = 20;

const bad = assessmentErrors.invalid;

export function checkTitle(field: string, value: string, max = 300): string {
  const v = value.trim();
  if (v.length === 0 || v.length > max) throw bad(field, `must be 1–${max} characters`);
  return v;
}

export function checkText(field: string, value: string, max = MAX_TEXT): string {
  if (value.length > max) throw bad(field, `must be at most ${max} characters`);
  return value;
}

export function checkType(value: string): ActivityType {
  const found = TYPES.find((t) => t === value);
  if (!found) throw bad('type', `must be one of ${TYPES.join(', ')}`);
  return found;
}

export function checkAnonymity(value: string): Anonymity {
  const found = ANONYMITY.find((t) => t === value);
  if (!found) throw bad('anonymity', `must be one of ${ANONYMITY.join(', ')}`);
  return found;
}

export function checkK(value: number): number {
  if (!Number.isInteger(value) || value < 1 || value > 10)
    throw bad('reviewers_per_submission', 'must be 1–10');
  return value;
}

export interface CriterionInput {
  readonly id?: string | undefined;
  readonly title: string;
  readonly min?: number | undefined;
  readonly max?: number | undefined;
  readonly weight?: number | undefined;
  readonly descriptors?: Readonly<Record<string, string>> | undefined;
}

export function checkRubric(input: readonly CriterionInput[]): Criterion[] {
  if (input.length === 0 || input.length > MAX_CRITERIA)
    throw bad('rubric', `needs 1–${MAX_CRITERIA} criteria`);
  const ids = new Set<string>();
  return input.map((c, i) => {
    const id = (c.id ?? `c${i + 1}`).trim();
    if (!/^[A-Za-z0-9_-]{1,40}$/.test(id))
      throw bad(`rubric[${i}].id`, 'use 1–40 letters, digits, "-" or "_"');
    if (ids.has(id)) throw bad(`rubric[${i}].id`, `"${id}" is used twice`);
    ids.add(id);
    const min = c.min ?? 0;
    const max = c.max ?? 5;
    if (!Number.isInteger(min) || !Number.isInteger(max) || min < 0 || max > 100 || min >= max)
      throw bad(`rubric[${i}]`, 'min and max must be integers with 0 ≤ min < max ≤ 100');
    const weight = c.weight ?? 1;
    if (!(weight > 0 && weight <= 100))
      throw bad(`rubric[${i}].weight`, 'must be more than 0 and at most 100');
    const descriptors = Object.fromEntries(
      Object.entries(c.descriptors ?? {}).map(([k, v]) => [
        k,
        checkText(`rubric[${i}].descriptors`, v, 2000),
      ]),
    );
    return { id, title: checkTitle(`rubric[${i}].title`, c.title, 200), min, max, weight, descriptors };
  });
}

export function checkWeights(input: Partial<Weights> | undefined): Weights {
  const w = { ...DEFAULT_WEIGHTS, ...(input ?? {}) };
  for (const [k, v] of Object.entries(w)) {
    if (!(typeof v === 'number' && v >= 0 && v <= 100)) throw bad(`weights.${k}`, 'must be 0–100');
  }
  if (w.create + w.assess + w.reflect + w.instructor <= 0)
    throw bad('weights', 'at least one must be above 0');
  return w;
}

/** Scores against the rubric: every criterion, an integer within its range. */
export function checkScores(
  rubric: readonly Criterion[],
  scores: Readonly<Record<string, unknown>>,
  field = 'scores',
): Record<string, number> {
  const out: Record<string, number> = {};
  for (const key of Object.keys(scores)) {
    if (!rubric.some((c) => c.id === key)) throw bad(`${field}.${key}`, 'is not a criterion of this rubric');
  }
  for (const c of rubric) {
    const v = scores[c.id];
    if (typeof v !== 'number' || !Number.isInteger(v) || v < c.min || v > c.max)
      throw bad(`${field}.${c.id}`, `must be an integer from ${c.min} to ${c.max}`);
    out[c.id] = v;
  }
  return out;
}

export function checkGrade(field: string, value: number | null): number | null {
  if (value === null) return null;
  if (!(Number.isFinite(value) && value >= 0 && value <= 100)) throw bad(field, 'must be 0–100');
  return value;
}

/**
 * Rich text is kept as plain text with paragraphs: every tag is removed, so nothing a student writes can run
 * in a reader's page (pages escape it again when rendering).
 */
export function sanitiseText(value: string): string {
  return value
    .replace(/<(script|style)[^>]*>[\s\S]*?<\/\1\s*>/gi, '')
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<\/p\s*>/gi, '\n\n')
    .replace(/<[^>]*>/g, '')
    .replace(/\r\n?/g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
