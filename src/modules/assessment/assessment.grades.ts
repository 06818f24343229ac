/**
 * Grade arithmetic, pure. Every grade is a number on the activity's 0–100 scale, rounded to two decimals only
 * when stored or shown (the functions here keep full precision except `mode`, which compares values rounded
 * to two decimals so that 66.666… and 66.67 count as the same grade).
 */

export const SCALE_MIN = 0;
export const SCALE_MAX = 100;

export interface Criterion {
  readonly id: string;
  readonly title: string;
  /** Lowest and highest score a reviewer may give (integers, min < max). */
  readonly min: number;
  readonly max: number;
  /** Relative weight of the criterion inside one review (> 0). */
  readonly weight: number;
  /** Optional descriptor per score, e.g. {"1": "missing", "5": "excellent"}. */
  readonly descriptors?: Readonly<Record<string, string>>;
}

export interface Weights {
  readonly create: number;
  readonly assess: number;
  readonly reflect: number;
  readonly instructor: number;
}

export const DEFAULT_WEIGHTS: Weights = { create: 60, assess: 20, reflect: 10, instructor: 10 };

export const round2 = (value: number): number => Math.round(value * 100) / 100;

export function mean(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  let sum = 0;
  for (const v of values) sum += v;
  return sum / values.length;
}

/** The middle value; for an even count the mean of the two middle values. */
export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const upper = sorted[mid] ?? 0;
  if (sorted.length % 2 === 1) return upper;
  return ((sorted[mid - 1] ?? 0) + upper) / 2;
}

/**
 * The most common value (compared at two decimals). Tie rule: when several values are equally common, the
 * LOWEST of them is the mode. (Lowest, not mean-of-tied, so the mode is always a grade someone actually gave,
 * and the rule is the same whatever order reviews arrive in.)
 */
export function mode(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const counts = new Map<number, number>();
  for (const v of values) {
    const key = round2(v);
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  let best: number | null = null;
  let bestCount = 0;
  for (const [value, count] of counts) {
    if (count > bestCount || (count === bestCount && best !== null && value < best)) {
      best = value;
      bestCount = count;
    }
  }
  return best;
}

const clamp = (value: number) => Math.min(SCALE_MAX, Math.max(SCALE_MIN, value));

/**
 * One review's grade: each criterion's score placed on 0–100 ((score − min) / (max − min)), then the
 * weighted mean over the criteria. Missing criteria count as the lowest score (a review is only submitted
 * complete, so this only matters for self-assessments saved part-way).
 */
export function reviewGrade(rubric: readonly Criterion[], scores: Readonly<Record<string, number>>): number {
  let total = 0;
  let weights = 0;
  for (const c of rubric) {
    const raw = scores[c.id] ?? c.min;
    const span = c.max - c.min;
    const part = span > 0 ? (Math.min(c.max, Math.max(c.min, raw)) - c.min) / span : 0;
    total += part * 100 * c.weight;
    weights += c.weight;
  }
  return weights > 0 ? clamp(total / weights) : SCALE_MIN;
}

/** The assess-phase grade: the mean helpfulness rating (1–5) a student's reviews received, on 0–100. */
export function helpfulnessGrade(ratings: readonly number[]): number | null {
  const m = mean(ratings.map((r) => Math.min(5, Math.max(1, r))));
  return m === null ? null : clamp(((m - 1) / 4) * 100);
}

export interface Parts {
  /** The create part: the peer grade's mean. */
  readonly create: number | null;
  readonly assess: number | null;
  readonly reflect: number | null;
  readonly instructor: number | null;
}

/**
 * The overall grade: the weighted mean of the parts that exist. A part without a value (no reviews received,
 * no instructor grade yet) is left out and the remaining weights are scaled up, so a missing instructor grade
 * neither zeroes nor inflates the result. No part at all → null.
 */
export function overallGrade(weights: Weights, parts: Parts): number | null {
  let total = 0;
  let used = 0;
  for (const key of ['create', 'assess', 'reflect', 'instructor'] as const) {
    const value = parts[key];
    const weight = weights[key];
    if (value === null || weight <= 0) continue;
    total += clamp(value) * weight;
    used += weight;
  }
  return used > 0 ? clamp(total / used) : null;
}

export interface StudentGrades {
  readonly peerMean: number | null;
  readonly peerMedian: number | null;
  readonly peerMode: number | null;
  readonly selfCreate: number | null;
  readonly selfReflect: number | null;
  readonly assess: number | null;
  readonly reflect: number | null;
  readonly instructor: number | null;
  /** The computed overall grade, or the instructor's override when there is one. */
  readonly overall: number | null;
}

export interface GradeInputs {
  readonly rubric: readonly Criterion[];
  readonly weights: Weights;
  /** Scores of every submitted review of the student's work. */
  readonly received: readonly Readonly<Record<string, number>>[];
  readonly selfCreate: Readonly<Record<string, number>> | null;
  readonly selfReflect: Readonly<Record<string, number>> | null;
  /** Helpfulness ratings the student's own reviews received (1–5). */
  readonly helpfulness: readonly number[];
  /** The reflect part: share (0–1) of the reflect tasks done (reviews rated, revision or self-assessment). */
  readonly reflectDone: number | null;
  readonly instructor: number | null;
  readonly override: number | null;
}

export function studentGrades(input: GradeInputs): StudentGrades {
  const peer = input.received.map((scores) => reviewGrade(input.rubric, scores));
  const peerMean = mean(peer);
  const assess = helpfulnessGrade(input.helpfulness);
  const reflect = input.reflectDone === null ? null : clamp(input.reflectDone * 100);
  const instructor = input.instructor === null ? null : clamp(input.instructor);
  const computed = overallGrade(input.weights, { create: peerMean, assess, reflect, instructor });
  return {
    peerMean,
    peerMedian: median(peer),
    peerMode: mode(peer),
    selfCreate: input.selfCreate ? reviewGrade(input.rubric, input.selfCreate) : null,
    selfReflect: input.selfReflect ? reviewGrade(input.rubric, input.selfReflect) : null,
    assess,
    reflect,
    instructor,
    overall: input.override === null ? computed : clamp(input.override),
  };
}
