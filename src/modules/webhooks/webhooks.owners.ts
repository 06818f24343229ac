import type { Deps } from '../../deps.ts';
import { getUserById } from '../identity/index.ts';
import { getAppById } from '../oauth/index.ts';

export interface AppOwner {
  readonly appName: string;
  readonly email: string;
  readonly name: string;
}

/**
 * The person to tell about an app's webhooks: its owner, looked up through the oauth and identity modules'
 * public use-cases. Undefined when the app, its owner or the owner's account is unknown (apps created by
 * operators may have no owner): the notice is then only recorded (webhook_notices) and logged.
 */
export async function findAppOwner(deps: Pick<Deps, 'db'>, appId: string): Promise<AppOwner | undefined> {
  const app = await getAppById(deps, appId);
  if (!app?.ownerUserId) return undefined;
  const user = await getUserById(deps, app.ownerUserId);
  if (!user) return undefined;
  return { appName: app.name, email: user.email, name: user.name };
}
