import { type TSchema, Type } from 'typebox';
import { Value } from 'typebox/value';
import type { DomainEvent } from '../../jobs/domain-events.ts';
import { INTERNAL, TEST_EVENT, WEBHOOK_EVENTS, type WebhookEvent } from './webhooks.events.ts';

/**
 * The body of every delivery: Standard Webhooks' `{type, timestamp, data}`, plus the event's `id` and the
 * `version` of the type's `data` schema. `id` is the event's id, the same for every app and endpoint that
 * receives the event (the `webhook-id` header is the delivery's).
 */
export function envelopeSchema(spec: WebhookEvent): TSchema {
  return Type.Object(
    {
      type: Type.Literal(spec.type),
      version: Type.Literal(spec.version, { description: "The version of this type's `data` schema" }),
      id: Type.String({ format: 'uuid', description: 'The event id (the same for every receiver)' }),
      timestamp: Type.String({ format: 'date-time', description: 'When the event happened' }),
      data: spec.data,
    },
    { additionalProperties: false },
  );
}

/** Thrown when a type's mapping produces what its public schema does not allow: a bug, never sent. */
export class WebhookPayloadError extends Error {
  constructor(type: string) {
    super(`webhook "${type}": the public payload does not match its schema; not delivered`);
    this.name = 'WebhookPayloadError';
  }
}

function envelope(spec: WebhookEvent, id: string, occurredAt: Date, data: unknown): string {
  if (!Value.Check(spec.data, data)) throw new WebhookPayloadError(spec.type);
  return JSON.stringify({
    type: spec.type,
    version: spec.version,
    id,
    timestamp: occurredAt.toISOString(),
    data,
  });
}

/** The body apps receive for a domain event, or undefined for a type apps never receive. */
export function webhookBody(event: DomainEvent): string | undefined {
  const spec: WebhookEvent | typeof INTERNAL = WEBHOOK_EVENTS[event.type];
  if (spec === INTERNAL) return undefined;
  // WEBHOOK_EVENTS[event.type] maps payloads of exactly event.type, which the bus checked on reading the row.
  const toPublic = spec.toPublic as (payload: DomainEvent['payload']) => unknown;
  return envelope(spec, event.id, event.occurredAt, toPublic(event.payload));
}

export function testEventBody(id: string, now: Date, endpoint: { id: string; appId: string }): string {
  return envelope(
    TEST_EVENT,
    id,
    now,
    TEST_EVENT.toPublic({ endpoint_id: endpoint.id, app_id: endpoint.appId }),
  );
}
