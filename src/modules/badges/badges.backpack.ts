import type { Deps } from '../../deps.ts';
import { AppError } from '../../errors/index.ts';
import type { OutboundFetch } from '../../lib/outbound.ts';
import { getUserById } from '../identity/index.ts';
import { emailHash } from './badges.awards.ts';
import {
  backpackItemOf,
  backpackOf,
  deleteBackpackItem,
  upsertBackpackItem,
} from './badges.backpack.repository.ts';
import { extractPng, extractSvg } from './badges.bake.ts';
import { awardBySlug, ob2Assertion, ob2BadgeClass } from './badges.ob2.ts';
import { verifyOb3 } from './badges.ob3.ts';
import { statusChecker } from './badges.status.ts';
import { MAX_IMAGE_BYTES, sniffImage } from './badges.validation.ts';

/**
 * The backpack: a person imports a badge earned elsewhere (a baked PNG/SVG, an assertion URL, or credential
 * JSON). It is kept only if it verifies: an OB 3.0 credential by its Data Integrity proof (did:key issuers,
 * resolved offline), an OB 2.0 hosted assertion by re-fetching it from its id (https only; the hub's own
 * assertions are read locally) — and in both cases only if it was issued to the person's verified email.
 */
type Json = Record<string, unknown>;
const unverifiable = (why: string) =>
  new AppError('badges.unverifiable', `The badge could not be verified: ${why}`);
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

export interface BackpackInput {
  readonly url?: string | undefined;
  readonly json?: string | undefined;
  /** A baked PNG or SVG as a data: URI. */
  readonly image?: string | undefined;
  /** A baked PNG or SVG as uploaded bytes (the backpack page's file field). */
  readonly file?: Buffer | undefined;
}

/** The largest baked image accepted: baking adds the assertion or credential to the badge image. */
export const MAX_BAKED_BYTES = MAX_IMAGE_BYTES * 2;
/** The longest credential JSON accepted (signed OB 3.0 credentials are a few KB). */
export const MAX_JSON_CHARS = 512 * 1024;

function parseJson(text: string): Json {
  try {
    const value: unknown = JSON.parse(text);
    if (isObject(value)) return value;
  } catch {
    // fall through
  }
  throw new AppError('badges.invalid', 'The badge is not valid JSON.');
}

/** What the person handed in, reduced to a document (JSON) or a URL to fetch. */
function unpack(input: BackpackInput): { doc?: Json; url?: string } {
  if (input.json !== undefined) return { doc: parseJson(input.json) };
  if (input.url !== undefined) return { url: input.url };
  const m = /^data:[\w.+/-]*;base64,(.*)$/s.exec(input.image ?? '');
  if (!m && input.file === undefined)
    throw new AppError('badges.invalid', 'Give one of url, json or image (a data: URI).');
  const data = input.file ?? Buffer.from(m?.[1] ?? '', 'base64');
  if (data.length > MAX_BAKED_BYTES) throw new AppError('badges.invalid', 'The image is too large.');
  const type = sniffImage(data);
  if (type === 'image/png') {
    const text = extractPng(data, 'openbadgecredential') ?? extractPng(data, 'openbadges');
    if (!text) throw unverifiable('the PNG has no baked badge');
    return text.trim().startsWith('{') ? { doc: parseJson(text) } : { url: text.trim() };
  }
  if (type === 'image/svg+xml') {
    const found = extractSvg(data.toString('utf8'));
    if (!found) throw unverifiable('the SVG has no baked badge');
    return found.verify.startsWith('http') ? { url: found.verify } : { doc: parseJson(found.json ?? '') };
  }
  throw new AppError('badges.invalid', 'The image is not a PNG or SVG.');
}

async function fetchJson(
  outbound: OutboundFetch,
  url: string,
): Promise<{ status: number; doc: Json | undefined }> {
  const response = await outbound(url, {
    headers: { accept: 'application/ld+json, application/json' },
    signal: AbortSignal.timeout(5000),
  });
  const text = (await response.text()).slice(0, 256 * 1024);
  try {
    const doc: unknown = JSON.parse(text);
    return { status: response.status, doc: isObject(doc) ? doc : undefined };
  } catch {
    return { status: response.status, doc: undefined };
  }
}

