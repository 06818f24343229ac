import type { Tx } from '../../db/client.ts';
import type { Deps } from '../../deps.ts';
import { AppError } from '../../errors/index.ts';
import { queueMail } from '../../mail/index.ts';
import { createUser, getUserById, type User } from '../identity/index.ts';
import { type CourseClass, getClassById } from './courses.classes.ts';
import { enrolInTx } from './courses.enrolment.ts';
import {
  type CourseJobRow,
  findInstitution,
  findMemberByEmail,
  type InstitutionMemberRow,
  insertMember,
  updateMember,
} from './courses.institutions.repository.ts';
import { generatedUsername, getUserByEmail, personRef } from './courses.people.ts';
import { findPendingInvitation, insertInvitation } from './courses.repository.ts';
import { type Course, getCourseById } from './courses.usecases.ts';
import { parseEmail } from './courses.validation.ts';

/** One line of a bulk invite, import or class invite, processed inside the chunk's transaction. */

export type BulkKind = 'institution_invite' | 'import' | 'class_invite';

export interface BulkInput {
  lines: string[];
  classIds: string[];
  /** Create an account (random password, mailed) for each new address; absent in jobs from before. */
  generateAccounts?: boolean;
}

export interface LineContext {
  institution: { id: string; name: string };
  generateAccounts: boolean;
  /** Members of the institution among the chunk's addresses (and those added while processing it). */
  known: Map<string, InstitutionMemberRow>;
  targets: { cls: CourseClass; course: Course }[];
}

export async function loadContext(deps: Deps, row: CourseJobRow, input: BulkInput): Promise<LineContext> {
  const inst = await findInstitution(deps.db, { id: row.institutionId });
  const targets: LineContext['targets'] = [];
  for (const classId of input.classIds) {
    const cls = await getClassById(deps, classId);
    const course = cls ? await getCourseById(deps, cls.courseId) : undefined;
    if (cls && course) targets.push({ cls, course });
  }
  return {
    institution: { id: row.institutionId, name: inst?.name ?? '' },
    generateAccounts: input.generateAccounts === true,
    targets,
    known: new Map(),
  };
}

function userData(deps: Deps, user: User) {
  return { ...personRef(deps, user), full_name: user.name };
}

/**
 * The seed's `generateAccount`: an account for a new address, with a random password mailed to it; it joins
 * this institution and its classes at once. The address stays unverified (identity mails the usual link),
 * so what others invited the address to earlier waits until the person proves it: an institution's list is
 * no proof of whose mailbox an address is. The account commits on its own (identity's transaction); the
 * password mail goes out with the chunk. Should the chunk roll back, its rerun finds the account and enrols
 * it like any existing one: nobody gets two accounts, and the person can still reset the password by mail.
 * A line identity refuses (say, a full name it does not accept) becomes a plain invitation instead.
 */
async function generateAccount(
  tx: Tx,
  deps: Deps,
  ctx: LineContext,
  email: string,
  fullName: string | null,
): Promise<User | undefined> {
  if (!ctx.generateAccounts) return undefined;
  const password = deps.ids.token(18);
  let user: User;
  try {
    user = await createUser(deps, {
      username: generatedUsername(email, deps.ids),
      name: (fullName ?? '').trim().slice(0, 100) || email.split('@')[0] || email,
      email,
      password,
    });
  } catch (error) {
    if (error instanceof AppError && error.status < 500) return undefined;
    throw error;
  }
  await queueMail(
    tx,
    { ids: deps.ids, mailDomain: new URL(deps.config.publicUrl).hostname },
    {
      to: [email],
      subject: `Your account for ${ctx.institution.name}`,
      text: [
        `Hello ${user.name},`,
        '',
        `${ctx.institution.name} created an account for you on ${deps.config.publicUrl}.`,
        '',
        `Sign in at ${deps.config.publicUrl}/login with this email address and the password:`,
        '',
        `    ${password}`,
        '',
        `Then choose your own password at ${deps.config.publicUrl}/account.`,
      ].join('\n'),
    },
  );
  return user;
}

