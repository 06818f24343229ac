import type { Deps } from '../../deps.ts';
import { isAdmin, type Principal } from '../../http/principal.ts';
import { eventErrors } from './events.errors.ts';
import { canManageProgram } from './events.policies.ts';
import {
  findKey,
  findProgram,
  type GrantRow,
  grantsInvolving,
  listKeys,
  listPrograms,
  type ProgramKeyRow,
  type ProgramRow,
} from './events.programs.repository.ts';
import {
  type CreatedKey,
  createKey,
  createProgram,
  grantAccess,
  revokeAccess,
  revokeProgramKey,
} from './events.programs.ts';

/*
 * Programs, keys and grants over HTTP, with the same rules as the CLI: hub operators (admin operator tokens)
 * manage every program; a program's own key manages that program (its keys, the grants on its events) and
 * sees the grants it holds. Another program's key is refused with 403 whether or not the program exists.
 */

type ProgramDeps = Pick<Deps, 'db' | 'clock' | 'ids'>;

async function manageable(deps: ProgramDeps, principal: Principal, programId: string): Promise<ProgramRow> {
  if (!canManageProgram(principal, programId)) throw eventErrors.notProgramOwner(programId);
  const program = await findProgram(deps.db, programId);
  if (!program) throw eventErrors.programNotFound(programId);
  return program;
}

/** Operators see every program; a key sees its own. */
export async function programsFor(deps: ProgramDeps, principal: Principal): Promise<ProgramRow[]> {
  if (isAdmin(principal)) return listPrograms(deps.db);
  if (principal.kind !== 'program_key') throw eventErrors.operatorsOnly();
  const rows = await Promise.all(principal.programIds.map((id) => findProgram(deps.db, id)));
  return rows.filter((row) => row !== undefined);
}

export async function programFor(
  deps: ProgramDeps,
  principal: Principal,
  programId: string,
): Promise<ProgramRow> {
  return manageable(deps, principal, programId);
}

export async function createProgramAs(
  deps: ProgramDeps,
  principal: Principal,
  input: { id: string; name: string; owner?: string | undefined; expiresInDays?: number | undefined },
): Promise<CreatedKey> {
  if (!isAdmin(principal)) throw eventErrors.operatorsOnly();
  return createProgram(deps, input);
}

export async function keysOf(
  deps: ProgramDeps,
  principal: Principal,
  programId: string,
): Promise<ProgramKeyRow[]> {
  await manageable(deps, principal, programId);
  return listKeys(deps.db, programId);
}

export async function addKey(
  deps: ProgramDeps,
  principal: Principal,
  input: { programId: string; name?: string | undefined; expiresInDays?: number | undefined },
): Promise<CreatedKey> {
  await manageable(deps, principal, input.programId);
  const name = input.name?.trim() || 'key';
  if (name.length > 200) throw eventErrors.invalid('name', 'is longer than 200 characters');
  return createKey(deps, { programId: input.programId, name, expiresInDays: input.expiresInDays });
}

/** Revokes one of the program's keys (a key may revoke itself); revoking a revoked key is a no-op. */
export async function revokeKeyAs(
  deps: ProgramDeps,
  principal: Principal,
  input: { programId: string; keyId: string },
): Promise<void> {
  await manageable(deps, principal, input.programId);
  const key = await findKey(deps.db, input.keyId);
  if (!key || key.programId !== input.programId) throw eventErrors.keyNotFound(input.keyId);
  if (key.revokedAt) return;
  await revokeProgramKey(deps, input.keyId);
}

/** Grants the program holds (it reads others) and gives (others read it). */
export async function grantsOfProgram(
  deps: ProgramDeps,
  principal: Principal,
  programId: string,
): Promise<GrantRow[]> {
  await manageable(deps, principal, programId);
  return grantsInvolving(deps.db, programId);
}

/** Lets `consumer` read the producer's events (optionally only some types); the producer decides. */
export async function grantAs(
  deps: ProgramDeps,
  principal: Principal,
  input: { producer: string; consumer: string; types?: readonly string[] | undefined },
): Promise<void> {
  await manageable(deps, principal, input.producer);
  if (input.consumer === input.producer) {
    throw eventErrors.invalid('consumer', 'a program reads its own events already');
  }
  await grantAccess(deps, input);
}

export async function withdrawGrantAs(
  deps: ProgramDeps,
  principal: Principal,
  input: { producer: string; consumer: string },
): Promise<boolean> {
  await manageable(deps, principal, input.producer);
  return revokeAccess(deps, input);
}
