import type { Principal } from '../../http/principal.ts';

/** The part of a domain event the audience rules look at. */
export interface AudienceEvent {
  readonly type: string;
  readonly subject: string;
  readonly payload: Readonly<Record<string, unknown>>;
}

/**
 * Who receives what. An event goes to an app's endpoints only when
 *   1. the event concerns that app: some audience rule below names the app, and
 *   2. the endpoint subscribes to the event's type (or to `*`).
 *
 * The base rule reads the payload: `app_id` (a string) and `app_ids` (an array of strings). The easiest way
 * for a module to make its events reach an app is therefore to put the concerned app ids into the payload
 * when it appends the event (e.g. a course event carrying its owning app in `app_ids`), since the payload is
 * the one place that knows them at that moment. A module that needs a different, pure mapping adds a
 * function to AUDIENCE_RULES. Nothing reaches an app that no rule names: leaking another app's data is the
 * failure to avoid.
 */
export type AudienceRule = (event: AudienceEvent) => readonly string[];

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const payloadApps: AudienceRule = (event) => {
  const found: string[] = [];
  const single = event.payload.app_id;
  if (typeof single === 'string') found.push(single);
  const many = event.payload.app_ids;
  if (Array.isArray(many)) for (const id of many) if (typeof id === 'string') found.push(id);
  return found;
};

export const AUDIENCE_RULES: readonly AudienceRule[] = [payloadApps];

/** The apps an event concerns (valid uuids only, de-duplicated, lower case). */
export function appsConcernedBy(event: AudienceEvent, rules = AUDIENCE_RULES): string[] {
  const ids = new Set<string>();
  for (const rule of rules) {
    for (const id of rule(event)) if (UUID.test(id)) ids.add(id.toLowerCase());
  }
  return [...ids];
}

export function endpointWants(endpoint: { eventTypes: readonly string[] }, eventType: string): boolean {
  return endpoint.eventTypes.includes('*') || endpoint.eventTypes.includes(eventType);
}

/**
 * Which app's webhooks a principal may manage: an app (or an app acting for a user) its own; an admin
 * operator any app it names. `requested` is the `app_id` the request named, if any.
 */
export type WebhookActor =
  | { readonly ok: true; readonly appId: string | undefined }
  | { readonly ok: false; readonly reason: 'not_allowed' | 'wrong_app' };

export function webhookActor(principal: Principal, requested: string | undefined): WebhookActor {
  switch (principal.kind) {
    case 'app':
    case 'app_user':
      if (requested !== undefined && requested.toLowerCase() !== principal.appId.toLowerCase()) {
        return { ok: false, reason: 'wrong_app' };
      }
      return { ok: true, appId: principal.appId };
    case 'operator':
      return principal.admin ? { ok: true, appId: requested } : { ok: false, reason: 'not_allowed' };
    default:
      return { ok: false, reason: 'not_allowed' };
  }
}

/** Whether the actor may see an endpoint of `endpointAppId`; otherwise it answers 404, as if absent. */
export function canSeeEndpoint(actorAppId: string | undefined, endpointAppId: string): boolean {
  return actorAppId === undefined || actorAppId.toLowerCase() === endpointAppId.toLowerCase();
}

/** The owner of an app manages its webhooks on the developer page. */
export function isAppOwner(userId: string, app: { ownerUserId: string | null }): boolean {
  return app.ownerUserId !== null && app.ownerUserId === userId;
}
