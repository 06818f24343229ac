import { eq } from 'drizzle-orm';
import type { Executor } from '../db/client.ts';
import { domainEvents } from '../db/core.tables.ts';
import type { Clock, Ids } from '../lib/runtime.ts';
import { enqueue } from './enqueue.ts';
import type { JobRegistry } from './registry.ts';

export interface DomainEvent<P extends Record<string, unknown> = Record<string, unknown>> {
  readonly seq: number;
  readonly id: string;
  readonly type: string;
  /** What the event is about, as `<kind>:<id>` (e.g. `user:0b6…`, `course:abc`). */
  readonly subject: string;
  readonly payload: P;
  readonly occurredAt: Date;
}

export interface NewDomainEvent {
  readonly type: string;
  readonly subject: string;
  readonly payload: Record<string, unknown>;
}

const DISPATCH = 'domain_events.dispatch';

/**
 * Appends an event inside the caller's transaction and enqueues its dispatch in the same transaction: the
 * event and its consequences are committed together or not at all.
 */
export async function appendDomainEvent(
  tx: Executor,
  deps: { clock: Clock; ids: Ids },
  event: NewDomainEvent,
): Promise<DomainEvent> {
  const [row] = await tx
    .insert(domainEvents)
    .values({ id: deps.ids.uuid(), occurredAt: deps.clock.now(), ...event })
    .returning();
  if (!row) throw new Error('domain event insert returned no row');
  await enqueue(tx, DISPATCH, { id: row.id }, { jobKey: `${DISPATCH}:${row.id}` });
  return row;
}

export type DomainEventConsumer = (event: DomainEvent) => Promise<void>;

/**
 * Consumers subscribe to event types. Dispatch fans an event out to one job per consumer, keyed by consumer
 * and event id, so each consumer sees each event at least once and retries independently of the others;
 * consumers make themselves idempotent by event id.
 */
export class DomainEventBus {
  readonly #subscriptions = new Map<string, { types: ReadonlySet<string> }>();

  constructor(
    private readonly registry: JobRegistry,
    private readonly db: () => Executor,
  ) {
    registry.register<{ id: string }>(DISPATCH, async ({ id }) => {
      const event = await this.load(id);
      if (!event) return;
      for (const [consumer, { types }] of this.#subscriptions) {
        if (types.has('*') || types.has(event.type)) {
          await enqueue(this.db(), consumer, { id }, { jobKey: `${consumer}:${id}` });
        }
      }
    });
  }

  /** `consumer` is the job name; `types` may include '*' for every event. */
  subscribe(consumer: string, types: readonly string[], handle: DomainEventConsumer): void {
    this.registry.register<{ id: string }>(consumer, async ({ id }) => {
      const event = await this.load(id);
      if (event) await handle(event);
    });
    this.#subscriptions.set(consumer, { types: new Set(types) });
  }

  private async load(id: string): Promise<DomainEvent | undefined> {
    const [row] = await this.db().select().from(domainEvents).where(eq(domainEvents.id, id)).limit(1);
    return row;
  }
}
