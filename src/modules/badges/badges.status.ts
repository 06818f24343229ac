import { gunzipSync, gzipSync } from 'node:zlib';
import type { Deps } from '../../deps.ts';
import { revokedIdsInRange } from './badges.awards.repository.ts';
import {
  STATUS_LIST_BITS,
  type StatusCheck,
  signWithSystemKey,
  statusListUrl,
  verifyOb3,
} from './badges.ob3.ts';
import { findSystemById } from './badges.repository.ts';

/**
 * Revocation of OB 3.0 credentials by W3C Bitstring Status List: every credential names a bit in a status
 * list of its system (badges.ob3.ts, statusEntry); the list is a credential signed by the same did:key, built
 * from the database on request, so a revocation shows at once. Verifiers fetch the list and read the bit.
 */
type StatusDeps = Pick<Deps, 'db' | 'config' | 'clock' | 'secretKey' | 'outbound'>;
type Json = Record<string, unknown>;
const VC2_CONTEXT = 'https://www.w3.org/ns/credentials/v2';
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The bitstring with `indices` set (bit 0 is the first byte's most significant bit), gzipped, multibase. */
export function encodeStatusList(indices: readonly number[]): string {
  const bits = Buffer.alloc(STATUS_LIST_BITS / 8);
  for (const i of indices) bits[i >> 3] = (bits[i >> 3] ?? 0) | (0x80 >> (i & 7));
  return `u${gzipSync(bits).toString('base64url')}`;
}

/** Whether bit `index` is set; undefined when the list cannot be decoded (or decompresses too far). */
export function statusBit(encodedList: string, index: number): boolean | undefined {
  if (!encodedList.startsWith('u')) return undefined;
  try {
    const bits = gunzipSync(Buffer.from(encodedList.slice(1), 'base64url'), { maxOutputLength: 16 << 20 });
    if (index >= bits.length * 8) return undefined;
    return ((bits[index >> 3] ?? 0) & (0x80 >> (index & 7))) !== 0;
  } catch {
    return undefined;
  }
}

/** The signed BitstringStatusListCredential number `list` of a system, or undefined for an unknown system. */
export async function statusListCredential(deps: StatusDeps, systemId: number, list: number) {
  if (!(await findSystemById(deps.db, systemId))) return undefined;
  const from = list * STATUS_LIST_BITS;
  const revoked = await revokedIdsInRange(deps.db, systemId, from, from + STATUS_LIST_BITS);
  const url = statusListUrl(deps, systemId, list);
  return signWithSystemKey(deps, systemId, (did) => ({
    '@context': [VC2_CONTEXT],
    id: url,
    type: ['VerifiableCredential', 'BitstringStatusListCredential'],
    issuer: did,
    validFrom: deps.clock.now().toISOString(),
    credentialSubject: {
      id: `${url}#list`,
      type: 'BitstringStatusList',
      statusPurpose: 'revocation',
      encodedList: encodeStatusList(revoked.map((id) => id - from)),
    },
  }));
}

/** A status list by URL: this hub's own are built locally; others are fetched (https only, bounded). */
async function loadList(deps: StatusDeps, url: string): Promise<Json | undefined> {
  const local = `${deps.config.publicUrl}/ob/v3/status/`;
  if (url.startsWith(local)) {
    const m = /^(\d{1,9})\/(\d{1,6})$/.exec(url.slice(local.length));
    return m ? statusListCredential(deps, Number(m[1]), Number(m[2])) : undefined;
  }
  if (!url.startsWith('https://')) return undefined;
  try {
    const r = await deps.outbound(url, {
      headers: { accept: 'application/vc+ld+json, application/json' },
      signal: AbortSignal.timeout(5000),
    });
    const text = await r.text();
    if (r.status !== 200 || text.length > 1024 * 1024) return undefined;
    const doc: unknown = JSON.parse(text);
    return isObject(doc) ? doc : undefined;
  } catch {
    return undefined;
  }
}

const idOf = (v: unknown) => (isObject(v) ? v.id : v);

/**
 * The `checkStatus` for verifyOb3: every BitstringStatusListEntry for revocation or suspension must point at
 * a list that verifies, comes from the credential's own issuer and has the bit clear. Any other kind of
 * entry, or a list that cannot be had, fails verification: a status that cannot be checked proves nothing.
 */
export function statusChecker(deps: StatusDeps): StatusCheck {
  return async (credential) => {
    const entries = [credential.credentialStatus].flat().filter((e) => e !== undefined);
    for (const entry of entries) {
      if (!isObject(entry) || entry.type !== 'BitstringStatusListEntry') return { verified: false };
      const purpose = entry.statusPurpose;
      if (purpose !== 'revocation' && purpose !== 'suspension') continue;
      const index = Number(entry.statusListIndex);
      const url = entry.statusListCredential;
      if (!Number.isInteger(index) || index < 0 || typeof url !== 'string') return { verified: false };
      const list = await loadList(deps, url);
      if (!list || !(await verifyOb3(list)).verified) return { verified: false };
      const subject = isObject(list.credentialSubject) ? list.credentialSubject : {};
      if (
        ![list.type].flat().includes('BitstringStatusListCredential') ||
        idOf(list.issuer) !== idOf(credential.issuer) ||
        subject.statusPurpose !== purpose ||
        typeof subject.encodedList !== 'string'
      ) {
        return { verified: false };
      }
      const bit = statusBit(subject.encodedList, index);
      if (bit === undefined) return { verified: false };
      if (bit) return { verified: false, revoked: true };
    }
    return { verified: true };
  };
}
