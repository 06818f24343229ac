/**
 * Review allocation, pure and reproducible: the same inputs and seed give the same allocation.
 *
 * Every submission gets `k` reviewers, nobody reviews work they (or their group) authored, and reviewers'
 * loads stay within one of each other where the exclusions allow it. The reviewers are kept in a queue
 * ordered by load (a seeded shuffle decides the order among equals); each submission takes the first `k`
 * eligible reviewers from the front, which go to the back with one more review. Reviewers skipped because
 * they may not review that submission keep their place at the front. This is O((n + skipped) · k).
 */

export interface AllocSubmission {
  readonly id: string;
  /** Everyone who may not review it: its author, or every member of its group. */
  readonly authors: readonly string[];
}

export interface AllocPair {
  readonly submissionId: string;
  readonly reviewerId: string;
}

export interface AllocInput {
  readonly submissions: readonly AllocSubmission[];
  readonly reviewers: readonly string[];
  readonly k: number;
  readonly seed: string;
  /** Pairs already allocated (kept): new pairs only fill the gaps. */
  readonly existing?: readonly AllocPair[];
  /**
   * Also give reviewers with fewer than k reviews (a late submitter) more work, from the submissions with
   * the fewest reviewers, even if those then have more than k.
   */
  readonly topUpReviewers?: boolean;
}

/** A 32-bit hash of the seed (FNV-1a), to start the generator. */
function hashSeed(seed: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < seed.length; i++) {
    h ^= seed.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** mulberry32: small, fast, and well enough distributed for shuffling (not for secrets). */
export function seededRandom(seed: string): () => number {
  let a = hashSeed(seed);
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Fisher–Yates with the seeded generator; returns a new array. */
export function seededShuffle<T>(items: readonly T[], seed: string): T[] {
  const out = [...items];
  const random = seededRandom(seed);
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const a = out[i] as T;
    out[i] = out[j] as T;
    out[j] = a;
  }
  return out;
}

/** Returns the NEW pairs to add (existing ones are not repeated). */
export function allocate(input: AllocInput): AllocPair[] {
  const k = Math.max(0, Math.floor(input.k));
  // Work on integer indices (typed arrays, no string maps in the loop): 10,000 submissions in milliseconds.
  const reviewerIds = [...new Set(input.reviewers)].sort();
  const index = new Map(reviewerIds.map((r, i) => [r, i]));
  const load = new Int32Array(reviewerIds.length);
  const subs = seededShuffle(
    [...input.submissions].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)),
    `${input.seed}:submissions`,
  );
  const subIndex = new Map(subs.map((s, i) => [s.id, i]));
  const authors = subs.map((s) => s.authors.map((a) => index.get(a) ?? -1));
  const assigned: number[][] = subs.map(() => []);
  for (const p of input.existing ?? []) {
    const si = subIndex.get(p.submissionId);
    const ri = index.get(p.reviewerId);
    if (si === undefined || ri === undefined) continue;
    assigned[si]?.push(ri);
    load[ri] = (load[ri] ?? 0) + 1;
  }
  const mayReview = (si: number, ri: number) =>
    !(authors[si]?.includes(ri) ?? true) && !(assigned[si]?.includes(ri) ?? true);

  // Sorting by id first, then shuffling, makes the result independent of the callers' input order.
  const shuffled = seededShuffle(
    reviewerIds.map((_, i) => i),
    `${input.seed}:reviewers`,
  );
  const rank = new Int32Array(reviewerIds.length);
  shuffled.forEach((ri, pos) => {
    rank[ri] = pos;
  });
  const queue = [...shuffled].sort(
    (a, b) => (load[a] ?? 0) - (load[b] ?? 0) || (rank[a] ?? 0) - (rank[b] ?? 0),
  );
  let head = 0;
  // Skipped reviewers wait here, ahead of the queue, for the next submission.
  let front: number[] = [];
  const added: [number, number][] = [];

  for (let si = 0; si < subs.length; si++) {
    const have = assigned[si] ?? [];
    const need = k - have.length;
    if (need <= 0) continue;
    const picked: number[] = [];
    const skipped: number[] = [];
    let fi = 0;
    const total = front.length + (queue.length - head);
    for (let seen = 0; seen < total && picked.length < need; seen++) {
      const r = fi < front.length ? (front[fi++] ?? 0) : (queue[head++] ?? 0);
      if (mayReview(si, r) && !picked.includes(r)) picked.push(r);
      else skipped.push(r);
    }
    front = fi === 0 && skipped.length === 0 ? front : skipped.concat(front.slice(fi));
    for (const r of picked) {
      have.push(r);
      load[r] = (load[r] ?? 0) + 1;
      added.push([si, r]);
      queue.push(r);
    }
    if (head > 4096 && head > queue.length / 2) {
      queue.splice(0, head);
      head = 0;
    }
  }

  if (input.topUpReviewers) topUp(k, subs.length, shuffled, load, assigned, mayReview, added);
  rebalance(load, assigned, mayReview, added);
  return added.map(([si, ri]) => ({
    submissionId: subs[si]?.id ?? '',
    reviewerId: reviewerIds[ri] ?? '',
  }));
}

/** Gives reviewers below k (late submitters) work from the submissions with the fewest reviewers. */
function topUp(
  k: number,
  count: number,
  order: readonly number[],
  load: Int32Array,
  assigned: number[][],
  mayReview: (si: number, ri: number) => boolean,
  added: [number, number][],
): void {
  for (const r of order) {
    if ((load[r] ?? 0) >= k) continue;
    const bySize = Array.from({ length: count }, (_, i) => i)
      .filter((si) => mayReview(si, r))
      .sort((a, b) => (assigned[a]?.length ?? 0) - (assigned[b]?.length ?? 0));
    for (const si of bySize) {
      if ((load[r] ?? 0) >= k) break;
      assigned[si]?.push(r);
      load[r] = (load[r] ?? 0) + 1;
      added.push([si, r]);
    }
  }
}

/**
 * The greedy pass can leave the last reviewers unbalanced (the only reviewers left are the authors of the
 * last submissions). Move new pairs from the most loaded to the least loaded reviewer while that is allowed
 * and narrows the spread. Rare and short, so a plain scan is enough.
 */
function rebalance(
  load: Int32Array,
  assigned: number[][],
  mayReview: (si: number, ri: number) => boolean,
  added: [number, number][],
): void {
  for (let round = 0; round < 10_000; round++) {
    let min = Number.POSITIVE_INFINITY;
    let max = Number.NEGATIVE_INFINITY;
    for (const l of load) {
      if (l < min) min = l;
      if (l > max) max = l;
    }
    if (max - min <= 1) return;
    let moved = false;
    for (let lo = 0; lo < load.length && !moved; lo++) {
      if (load[lo] !== min) continue;
      for (let p = 0; p < added.length && !moved; p++) {
        const pair = added[p];
        if (!pair) continue;
        const [si, hi] = pair;
        if ((load[hi] ?? 0) < min + 2 || !mayReview(si, lo)) continue;
        const list = assigned[si] ?? [];
        list[list.indexOf(hi)] = lo;
        pair[1] = lo;
        load[hi] = (load[hi] ?? 0) - 1;
        load[lo] = (load[lo] ?? 0) + 1;
        moved = true;
      }
    }
    if (!moved) return;
  }
}