export async function processLine(
  tx: Tx,
  deps: Deps,
  kind: BulkKind,
  ctx: LineContext,
  line: string,
  result: Record<string, unknown[]>,
): Promise<void> {
  const [rawEmail = '', ...rest] = line.split(',').map((p) => p.trim());
  const email = parseEmail(rawEmail);
  const push = (key: string, value: unknown) => {
    const list = result[key] ?? [];
    list.push(value);
    result[key] = list;
  };
  if (!email) return void push('unprocessedEmails', line);
  const now = deps.clock.now();
  const mailDeps = { ids: deps.ids, mailDomain: new URL(deps.config.publicUrl).hostname };
  if (kind === 'import') {
    const [identifier = null, username = null] = rest.map((v) => (v.length > 0 ? v.slice(0, 200) : null));
    const member = await findMemberByEmail(tx, ctx.institution.id, email);
    if (member) await updateMember(tx, member.id, { identifier, username });
    else {
      const user = await getUserByEmail(deps, email);
      await insertMember(tx, {
        id: deps.ids.uuid(),
        institutionId: ctx.institution.id,
        email,
        userId: user?.id ?? null,
        identifier,
        username,
        createdAt: now,
      });
    }
    return void push('importedEmails', email);
  }
  if (kind === 'class_invite') {
    const target = ctx.targets[0];
    if (!target) return void push('unprocessedEmails', line);
    const user = await getUserByEmail(deps, email);
    if (user) {
      const fresh = await enrolInTx(tx, deps, target.course, user, { classId: target.cls.id });
      return void push(fresh ? 'autoEnrolledStudents' : 'alreadyEnrolledStudents', {
        email,
        user: userData(deps, user),
      });
    }
    if (await findPendingInvitation(tx, [target.cls.id], email))
      return void push('pendingEnrolledEmails', email);
    await insertInvitation(tx, { id: deps.ids.uuid(), classId: target.cls.id, email, now });
    await queueMail(tx, mailDeps, {
      to: [email],
      subject: `You are invited to ${target.course.title}`,
      text: `You have been invited to join ${target.cls.title} in ${target.course.title}.\n\nCreate your account at ${deps.config.publicUrl}/signup and open ${target.course.url} to join.\n`,
    });
    return void push('pendingEnrolledEmails', email);
  }
  const [fullName = null, ...groups] = rest;
  const member = ctx.known.get(email);
  if (member) {
    const user = member.userId ? await getUserById(deps, member.userId) : undefined;
    return void (user
      ? push('alreadyEnrolledStudents', { email, user: userData(deps, user) })
      : push('pendingEnrolledEmails', email));
  }
  const existing = await getUserByEmail(deps, email);
  const generated = existing ? undefined : await generateAccount(tx, deps, ctx, email, fullName);
  const user = existing ?? generated;
  const inserted = await insertMember(tx, {
    id: deps.ids.uuid(),
    institutionId: ctx.institution.id,
    email,
    userId: user?.id ?? null,
    fullName: fullName ? fullName.slice(0, 200) : null,
    groups: groups
      .filter((g) => g.length > 0)
      .map((g) => g.slice(0, 100))
      .slice(0, 20),
    enrolCohorts: ctx.targets.map((t) => t.cls.id),
    invitedAt: now,
    createdAt: now,
  });
  if (inserted) ctx.known.set(email, inserted);
  if (user) {
    for (const target of ctx.targets)
      await enrolInTx(tx, deps, target.course, user, { classId: target.cls.id });
    // The seed lists generated accounts with the pending addresses ("these emails now represent new users").
    if (generated) return void push('pendingEnrolledEmails', email);
    return void push('autoEnrolledStudents', { email, user: userData(deps, user) });
  }
  await queueMail(tx, mailDeps, {
    to: [email],
    subject: `You are invited to ${ctx.institution.name}`,
    text: `${fullName ? `Hello ${fullName},\n\n` : ''}You have been invited to join ${ctx.institution.name} on ${deps.config.publicUrl}.\n\nCreate your account at ${deps.config.publicUrl}/signup with this email address to accept.\n`,
  });
  push('pendingEnrolledEmails', email);
}
