import type { Static } from 'typebox';
import { decodeKeyset, encodeCursor } from '../../lib/cursor.ts';
import { webhookErrors } from './webhooks.errors.ts';
import type { AttemptRow, DeliveryRow, EndpointRow, PagePosition } from './webhooks.repository.ts';
import type { Attempt, Delivery, Endpoint } from './webhooks.schemas.ts';

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function endpointView(e: EndpointRow): Static<typeof Endpoint> {
  return {
    id: e.id,
    app_id: e.appId,
    url: e.url,
    description: e.description,
    event_types: e.eventTypes,
    enabled: e.enabled,
    disabled_reason: e.disabledReason,
    disabled_at: iso(e.disabledAt),
    failing_since: iso(e.failingSince),
    created_at: e.createdAt.toISOString(),
    updated_at: e.updatedAt.toISOString(),
  };
}

export function deliveryView(d: DeliveryRow): Static<typeof Delivery> {
  return {
    id: d.id,
    endpoint_id: d.endpointId,
    app_id: d.appId,
    event_id: d.eventId,
    event_type: d.eventType,
    status: d.status,
    chain: d.chain,
    attempts_in_chain: d.attemptsInChain,
    next_attempt_at: iso(d.nextAttemptAt),
    last_status_code: d.lastStatusCode,
    last_error: d.lastError,
    created_at: d.createdAt.toISOString(),
    updated_at: d.updatedAt.toISOString(),
  };
}

export function attemptView(a: AttemptRow): Static<typeof Attempt> {
  return {
    chain: a.chain,
    attempt: a.attempt,
    attempted_at: a.attemptedAt.toISOString(),
    succeeded: a.succeeded,
    status_code: a.statusCode,
    error: a.error,
    duration_ms: a.durationMs,
    response_excerpt: a.responseExcerpt,
  };
}

export function parseCursor(cursor: string | undefined): PagePosition | undefined {
  if (cursor === undefined) return undefined;
  const position = decodeKeyset(cursor, ['timestamp', 'uuid']);
  if (!position) throw webhookErrors.invalidCursor();
  const [createdAt, id] = position;
  return { createdAt, id };
}

export function nextCursor(page: readonly { createdAt: Date; id: string }[], limit: number): string | null {
  const last = page.at(-1);
  return page.length === limit && last ? encodeCursor([last.createdAt.toISOString(), last.id]) : null;
}
