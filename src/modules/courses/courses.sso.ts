import { createHmac } from 'node:crypto';
import type { Deps } from '../../deps.ts';
import { safeEqual } from '../../lib/secrets.ts';
import { createUser, type User } from '../identity/index.ts';
import { enrolInTx } from './courses.enrolment.ts';
import { courseErrors } from './courses.errors.ts';
import { findMemberByEmail, findMemberByUser, updateMember } from './courses.institutions.repository.ts';
import { institutionSharedSecret } from './courses.institutions.ts';
import { generatedUsername, getUserByEmail } from './courses.people.ts';
import {
  acceptInvitation,
  findMembership,
  findPendingInvitation,
  listClasses,
} from './courses.repository.ts';
import type { Course } from './courses.usecases.ts';
import { parseEmail } from './courses.validation.ts';

const DAY_S = 86_400;
/** A little clock skew between the institution's server and ours is tolerated. */
const FUTURE_SKEW_S = 300;

export interface SignedPayload {
  issued_at: number;
  user_id: string;
  full_name?: string;
}

/** base64 or base64url, padding optional (the seed allows both) → bytes; undefined when not base64. */
function decodeBase64(value: string): Buffer | undefined {
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(value)) return undefined;
  return Buffer.from(value.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
}

/** The seed's recipe: base64url(HMAC-SHA256(secret, encodedPayload)) + '.' + encodedPayload. */
export function signRequest(
  secret: string,
  payloadJson: string,
  encoding: 'base64url' | 'base64' = 'base64url',
) {
  // Like Python's base64.urlsafe_b64encode (the seed's example): URL-safe alphabet, padding kept.
  const encode = (bytes: Buffer) => {
    const b64 = bytes.toString('base64');
    return encoding === 'base64' ? b64 : b64.replace(/\+/g, '-').replace(/\//g, '_');
  };
  const encodedPayload = encode(Buffer.from(payloadJson, 'utf8'));
  const signature = encode(createHmac('sha256', secret).update(encodedPayload, 'utf8').digest());
  return { encodedPayload, signature, signedRequest: `${signature}.${encodedPayload}` };
}

/**
 * Verifies a signed_request: the HMAC over the encoded payload exactly as sent (so either base64 alphabet
 * and padding or not all verify), compared in constant time, then the payload's age (under a day).
 */
export function verifySignedRequest(secret: string, signedRequest: string, now: Date): SignedPayload {
  const dot = signedRequest.indexOf('.');
  if (dot <= 0 || signedRequest.length > 8192)
    throw courseErrors.badSignedRequest('is not signature.payload');
  const encodedSignature = signedRequest.slice(0, dot);
  const encodedPayload = signedRequest.slice(dot + 1);
  const given = decodeBase64(encodedSignature);
  const payloadBytes = decodeBase64(encodedPayload);
  if (!given || !payloadBytes) throw courseErrors.badSignedRequest('is not base64');
  const expected = createHmac('sha256', secret).update(encodedPayload, 'utf8').digest();
  if (!safeEqual(expected.toString('hex'), given.toString('hex')))
    throw courseErrors.badSignedRequest('the signature does not match');
  let payload: unknown;
  try {
    payload = JSON.parse(payloadBytes.toString('utf8'));
  } catch {
    throw courseErrors.badSignedRequest('the payload is not JSON');
  }
  const p = payload as Partial<SignedPayload> | null;
  if (!p || typeof p.issued_at !== 'number' || typeof p.user_id !== 'string')
    throw courseErrors.badSignedRequest('the payload needs issued_at (seconds) and user_id');
  const age = now.getTime() / 1000 - p.issued_at;
  if (age > DAY_S) throw courseErrors.badSignedRequest('has expired (issued_at is more than a day old)');
  if (age < -FUTURE_SKEW_S) throw courseErrors.badSignedRequest('issued_at is in the future');
  return {
    issued_at: p.issued_at,
    user_id: p.user_id,
    full_name: typeof p.full_name === 'string' ? p.full_name : undefined,
  };
}

/**
 * Signs a person into an institution's course from a signed_request, by the seed's rules: the user is
 * already enrolled, or the address was invited to the course (a new account is created and enrolled); an
 * existing account is only signed in if the institution manages it (it is a member of the institution).
 */
export async function courseLogin(deps: Deps, course: Course, signedRequest: string): Promise<User> {
  if (!course.ownerInstitutionId)
    throw courseErrors.ssoRefused('This course does not belong to an institution.');
  const secret = await institutionSharedSecret(deps, course.ownerInstitutionId);
  if (!secret) throw courseErrors.ssoRefused('This course does not belong to an institution.');
  const payload = verifySignedRequest(secret, signedRequest, deps.clock.now());
  const email = parseEmail(payload.user_id);
  if (!email) throw courseErrors.badSignedRequest('user_id is not an email address');
  const classes = await listClasses(deps.db, course.id);
  const classIds = classes.map((c) => c.id);
  const invitation = await findPendingInvitation(deps.db, classIds, email);
  const member = await findMemberByEmail(deps.db, course.ownerInstitutionId, email);
  const invitedClassId = invitation?.classId ?? member?.enrolCohorts.find((id) => classIds.includes(id));
  let user = await getUserByEmail(deps, email);
  if (user) {
    const managed = await findMemberByUser(deps.db, course.ownerInstitutionId, user.id);
    if (!managed) throw courseErrors.ssoRefused('This account is not managed by the institution.');
    const enrolled = (await findMembership(deps.db, course.id, user.id))?.status === 'active';
    if (enrolled) return user;
    if (!invitedClassId)
      throw courseErrors.ssoRefused('This person is not enrolled in or invited to this course.');
  } else {
    if (!invitedClassId)
      throw courseErrors.ssoRefused('This person is not enrolled in or invited to this course.');
    const name = (payload.full_name ?? member?.fullName ?? email).trim().slice(0, 100) || email;
    user = await createUser(deps, {
      username: generatedUsername(email, deps.ids),
      name,
      email,
      password: deps.ids.token(24),
      // The institution vouches for the address for its own courses only. The hub has not proven it, so the
      // account starts unverified (createUser mails a verification link): until the person verifies, other
      // institutions' invitations to this address stay pending (courses.claims.ts).
      emailVerified: false,
    });
  }
  const account = user;
  await deps.db.transaction(async (tx) => {
    if (member && !member.userId) await updateMember(tx, member.id, { userId: account.id });
    if (invitation) await acceptInvitation(tx, invitation.id, deps.clock.now());
    await enrolInTx(tx, deps, course, account, { classId: invitedClassId ?? null });
  });
  return account;
}
