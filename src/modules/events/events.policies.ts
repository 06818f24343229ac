import { isAdmin, type Principal } from '../../http/principal.ts';
import type { ReadScope } from './events.feed.repository.ts';
import type { GrantRow } from './events.programs.repository.ts';

/** A program key may write only its own programs' events. */
export function canWriteProgram(principal: Principal, programId: string): boolean {
  return principal.kind === 'program_key' && principal.programIds.includes(programId);
}

// Hub administrators (isAdmin; admin operator tokens are the only admin kind the events routes accept)
// manage programs, types and retention, and read everything.

/**
 * What a program key may read: its own programs in full, and each producer that granted it access, limited
 * to the granted types when the grant names some.
 */
export function readScopeOf(principal: Principal, grants: readonly GrantRow[]): ReadScope {
  if (isAdmin(principal)) return { all: true, programs: [], typed: [] };
  if (principal.kind !== 'program_key') return { programs: [], typed: [] };
  const programs = new Set(principal.programIds);
  const typed: { programId: string; types: string[] }[] = [];
  for (const grant of grants) {
    if (programs.has(grant.producerId)) continue;
    if (grant.types === null || grant.types.length === 0) programs.add(grant.producerId);
    else typed.push({ programId: grant.producerId, types: grant.types });
  }
  return { programs: [...programs], typed: typed.filter((t) => !programs.has(t.programId)) };
}

export function scopeAllows(scope: ReadScope, programId: string, eventType: string): boolean {
  if (scope.all) return true;
  if (scope.programs.includes(programId)) return true;
  return scope.typed.some((t) => t.programId === programId && t.types.includes(eventType));
}

export function scopeCoversProgram(scope: ReadScope, programId: string): boolean {
  if (scope.all) return true;
  return scope.programs.includes(programId) || scope.typed.some((t) => t.programId === programId);
}

/** Who may change an event type: operators any non-built-in one; a program only the types it registered. */
export function canManageType(principal: Principal, ownerProgramId: string | null | undefined): boolean {
  if (isAdmin(principal)) return true;
  if (principal.kind !== 'program_key') return false;
  return (
    ownerProgramId === undefined || (ownerProgramId !== null && principal.programIds.includes(ownerProgramId))
  );
}

/** Operators manage every program; a program's own key manages that program's keys and grants. */
export function canManageProgram(principal: Principal, programId: string): boolean {
  return isAdmin(principal) || canWriteProgram(principal, programId);
}
