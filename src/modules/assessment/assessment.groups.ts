import type { Principal } from '../../http/principal.ts';
import { getCourseMember } from '../courses/index.ts';
import { accessActivity, type Ctx } from './assessment.access.ts';
import { assessmentErrors } from './assessment.errors.ts';
import { canEditActivity } from './assessment.policies.ts';
import { insertGroup, listGroupMembers, setGroupMember } from './assessment.repository.ts';
import { checkTitle } from './assessment.validation.ts';

/** Makes a group of course members in a Group activity (moving members out of any other group of it). */
export async function addGroup(
  deps: Ctx,
  principal: Principal,
  activityId: number,
  input: { name: string; userIds: readonly string[] },
): Promise<{ id: string; name: string; userIds: string[] }> {
  const { activity, course, role } = await accessActivity(deps, principal, activityId);
  if (!canEditActivity(role)) throw assessmentErrors.notInstructor();
  if (activity.type !== 'Group') throw assessmentErrors.invalid('type', 'groups belong to Group activities');
  const name = checkTitle('name', input.name, 100);
  const userIds = [...new Set(input.userIds)];
  if (userIds.length === 0 || userIds.length > 50)
    throw assessmentErrors.invalid('user_ids', 'give 1–50 members');
  for (const userId of userIds) {
    const member = /^[0-9a-f-]{36}$/i.test(userId)
      ? await getCourseMember(deps, course.id, userId)
      : undefined;
    if (member?.status !== 'active')
      throw assessmentErrors.invalid('user_ids', `${userId} is not an active member of the course`);
  }
  if ((await listGroupMembers(deps.db, activity.id)).some((g) => g.name === name))
    throw assessmentErrors.invalid('name', 'another group of this activity has this name');
  const id = deps.ids.uuid();
  await deps.db.transaction(async (tx) => {
    await insertGroup(tx, { id, activityId: activity.id, name });
    for (const userId of userIds) await setGroupMember(tx, activity.id, userId, id);
  });
  return { id, name, userIds };
}