async function verifyOb2(deps: Deps, id: string, email: string) {
  const local = `${deps.config.publicUrl}/ob/v2/assertions/`;
  let assertion: Json;
  let badgeClass: Json;
  if (id.startsWith(local)) {
    // Inside the promise chain, so a malformed %-escape (a URIError) is "no such assertion" too.
    const { row, badge } = await Promise.resolve(id.slice(local.length))
      .then((slug) => awardBySlug(deps, decodeURIComponent(slug)))
      .catch(() => {
        throw unverifiable('no such assertion');
      });
    if (row.revokedAt) throw unverifiable('it was revoked');
    assertion = ob2Assertion(deps, row, badge);
    badgeClass = ob2BadgeClass(deps, badge);
  } else {
    if (!id.startsWith('https://')) throw unverifiable('only https assertion URLs can be checked');
    const a = await fetchJson(deps.outbound, id).catch(() => ({ status: 0, doc: undefined }));
    if (a.status === 410 || a.doc?.revoked === true) throw unverifiable('it was revoked');
    if (a.status !== 200 || !a.doc || a.doc.id !== id)
      throw unverifiable('the assertion URL did not answer with it');
    assertion = a.doc;
    const b =
      typeof assertion.badge === 'string'
        ? await fetchJson(deps.outbound, assertion.badge).catch(() => undefined)
        : undefined;
    badgeClass = isObject(assertion.badge) ? assertion.badge : (b?.doc ?? {});
  }
  const r = isObject(assertion.recipient) ? assertion.recipient : {};
  const salt = typeof r.salt === 'string' ? r.salt : '';
  const identity = String(r.identity ?? '').toLowerCase();
  const ok = r.hashed === true ? identity === emailHash(email, salt) : identity === email;
  if (!ok) throw unverifiable('it was not issued to your email address');
  return {
    doc: assertion,
    name: String(badgeClass.name ?? 'Badge'),
    image: typeof badgeClass.image === 'string' ? badgeClass.image : null,
  };
}

export async function importToBackpack(deps: Deps, userId: string, input: BackpackInput) {
  const user = await getUserById(deps, userId);
  if (!user?.emailVerified)
    throw new AppError('badges.email_unverified', 'Verify your email address before importing badges.');
  const email = user.email.toLowerCase();
  const { doc, url } = unpack(input);
  const types = [doc?.type].flat();
  if (doc && types.includes('VerifiableCredential')) {
    const result = await verifyOb3(doc, statusChecker(deps));
    if (result.revoked) throw unverifiable('it was revoked');
    if (!result.verified) throw unverifiable('its proof or status does not verify');
    const subject = isObject(doc.credentialSubject) ? doc.credentialSubject : {};
    const ids = Array.isArray(subject.identifier) ? subject.identifier.filter(isObject) : [];
    const mine = ids.some(
      (i) => i.identityHash === emailHash(email, typeof i.salt === 'string' ? i.salt : ''),
    );
    if (!mine) throw unverifiable('it was not issued to your email address');
    const achievement = isObject(subject.achievement) ? subject.achievement : {};
    const issuer = isObject(doc.issuer) ? doc.issuer : {};
    const image = isObject(achievement.image) ? String(achievement.image.id ?? '') : null;
    return save(
      deps,
      userId,
      'ob3',
      String(doc.id ?? ''),
      String(achievement.name ?? 'Badge'),
      typeof issuer.name === 'string' ? issuer.name : null,
      image,
      doc,
    );
  }
  const id = url ?? (typeof doc?.id === 'string' ? doc.id : undefined);
  if (!id) throw unverifiable('it names no assertion URL');
  const v = await verifyOb2(deps, id, email);
  return save(deps, userId, 'ob2', id, v.name, null, v.image, v.doc);
}

async function save(
  deps: Deps,
  userId: string,
  format: string,
  sourceId: string,
  name: string,
  issuerName: string | null,
  imageUrl: string | null,
  document: Json,
) {
  const row = await upsertBackpackItem(deps.db, {
    id: deps.ids.uuid(),
    userId,
    format,
    sourceId,
    name: name.slice(0, 500),
    issuerName,
    imageUrl,
    document,
    verifiedAt: deps.clock.now(),
  });
  return backpackJson(row);
}

export function backpackJson(row: Awaited<ReturnType<typeof backpackOf>>[number]) {
  return {
    id: row.id,
    format: row.format,
    source_id: row.sourceId,
    name: row.name,
    issuer_name: row.issuerName,
    image_url: row.imageUrl,
    verified_at: row.verifiedAt.toISOString(),
  };
}

export async function listBackpack(deps: Deps, userId: string) {
  return (await backpackOf(deps.db, userId)).map(backpackJson);
}

/**
 * Verifies one of a person's imported badges again, as at import (an OB 3.0 credential by its proof, an OB 2.0
 * assertion by fetching it), refreshing it when it still verifies. Throws `badges.unverifiable` when it no
 * longer does (revoked, say); the item stays, so the person decides whether to remove it.
 */
export async function recheckBackpackItem(deps: Deps, userId: string, itemId: string) {
  const row = await backpackItemOf(deps.db, userId, itemId);
  if (!row) throw new AppError('badges.not_found', 'There is no such badge in your backpack.');
  const input = row.format === 'ob3' ? { json: JSON.stringify(row.document) } : { url: row.sourceId };
  return importToBackpack(deps, userId, input);
}

/** Removes one of a person's imported badges; another person's item is "not found". */
export async function removeFromBackpack(deps: Deps, userId: string, itemId: string) {
  if (!(await deleteBackpackItem(deps.db, userId, itemId)))
    throw new AppError('badges.not_found', 'There is no such badge in your backpack.');
}
