import type { Deps } from '../../deps.ts';

/**
 * Where another module (the peer-assessment module) plugs its activities into LTI without lti depending on
 * it: it registers a resolver, and a resource link whose custom parameter `hub_activity` names an activity
 * launches into it (its course membership is made as for a course link).
 */
export interface ActivityTarget {
  /** Stable reference stored on the resource link, e.g. `assessment:<id>`. */
  readonly ref: string;
  readonly courseId: string;
  readonly title: string;
  /** Path on the hub the person is sent to. */
  readonly path: string;
}

export type ActivityResolver = (deps: Deps, ref: string) => Promise<ActivityTarget | undefined>;

// Keyed by the deps object so two hubs in one process (tests) never share a resolver.
const resolvers = new WeakMap<object, ActivityResolver>();

export function registerActivityResolver(deps: Deps, resolver: ActivityResolver): void {
  resolvers.set(deps.jobs, resolver);
}

export async function resolveActivity(deps: Deps, ref: string): Promise<ActivityTarget | undefined> {
  const resolver = resolvers.get(deps.jobs);
  return resolver ? resolver(deps, ref) : undefined;
}
