import type { NotificationListener } from '../../db/notifications.ts';

/**
 * Key revocations and grant changes, announced to every hub process. The web processes cache verified keys
 * and grants for a second (events.programs.ts); a change made in the same process clears them at once, and
 * this channel does the same in every other process (the CLI, another web process) a few milliseconds after
 * the change commits, through the process's listening connection (db/notifications.ts). If that connection
 * is down, the one-second limit still holds.
 */
export const ACCESS_CHANNEL = 'learnhub_events_access';

// The announcement itself is a query: announceAccessChange() in events.programs.repository.ts.

/** Clears the process's key and grant caches on every change announced, and whenever one may be missed. */
export function listenForAccessChanges(notifications: NotificationListener, clear: () => void): void {
  notifications.subscribe(ACCESS_CHANNEL, { notify: clear, up: clear, lost: clear });
}
