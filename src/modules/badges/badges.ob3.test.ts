import { DataIntegrityProof } from '@digitalbazaar/data-integrity';
import * as Ed25519Multikey from '@digitalbazaar/ed25519-multikey';
import { cryptosuite } from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import * as vc from '@digitalbazaar/vc';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../../test/support/app.ts';
import { badgeInput, bk, MASTER, seedContainers } from '../../dialects/badgekit/badgekit.testing.ts';
import { extractPng } from './badges.bake.ts';
import { statusBit, statusChecker } from './badges.status.ts';
import { vcStack, verifyOb3 } from './index.ts';

let t: TestApp;
let slug = '';
let credential: Record<string, unknown> = {};
beforeAll(async () => {
  t = await buildTestApp({ env: { BADGEKIT_MASTER_SECRET: MASTER } });
  await seedContainers(t);
  await bk(t, 'POST', '/systems/chicago/badges', badgeInput({ slug: 'ob3' }));
  const r = await bk(t, 'POST', '/systems/chicago/badges/ob3/instances', {
    email: 'cred@example.org',
    issuedOn: 1767225600,
  });
  slug = String((r.body.instance as { slug: string }).slug);
  credential = (await t.app.inject({ url: `/ob/v3/credentials/${slug}` })).json();
}, 60_000);
afterAll(() => t.close());

describe('Open Badges 3.0 credentials', () => {
  it('issues an OpenBadgeCredential with validFrom, a did:key issuer and an eddsa-rdfc-2022 proof that verifies', async () => {
    expect(credential).toMatchObject({
      '@context': [
        'https://www.w3.org/ns/credentials/v2',
        'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json',
      ],
      type: ['VerifiableCredential', 'OpenBadgeCredential'],
      issuer: { id: expect.stringMatching(/^did:key:z6Mk/), type: ['Profile'] },
      validFrom: '2026-01-01T00:00:00.000Z',
      credentialSubject: {
        type: ['AchievementSubject'],
        achievement: { type: ['Achievement'], name: 'Test Badge' },
      },
      credentialStatus: {
        type: 'BitstringStatusListEntry',
        statusPurpose: 'revocation',
        statusListIndex: expect.stringMatching(/^\d+$/),
        statusListCredential: expect.stringMatching(/^http:\/\/hub\.test\/ob\/v3\/status\/\d+\/0$/),
      },
      proof: { type: 'DataIntegrityProof', cryptosuite: 'eddsa-rdfc-2022', proofPurpose: 'assertionMethod' },
    });
    expect(await verifyOb3(credential, statusChecker(t.deps))).toEqual({ verified: true });
  }, 60_000);

  it('fails verification when tampered with', async () => {
    const tampered = structuredClone(credential);
    (tampered.credentialSubject as { achievement: { name: string } }).achievement.name = 'Something else';
    expect(await verifyOb3(tampered, statusChecker(t.deps))).toEqual({ verified: false });
  }, 60_000);

  it('fails verification when signed by another key in the issuer’s name', async () => {
    const other = await Ed25519Multikey.generate();
    const issuer = credential.issuer as { id: string };
    other.controller = issuer.id;
    other.id = `${issuer.id}#${issuer.id.slice('did:key:'.length)}`;
    const { proof: _proof, ...unsigned } = credential;
    const { documentLoader } = await vcStack();
    const forged = await vc.issue({
      credential: unsigned,
      suite: new DataIntegrityProof({ signer: other.signer(), cryptosuite }),
      documentLoader,
    });
    expect(await verifyOb3(forged, statusChecker(t.deps))).toEqual({ verified: false });
  }, 60_000);

  it('bakes the credential into the PNG under openbadgecredential', async () => {
    const png = await t.app.inject({ url: `/ob/v3/credentials/${slug}/image.png` });
    const baked = JSON.parse(extractPng(png.rawPayload, 'openbadgecredential') ?? '{}');
    expect(baked.id).toBe(credential.id);
    expect(await verifyOb3(baked, statusChecker(t.deps))).toEqual({ verified: true });
  }, 60_000);

  it('does not verify a credential whose status cannot be checked', async () => {
    expect(await verifyOb3(credential)).toEqual({ verified: false });
    const status = credential.credentialStatus as Record<string, unknown>;
    const elsewhere = { ...status, statusListCredential: 'http://insecure.example/status/1' };
    const { proof: _proof, ...unsigned } = credential;
    // The status check on its own: a list over plain http, and one this hub does not have.
    expect(await statusChecker(t.deps)({ ...unsigned, credentialStatus: elsewhere })).toEqual({
      verified: false,
    });
    const missing = { ...status, statusListCredential: 'http://hub.test/ob/v3/status/999999/0' };
    expect(await statusChecker(t.deps)({ ...unsigned, credentialStatus: missing })).toEqual({
      verified: false,
    });
  }, 60_000);

  it('serves a signed status list, and flips the bit when the award is revoked (410 on the credential)', async () => {
    const status = credential.credentialStatus as { statusListCredential: string; statusListIndex: string };
    const path = new URL(status.statusListCredential).pathname;
    const before = await t.app.inject({ url: path });
    expect(before.statusCode).toBe(200);
    const list = before.json();
    expect(list).toMatchObject({
      type: ['VerifiableCredential', 'BitstringStatusListCredential'],
      issuer: (credential.issuer as { id: string }).id,
      credentialSubject: { type: 'BitstringStatusList', statusPurpose: 'revocation' },
    });
    expect(await verifyOb3(list)).toEqual({ verified: true });
    const index = Number(status.statusListIndex);
    expect(statusBit(list.credentialSubject.encodedList, index)).toBe(false);

    await bk(t, 'DELETE', '/systems/chicago/badges/ob3/instances/cred@example.org');
    expect((await t.app.inject({ url: `/ob/v3/credentials/${slug}` })).statusCode).toBe(410);
    const after = (await t.app.inject({ url: path })).json();
    expect(statusBit(after.credentialSubject.encodedList, index)).toBe(true);
    expect(statusBit(after.credentialSubject.encodedList, index + 1)).toBe(false);
    expect(await verifyOb3(credential, statusChecker(t.deps))).toEqual({ verified: false, revoked: true });
    expect((await t.app.inject({ url: '/ob/v3/status/999999/0' })).statusCode).toBe(404);
  }, 60_000);
});
