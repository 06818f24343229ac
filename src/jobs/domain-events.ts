import { eq } from 'drizzle-orm';
import { Value } from 'typebox/value';
import type { Executor } from '../db/client.ts';
import { domainEvents } from '../db/core.tables.ts';
import type { Logger } from '../lib/logger.ts';
import type { Clock, Ids } from '../lib/runtime.ts';
import {
  DOMAIN_EVENTS,
  type DomainEventType,
  type EventPayload,
  isDomainEventType,
} from './domain-events.catalogue.ts';
import { enqueue } from './enqueue.ts';
import type { JobRegistry } from './registry.ts';

export {
  DOMAIN_EVENT_TYPES,
  DOMAIN_EVENTS,
  type DomainEventType,
  type EventPayload,
  HUB_EVENT_TYPES,
  type HubEventType,
  isDomainEventType,
} from './domain-events.catalogue.ts';

interface EventOf<T extends DomainEventType> {
  readonly seq: number;
  readonly id: string;
  readonly type: T;
  /** What the event is about, as `<kind>:<id>` (e.g. `user:0b6…`, `course:abc`). */
  readonly subject: string;
  readonly payload: EventPayload<T>;
  readonly occurredAt: Date;
}

/**
 * An event of one of the types `T`: a union over `T`, so `switch (event.type)` narrows the payload.
 * `DomainEvent` alone is any event of the catalogue.
 */
export type DomainEvent<T extends DomainEventType = DomainEventType> = { [K in T]: EventOf<K> }[T];

export type NewDomainEvent<T extends DomainEventType = DomainEventType> = {
  [K in T]: { readonly type: K; readonly subject: string; readonly payload: EventPayload<K> };
}[T];

const DISPATCH = 'domain_events.dispatch';

/** Thrown when a payload does not match its type's schema: a bug in the appending code, never bad input. */
export class DomainEventPayloadError extends Error {
  constructor(type: string, detail: string) {
    super(`domain event "${type}": payload does not match its schema (${detail})`);
    this.name = 'DomainEventPayloadError';
  }
}

function mismatch(type: DomainEventType, payload: unknown): string | undefined {
  const schema = DOMAIN_EVENTS[type];
  if (Value.Check(schema, payload)) return undefined;
  const [first] = Value.Errors(schema, payload);
  return first ? `${first.instancePath || '/'} ${first.message}` : 'invalid';
}

/**
 * Appends an event inside the caller's transaction and enqueues its dispatch in the same transaction: the
 * event and its consequences are committed together or not at all. The payload is checked against the
 * catalogue at run time too, so a cast or an `unknown` that slipped past the compiler fails the caller's
 * transaction instead of storing a row no consumer can read.
 */
export async function appendDomainEvent<T extends DomainEventType>(
  tx: Executor,
  deps: { clock: Clock; ids: Ids },
  event: NewDomainEvent<T>,
): Promise<DomainEvent<T>> {
  const problem = isDomainEventType(event.type) ? mismatch(event.type, event.payload) : 'unknown type';
  if (problem) throw new DomainEventPayloadError(event.type, problem);
  const [row] = await tx
    .insert(domainEvents)
    .values({
      id: deps.ids.uuid(),
      occurredAt: deps.clock.now(),
      type: event.type,
      subject: event.subject,
      payload: event.payload,
    })
    .returning();
  if (!row) throw new Error('domain event insert returned no row');
  await enqueue(tx, DISPATCH, { id: row.id }, { jobKey: `${DISPATCH}:${row.id}` });
  return { ...row, type: event.type, payload: event.payload } as DomainEvent<T>;
}

export type DomainEventConsumer<T extends DomainEventType> = (event: DomainEvent<T>) => Promise<void>;

/** Every type, for consumers that take all events (webhooks); their handler gets the full union. */
export const ALL_EVENTS = '*';

/**
 * Consumers subscribe to event types. Dispatch fans an event out to one job per consumer, keyed by consumer
 * and event id, so each consumer sees each event at least once and retries independently of the others;
 * consumers make themselves idempotent by event id.
 *
 * Rows are read back through the catalogue: a row of an unknown type, or whose payload no longer matches its
 * schema (written by an older hub, or by hand), is logged and skipped, never handed to a consumer and never
 * retried, since it would fail the same way every time.
 */
export class DomainEventBus {
  readonly #subscriptions = new Map<string, { types: ReadonlySet<string> }>();

  constructor(
    private readonly registry: JobRegistry,
    private readonly db: () => Executor,
    private readonly logger: Pick<Logger, 'warn'>,
  ) {
    registry.register<{ id: string }>(DISPATCH, async ({ id }) => {
      const event = await this.load(id);
      if (!event) return;
      for (const [consumer, { types }] of this.#subscriptions) {
        if (types.has(ALL_EVENTS) || types.has(event.type)) {
          await enqueue(this.db(), consumer, { id }, { jobKey: `${consumer}:${id}` });
        }
      }
    });
  }

  /** `consumer` is the job name; the handler receives only events of `types` (or of every type, for '*'). */
  subscribe<const T extends DomainEventType>(
    consumer: string,
    types: readonly T[] | typeof ALL_EVENTS,
    handle: DomainEventConsumer<T>,
  ): void {
    const wanted = new Set<string>(types === ALL_EVENTS ? [ALL_EVENTS] : types);
    this.registry.register<{ id: string }>(consumer, async ({ id }) => {
      const event = await this.load(id);
      // A consumer's job only exists for its types; the check keeps the handler's type honest all the same.
      if (event && (wanted.has(ALL_EVENTS) || wanted.has(event.type))) await handle(event as DomainEvent<T>);
    });
    this.#subscriptions.set(consumer, { types: wanted });
  }

  private async load(id: string): Promise<DomainEvent | undefined> {
    const [row] = await this.db().select().from(domainEvents).where(eq(domainEvents.id, id)).limit(1);
    if (!row) return undefined;
    const problem = isDomainEventType(row.type) ? mismatch(row.type, row.payload) : 'unknown type';
    if (problem) {
      this.logger.warn(
        { eventId: row.id, seq: row.seq, type: row.type, problem },
        'domain event does not match the catalogue; skipped',
      );
      return undefined;
    }
    return row as DomainEvent;
  }
}
