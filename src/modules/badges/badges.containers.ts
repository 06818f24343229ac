import type { Executor } from '../../db/client.ts';
import type { Deps } from '../../deps.ts';
import type { Principal } from '../../http/principal.ts';
import { badgeErrors, isUniqueViolation } from './badges.errors.ts';
import { canCreateSystem, canManageSystems, canUseSystem, systemScopeOf } from './badges.policies.ts';
import type { StoredImageInput } from './badges.remote-image.ts';
import type { IssuerRow, Page, ProgramRow, SystemRow } from './badges.repository.ts';
import * as repo from './badges.repository.ts';
import { Checker, checkImage, type ImageInput, type Input } from './badges.validation.ts';

/** Where a BadgeKit request is addressed: a system, an issuer in it, or a program in that issuer. */
export interface ContextRef {
  readonly system: string;
  readonly issuer?: string | undefined;
  readonly program?: string | undefined;
}

export interface BadgeContext {
  readonly system: SystemRow;
  readonly issuer?: IssuerRow | undefined;
  readonly program?: ProgramRow | undefined;
}

export type ContainerKind = 'system' | 'issuer' | 'program';

export interface ContainerView {
  readonly kind: ContainerKind;
  readonly row: SystemRow | IssuerRow | ProgramRow;
  readonly imageUrl: string | null;
  /** Issuers of a system, programs of an issuer (their own children are not loaded, as in BadgeKit). */
  readonly children: readonly (IssuerRow | ProgramRow)[];
}

/**
 * The system a principal addresses, refused unless the principal may use it (badges.policies.ts). A
 * principal confined to one system is refused alike whether another system exists or not.
 */
export function checkSystem<S extends { id: number; slug: string }>(
  principal: Principal,
  slug: string,
  system: S | undefined,
): S {
  if (system && canUseSystem(principal, system)) return system;
  if (system || systemScopeOf(principal).kind !== 'all') throw badgeErrors.otherSystem();
  throw badgeErrors.notFound('system', 'slug', slug);
}

/** The context a principal addresses, each level found in the one above, the system checked by policy. */
export async function resolveContext(
  deps: Pick<Deps, 'db'>,
  principal: Principal,
  ref: ContextRef,
  db: Executor = deps.db,
) {
  const system = checkSystem(principal, ref.system, await repo.findSystem(db, ref.system));
  return findIn(db, system, ref);
}

/** A context with no principal: only for public documents and operators' commands. */
export async function findContext(deps: Pick<Deps, 'db'>, ref: ContextRef) {
  const system = await repo.findSystem(deps.db, ref.system);
  if (!system) throw badgeErrors.notFound('system', 'slug', ref.system);
  return findIn(deps.db, system, ref);
}

async function findIn(db: Executor, system: SystemRow, ref: ContextRef) {
  if (ref.issuer === undefined) return { system } as BadgeContext;
  const issuer = await repo.findIssuer(db, system.id, ref.issuer);
  if (!issuer) throw badgeErrors.notFound('issuer', 'slug', ref.issuer);
  if (ref.program === undefined) return { system, issuer } as BadgeContext;
  const program = await repo.findProgram(db, issuer.id, ref.program);
  if (!program) throw badgeErrors.notFound('program', 'slug', ref.program);
  return { system, issuer, program } as BadgeContext;
}

export function imageUrlOf(
  deps: Pick<Deps, 'config'>,
  image: { slug: string | null; url: string | null } | undefined,
) {
  if (!image?.slug) return null;
  return image.url ?? `${deps.config.publicUrl}/ob/images/${encodeURIComponent(image.slug)}`;
}

export async function storeImage(
  deps: Pick<Deps, 'ids'>,
  db: Executor,
  image: ImageInput | StoredImageInput,
) {
  const slug = deps.ids.uuid().replaceAll('-', '');
  if (!('data' in image)) return repo.insertImage(db, { slug, url: image.url });
  // A fetched remote image keeps its URL (what imageUrl shows) beside the stored copy (what is baked).
  const url = 'url' in image ? image.url : null;
  return repo.insertImage(db, { slug, url, data: image.data, mimetype: image.mimetype });
}

async function view(deps: Pick<Deps, 'db' | 'config'>, kind: ContainerKind, row: ContainerView['row']) {
  const image = row.imageId === null ? undefined : await repo.findImageById(deps.db, row.imageId);
  const children =
    kind === 'system'
      ? (await repo.listIssuers(deps.db, [row.id])).rows
      : kind === 'issuer'
        ? (await repo.listPrograms(deps.db, [row.id])).rows
        : [];
  return { kind, row, imageUrl: imageUrlOf(deps, image), children } satisfies ContainerView;
}

/** The container a context names at its deepest level. */
export function deepest(ctx: BadgeContext): { kind: ContainerKind; row: ContainerView['row'] } {
  if (ctx.program) return { kind: 'program', row: ctx.program };
  if (ctx.issuer) return { kind: 'issuer', row: ctx.issuer };
  return { kind: 'system', row: ctx.system };
}

