import type { Principal } from '../../http/principal.ts';

export type Delivery = 'immediately' | 'daily' | 'weekly' | 'never';
export const DELIVERIES: readonly Delivery[] = ['immediately', 'daily', 'weekly', 'never'];

/** Who may send a message, given whether the recipient granted the app the `notifications` scope. */
export function canSendMessage(principal: Principal, recipientGranted: boolean): boolean {
  if (principal.kind === 'operator') return true;
  if (principal.kind === 'app') return recipientGranted;
  if (principal.kind === 'app_user') return recipientGranted;
  return false;
}

/** The app that sends, for the `[App name]` prefix and the preferences; null for the hub itself. */
export function senderAppId(principal: Principal): string | null {
  return principal.kind === 'app' || principal.kind === 'app_user' ? principal.appId : null;
}

/**
 * Which preference applies: the course's beats the app's, which beats the person's default; with none,
 * mail goes out immediately.
 */
export function effectiveDelivery(
  preferences: ReadonlyMap<string, Delivery>,
  message: { appId: string | null; courseId: string | null },
): { delivery: Delivery; scope: string } {
  const scopes = [
    message.courseId ? `course:${message.courseId}` : undefined,
    message.appId ? `app:${message.appId}` : undefined,
    'default',
  ];
  for (const scope of scopes) {
    const delivery = scope ? preferences.get(scope) : undefined;
    if (scope && delivery) return { delivery, scope };
  }
  return {
    delivery: 'immediately',
    scope: message.courseId
      ? `course:${message.courseId}`
      : message.appId
        ? `app:${message.appId}`
        : 'default',
  };
}

export function isPreferenceScope(scope: string): boolean {
  return /^(default|app:[0-9a-f-]{36}|course:[0-9a-f-]{36})$/.test(scope);
}

/** A course announcement may come from an operator or whoever may manage the course (its app, its admins). */
export function canAnnounce(principal: Principal, isCourseAdmin: boolean): boolean {
  return principal.kind === 'operator' || isCourseAdmin;
}
