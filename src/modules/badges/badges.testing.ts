import type { TestApp } from '../../../test/support/app.ts';
import type { Deps } from '../../deps.ts';
import type { Principal } from '../../http/principal.ts';
import type { AwardDeps } from './badges.awards.ts';
import { type ContextRef, createContainer } from './badges.containers.ts';
import { createBadge } from './badges.usecases.ts';
import type { Input } from './badges.validation.ts';
import type { BadgekitWebhookEvent } from './badges.webhooks.ts';

/** Helpers for the badges use-case tests (not a test file itself). */

/** BadgeKit's master key: every system. */
export const MASTER: Principal = { kind: 'badgekit_consumer', systemId: null };

/** A consumer key of one system. */
export const consumerOf = (systemId: number): Principal => ({
  kind: 'badgekit_consumer',
  systemId: String(systemId),
});

export const PNG_1PX = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
);
export const IMAGE = `data:image/png;base64,${PNG_1PX.toString('base64')}`;

export const badgeInput = (over: Input = {}): Input => ({
  name: 'Test Badge',
  earnerDescription: 'You did it',
  consumerDescription: 'They did it',
  criteriaUrl: 'https://example.org/criteria',
  unique: 0,
  type: 'skill',
  image: IMAGE,
  ...over,
});

/**
 * Deps whose BadgeKit webhook formatter records each event it is asked to format (the wire format is the
 * dialect's, tested there); the body it returns names the action, so a delivery row shows which event it was.
 */
export function recordingDeps(t: TestApp): AwardDeps & Deps & { readonly events: BadgekitWebhookEvent[] } {
  const events: BadgekitWebhookEvent[] = [];
  return {
    ...t.deps,
    events,
    badgekitWebhookBody: (event) => {
      events.push(event);
      return { action: event.action };
    },
  };
}

/** A system `slug` with an issuer `<slug>-issuer`; returns the system's id. */
export async function seedSystem(t: TestApp, slug: string): Promise<number> {
  const system = await createContainer(t.deps, MASTER, undefined, {
    slug,
    name: `System ${slug}`,
    url: `https://${slug}.example.org`,
  });
  await createContainer(
    t.deps,
    MASTER,
    { system: slug },
    {
      slug: `${slug}-issuer`,
      name: `Issuer of ${slug}`,
      url: `https://issuer.${slug}.example.org`,
    },
  );
  return system.row.id;
}

export async function seedBadge(t: TestApp, ref: ContextRef, slug: string, over: Input = {}) {
  return createBadge(t.deps, MASTER, ref, badgeInput({ slug, name: `Badge ${slug}`, ...over }));
}

/** The payloads of the domain events of one type, oldest first. */
export async function eventsOfType(t: TestApp, type: string) {
  const res = await t.deps.pool.query<{ payload: Record<string, unknown> }>(
    'select payload from domain_events where type = $1 order by seq',
    [type],
  );
  return res.rows.map((r) => r.payload);
}

/** How many rows a table has (to show that a refused call changed nothing). */
export async function countRows(t: TestApp, table: string): Promise<number> {
  const res = await t.deps.pool.query<{ n: string }>(`select count(*) as n from ${table}`);
  return Number(res.rows[0]?.n ?? 0);
}
