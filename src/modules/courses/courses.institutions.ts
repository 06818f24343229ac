import type { Deps } from '../../deps.ts';
import type { Principal } from '../../http/principal.ts';
import { parseBasicAuth } from '../../lib/basic-auth.ts';
import { decryptSecret, encryptSecret } from '../../lib/crypto.ts';
import { hashToken, safeEqual } from '../../lib/secrets.ts';
import { getUserById, type User } from '../identity/index.ts';
import { courseErrors } from './courses.errors.ts';
import {
  adminInstitutionIds,
  findInstitution,
  findInstitutionKey,
  type InstitutionMemberRow,
  type InstitutionRow,
  insertInstitution,
  insertInstitutionAdmin,
  insertInstitutionKey,
  isInstitutionAdminRow,
  listMembers,
  updateInstitution,
} from './courses.institutions.repository.ts';
import { checkCredentials, getUserByEmail } from './courses.people.ts';
import { canManageInstitution, principalUser } from './courses.policies.ts';
import { checkPath, checkTitle } from './courses.validation.ts';

const SECRET_PURPOSE = 'courses.institution-sso';
/** API credentials last two years; the CLI can issue another. */
const KEY_TTL_MS = 2 * 365 * 86_400_000;

export interface Institution {
  id: string;
  path: string;
  name: string;
  generateAccounts: boolean;
  createdAt: Date;
}

export function toInstitution(row: InstitutionRow): Institution {
  return {
    id: row.id,
    path: row.path,
    name: row.name,
    generateAccounts: row.generateAccounts,
    createdAt: row.createdAt,
  };
}

export interface CreatedInstitution {
  institution: Institution;
  sharedSecret: string;
  apiUsername: string;
  apiPassword: string;
}

/** Creates an institution with its SSO shared secret (sealed at rest) and a first API credential. */
export async function createInstitution(
  deps: Deps,
  input: { path: string; name: string; generateAccounts?: boolean },
): Promise<CreatedInstitution> {
  const path = checkPath('path', input.path);
  const name = checkTitle('name', input.name);
  if (await findInstitution(deps.db, { path })) throw courseErrors.pathTaken(path);
  const sharedSecret = deps.ids.token(32);
  const apiUsername = `ol_${deps.ids.token(12)}`;
  const apiPassword = deps.ids.token(32);
  const now = deps.clock.now();
  const row = await deps.db.transaction(async (tx) => {
    const inserted = await insertInstitution(tx, {
      id: deps.ids.uuid(),
      path,
      name,
      sharedSecretSealed: encryptSecret(deps.secretKey, SECRET_PURPOSE, sharedSecret),
      generateAccounts: input.generateAccounts ?? false,
      createdAt: now,
    });
    await insertInstitutionKey(tx, {
      id: apiUsername,
      institutionId: inserted.id,
      secretHash: hashToken(apiPassword),
      createdAt: now,
      expiresAt: new Date(now.getTime() + KEY_TTL_MS),
    });
    return inserted;
  });
  return { institution: toInstitution(row), sharedSecret, apiUsername, apiPassword };
}

/** Turns the seed's generateAccount feature on or off for an institution (an operator's decision). */
export async function setGenerateAccounts(deps: Deps, path: string, enabled: boolean): Promise<Institution> {
  const row = await updateInstitution(deps.db, path, { generateAccounts: enabled });
  if (!row) throw courseErrors.institutionNotFound();
  return toInstitution(row);
}

export async function addInstitutionAdmin(deps: Deps, path: string, email: string): Promise<User> {
  const institution = await findInstitution(deps.db, { path });
  if (!institution) throw courseErrors.institutionNotFound();
  const user = await getUserByEmail(deps, email.trim());
  if (!user) throw courseErrors.userNotFound(email);
  await insertInstitutionAdmin(deps.db, institution.id, user.id, deps.clock.now());
  return user;
}

export async function institutionSharedSecret(
  deps: Deps,
  institutionId: string,
): Promise<string | undefined> {
  const row = await findInstitution(deps.db, { id: institutionId });
  return row ? decryptSecret(deps.secretKey, SECRET_PURPOSE, row.sharedSecretSealed) : undefined;
}

export async function getInstitutionByPath(deps: Deps, path: string): Promise<Institution | undefined> {
  if (path.length === 0 || path.length > 100) return undefined;
  const row = await findInstitution(deps.db, { path });
  return row ? toInstitution(row) : undefined;
}

/** HTTP Basic with an institution API key (`ol_…`); other Basic credentials are not ours (undefined). */
export async function authenticateInstitutionBasic(
  deps: Deps,
  header: string | undefined,
): Promise<Principal | undefined> {
  const basic = parseBasicAuth(header);
  if (!basic?.user.startsWith('ol_')) return undefined;
  const key = basic.user.length <= 100 ? await findInstitutionKey(deps.db, basic.user) : undefined;
  const expected = key?.secretHash ?? hashToken('no-such-key');
  const ok = safeEqual(expected, hashToken(basic.password));
  if (!key || !ok || key.expiresAt <= deps.clock.now()) throw courseErrors.invalidKey();
  return { kind: 'institution', institutionId: key.institutionId };
}

/**
 * The OpenLearning dialect's Basic auth: an institution API key, or a hub account's email + password (the
 * seed's USERNAME:PASSWORD). Missing credentials → 401; wrong ones → 401 (identity throttles guessing).
 */
export async function authenticateOpenLearning(
  deps: Deps,
  header: string | undefined,
  ip: string,
): Promise<Principal> {
  const basic = parseBasicAuth(header);
  if (!basic) throw courseErrors.invalidKey();
  const key = await authenticateInstitutionBasic(deps, header);
  if (key) return key;
  let user: User;
  try {
    user = await checkCredentials(deps, basic.user, basic.password, ip);
  } catch {
    throw courseErrors.invalidKey();
  }
  // An admin of exactly one institution acts for it, as OpenLearning's portal admins do: what they
  // provision belongs to the institution. Anyone else acts as themselves.
  const administered = await adminInstitutionIds(deps.db, user.id);
  const [only] = administered;
  if (administered.length === 1 && only) return { kind: 'institution', institutionId: only, userId: user.id };
  return { kind: 'user', userId: user.id, admin: user.admin };
}

/** The institution a principal may act for, by path; refuses other institutions. */
export async function institutionFor(deps: Deps, principal: Principal, path: string): Promise<Institution> {
  const institution = await getInstitutionByPath(deps, path);
  if (!institution) throw courseErrors.institutionNotFound();
  const userId = principalUser(principal);
  const isAdmin = userId ? await isInstitutionAdminRow(deps.db, institution.id, userId) : false;
  if (!canManageInstitution(principal, institution.id, isAdmin)) throw courseErrors.notInstitutionAdmin();
  return institution;
}

export interface InstitutionEnrolment {
  member: InstitutionMemberRow;
  user: User | undefined;
}

export async function listInstitutionEnrolments(
  deps: Deps,
  institution: Institution,
  options: { start: number; end: number; search?: string },
): Promise<InstitutionEnrolment[]> {
  const start = Math.max(0, options.start);
  const limit = Math.min(Math.max(0, options.end - start), 500);
  if (limit === 0) return [];
  const rows = await listMembers(deps.db, institution.id, { offset: start, limit, search: options.search });
  return Promise.all(
    rows.map(async (member) => ({
      member,
      user: member.userId ? await getUserById(deps, member.userId) : undefined,
    })),
  );
}