export async function getContainer(deps: Deps, principal: Principal, ref: ContextRef) {
  const { kind, row } = deepest(await resolveContext(deps, principal, ref));
  return view(deps, kind, row);
}

/** Lists the children of `parent` (systems when parent is undefined), with BadgeKit's page/count paging. */
export async function listContainers(
  deps: Deps,
  principal: Principal,
  parent: ContextRef | undefined,
  page?: Page,
) {
  if (!parent) {
    if (!canManageSystems(principal)) throw badgeErrors.otherSystem();
    const { rows, total } = await repo.listSystems(deps.db, page);
    return { items: await Promise.all(rows.map((r) => view(deps, 'system', r))), total };
  }
  const ctx = await resolveContext(deps, principal, parent);
  if (ctx.issuer) {
    const { rows, total } = await repo.listPrograms(deps.db, [ctx.issuer.id], page);
    return { items: await Promise.all(rows.map((r) => view(deps, 'program', r))), total };
  }
  const { rows, total } = await repo.listIssuers(deps.db, [ctx.system.id], page);
  return { items: await Promise.all(rows.map((r) => view(deps, 'issuer', r))), total };
}

function checkContainer(input: Input, partial: boolean) {
  const c = new Checker(input, partial);
  const fields = {
    slug: c.string('slug', { required: true, min: 1, max: 255 }),
    name: c.string('name', { required: true, min: 1, max: 255 }),
    url: c.url('url', true),
    description: c.string('description', { max: 255 }),
    email: c.email('email'),
  };
  const image = checkImage(c, false);
  c.done();
  const set = Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined));
  return { set, image };
}

/** Creates a system (parent undefined), an issuer in a system, or a program in an issuer. */
export async function createContainer(
  deps: Deps,
  principal: Principal,
  parent: ContextRef | undefined,
  input: Input,
) {
  const { set, image } = checkContainer(input, false);
  if (!parent && !canCreateSystem(principal, String(set.slug))) throw badgeErrors.otherSystem();
  const ctx = parent ? await resolveContext(deps, principal, parent) : undefined;
  const base = { slug: String(set.slug), name: String(set.name), url: String(set.url), ...set };
  try {
    const created = await deps.db.transaction(async (tx) => {
      const imageId = image ? (await storeImage(deps, tx, image)).id : null;
      if (!ctx) return { kind: 'system' as const, row: await repo.insertSystem(tx, { ...base, imageId }) };
      if (!ctx.issuer) {
        return {
          kind: 'issuer' as const,
          row: await repo.insertIssuer(tx, { ...base, imageId, systemId: ctx.system.id }),
        };
      }
      return {
        kind: 'program' as const,
        row: await repo.insertProgram(tx, { ...base, imageId, issuerId: ctx.issuer.id }),
      };
    });
    return view(deps, created.kind, created.row);
  } catch (error) {
    if (isUniqueViolation(error))
      throw badgeErrors.duplicate(ctx ? (ctx.issuer ? 'program' : 'issuer') : 'system', base);
    throw error;
  }
}

export async function updateContainer(deps: Deps, principal: Principal, ref: ContextRef, input: Input) {
  const { set, image } = checkContainer(input, true);
  const ctx = await resolveContext(deps, principal, ref);
  const { kind, row } = deepest(ctx);
  try {
    const updated = await deps.db.transaction(async (tx) => {
      const patch = image ? { ...set, imageId: (await storeImage(deps, tx, image)).id } : set;
      if (Object.keys(patch).length === 0) return row;
      const r =
        kind === 'system'
          ? await repo.updateSystem(tx, row.id, patch)
          : kind === 'issuer'
            ? await repo.updateIssuer(tx, row.id, patch)
            : await repo.updateProgram(tx, row.id, patch);
      await repo.bumpListVersion(tx, ctx.system.id);
      return r ?? row;
    });
    return view(deps, kind, updated);
  } catch (error) {
    if (isUniqueViolation(error)) throw badgeErrors.duplicate(kind, { ...row, ...set });
    throw error;
  }
}

/** Deletes a container; unlike BadgeKit, what it holds goes with it (no orphans). */
export async function deleteContainer(deps: Deps, principal: Principal, ref: ContextRef) {
  const ctx = await resolveContext(deps, principal, ref);
  const { kind, row } = deepest(ctx);
  const shown = await view(deps, kind, row);
  await deps.db.transaction(async (tx) => {
    await repo.deleteContainer(tx, kind, row.id);
    if (kind !== 'system') await repo.bumpListVersion(tx, ctx.system.id);
  });
  return shown;
}

/**
 * IssuerOrganization fields, each from the deepest container that has it (program → issuer → system). Public
 * (BadgeKit's OB 1.0 issuer document), so it takes no principal.
 */
export async function getContainerChain(deps: Deps, ref: ContextRef) {
  const ctx = await findContext(deps, ref);
  const chain = [ctx.program, ctx.issuer, ctx.system].filter((x) => x !== undefined);
  const out: Record<string, string> = {};
  for (const k of ['name', 'url', 'description', 'email'] as const) {
    const v = chain.map((c) => c[k]).find((x) => x);
    if (v) out[k] = v;
  }
  return out;
}
