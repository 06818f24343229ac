import type { Deps } from '../../deps.ts';
import { integerIdsFor, refOfInteger } from './platforms.repository.ts';

/** Kinds of hub records that get integer ids for wire formats that want them. */
export type IntegerKind = 'course' | 'account' | 'membership';

/** Integer ids for hub ids (assigned on first sight, stable, never reused). */
export function integerIds(deps: Pick<Deps, 'db'>, kind: IntegerKind, refs: readonly string[]) {
  return integerIdsFor(deps.db, kind, refs);
}

/** The hub id behind an integer id, or undefined (not an id of this kind, or never handed out). */
export function hubIdOf(deps: Pick<Deps, 'db'>, kind: IntegerKind, id: number): Promise<string | undefined> {
  if (!Number.isSafeInteger(id) || id <= 0 || id > 2_147_483_647) return Promise.resolve(undefined);
  return refOfInteger(deps.db, kind, id);
}
