import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type Criterion,
  DEFAULT_WEIGHTS,
  helpfulnessGrade,
  mean,
  median,
  mode,
  overallGrade,
  reviewGrade,
  studentGrades,
} from './assessment.grades.ts';

const rubric: Criterion[] = [
  { id: 'thesis', title: 'Thesis', min: 1, max: 5, weight: 1 },
  { id: 'evidence', title: 'Evidence', min: 0, max: 10, weight: 3 },
];

describe('grade arithmetic', () => {
  it('computes mean, median and mode of known values', () => {
    expect(mean([60, 70, 80, 80])).toBe(72.5);
    expect(median([80, 60, 70])).toBe(70);
    expect(median([60, 70, 80, 90])).toBe(75);
    expect(mode([60, 80, 70, 80])).toBe(80);
    expect(mean([])).toBeNull();
    expect(median([])).toBeNull();
    expect(mode([])).toBeNull();
  });

  it('breaks a mode tie by taking the lowest of the most common values', () => {
    expect(mode([90, 50, 70])).toBe(50);
    expect(mode([90, 90, 50, 50, 70])).toBe(50);
  });

  it('places a review on 0–100 by criterion weight', () => {
    // thesis 5/5 → 100 (weight 1), evidence 5/10 → 50 (weight 3): (100 + 150) / 4 = 62.5
    expect(reviewGrade(rubric, { thesis: 5, evidence: 5 })).toBe(62.5);
    expect(reviewGrade(rubric, { thesis: 1, evidence: 0 })).toBe(0);
    expect(reviewGrade(rubric, { thesis: 99, evidence: 99 })).toBe(100);
  });

  it('maps helpfulness 1–5 onto 0–100', () => {
    expect(helpfulnessGrade([5, 3])).toBe(75);
    expect(helpfulnessGrade([])).toBeNull();
  });

  it('leaves missing parts out of the overall grade instead of counting them as zero', () => {
    expect(overallGrade(DEFAULT_WEIGHTS, { create: 80, assess: null, reflect: null, instructor: null })).toBe(
      80,
    );
    expect(overallGrade(DEFAULT_WEIGHTS, { create: 80, assess: 60, reflect: 100, instructor: 50 })).toBe(
      (80 * 60 + 60 * 20 + 100 * 10 + 50 * 10) / 100,
    );
    expect(
      overallGrade(DEFAULT_WEIGHTS, { create: null, assess: null, reflect: null, instructor: null }),
    ).toBeNull();
  });

  it('lets an override replace the computed overall grade', () => {
    const g = studentGrades({
      rubric,
      weights: DEFAULT_WEIGHTS,
      received: [{ thesis: 5, evidence: 10 }],
      selfCreate: null,
      selfReflect: null,
      helpfulness: [],
      reflectDone: null,
      instructor: null,
      override: 42,
    });
    expect(g.peerMean).toBe(100);
    expect(g.overall).toBe(42);
  });
});

const grade = fc.double({ min: 0, max: 100, noNaN: true });
const grades = fc.array(grade, { minLength: 1, maxLength: 40 });

describe('grade properties', () => {
  it('keeps the mean and median between the smallest and largest value', () => {
    fc.assert(
      fc.property(grades, (values) => {
        const lo = Math.min(...values);
        const hi = Math.max(...values);
        for (const v of [mean(values), median(values)]) {
          expect(v).not.toBeNull();
          expect(v ?? Number.NaN).toBeGreaterThanOrEqual(lo - 1e-9);
          expect(v ?? Number.NaN).toBeLessThanOrEqual(hi + 1e-9);
        }
      }),
    );
  });

  it('makes the median of an odd count one of the values', () => {
    fc.assert(
      fc.property(grades, (values) => {
        const odd = values.length % 2 === 1 ? values : values.slice(1);
        expect(odd).toContain(median(odd));
      }),
    );
  });

  it('makes the mode a value given at least as often as any other, independent of order', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 10 }), { minLength: 1, maxLength: 30 }), (values) => {
        const m = mode(values);
        const count = (x: number) => values.filter((v) => v === x).length;
        expect(values).toContain(m);
        for (const v of values) expect(count(m ?? -1)).toBeGreaterThanOrEqual(count(v));
        expect(mode([...values].reverse())).toBe(m);
      }),
    );
  });

  it('keeps the overall grade within the scale and between its parts', () => {
    const part = fc.option(fc.double({ min: -50, max: 150, noNaN: true }), { nil: null });
    const weight = fc.integer({ min: 0, max: 100 });
    fc.assert(
      fc.property(part, part, part, part, weight, weight, weight, weight, (c, a, r, i, wc, wa, wr, wi) => {
        const overall = overallGrade(
          { create: wc, assess: wa, reflect: wr, instructor: wi },
          {
            create: c,
            assess: a,
            reflect: r,
            instructor: i,
          },
        );
        if (overall === null) return;
        expect(overall).toBeGreaterThanOrEqual(0);
        expect(overall).toBeLessThanOrEqual(100);
      }),
    );
  });

  it('keeps every review grade within the scale', () => {
    fc.assert(
      fc.property(fc.integer({ min: -5, max: 20 }), fc.integer({ min: -5, max: 20 }), (t, e) => {
        const g = reviewGrade(rubric, { thesis: t, evidence: e });
        expect(g).toBeGreaterThanOrEqual(0);
        expect(g).toBeLessThanOrEqual(100);
      }),
    );
  });
});
