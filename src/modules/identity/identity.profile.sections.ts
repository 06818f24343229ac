import type { FastifyInstance } from 'fastify';
import type { ComponentChildren } from 'preact';
import type { User } from './identity.usecases.ts';

/**
 * A section of the public profile page (/u/<username>) that another module contributes: badges, the
 * activity feed, and whatever a later module adds. identity owns the page but knows none of its
 * contributors, so it depends on nothing above it; the contributors depend on identity, as they do anyway.
 */
export interface ProfileSection {
  /** The section's element id (`#<id>`), and `<id>-heading` for its heading. */
  readonly id: string;
  readonly heading: string;
  /** Where it goes: lower first. */
  readonly order: number;
  /** Shown when render gives nothing. */
  readonly empty: string;
  /** The section's content for this person, as `viewer` (undefined: not signed in) may see it. */
  render(person: User, viewer: User | undefined): Promise<ComponentChildren | undefined>;
}

/** The sections of one hub instance, in page order. */
export class ProfileSections {
  readonly #sections: ProfileSection[] = [];

  add(section: ProfileSection): void {
    if (this.#sections.some((s) => s.id === section.id)) {
      throw new Error(`A profile section with id "${section.id}" is already registered`);
    }
    this.#sections.push(section);
    this.#sections.sort((a, b) => a.order - b.order);
  }

  list(): readonly ProfileSection[] {
    return this.#sections;
  }
}

// One registry per hub instance (each test builds its own hub), kept with the instance that owns the page.
const registries = new WeakMap<object, ProfileSections>();

/** The registry of an app: identity creates it when it registers, contributors add to it afterwards. */
export function profileSectionsOf(app: FastifyInstance): ProfileSections {
  let registry = registries.get(app);
  if (!registry) {
    registry = new ProfileSections();
    registries.set(app, registry);
  }
  return registry;
}

/** For other modules' `register*` functions: puts a section on every public profile. */
export function addProfileSection(app: FastifyInstance, section: ProfileSection): void {
  profileSectionsOf(app).add(section);
}
