import { describe, expect, it } from 'vitest';
import { canChooseAppOwner, canManageApp, canVerifyToken } from './oauth.policies.ts';

const owner = { kind: 'user', userId: 'u-1', admin: false } as const;
const stranger = { kind: 'user', userId: 'u-2', admin: false } as const;
const admin = { kind: 'user', userId: 'u-3', admin: true } as const;
const operator = { kind: 'operator', tokenId: 't', admin: false } as const;
const adminOperator = { kind: 'operator', tokenId: 't-admin', admin: true } as const;
const nonAdminOperator = { kind: 'operator', tokenId: 't2', admin: false } as const;
const app = { kind: 'app', appId: 'a-1', scopes: [] } as const;

describe('oauth policies', () => {
  it('lets owners and hub admins (admin users, admin operator tokens) manage an app, and nobody else', () => {
    const subject = { ownerUserId: 'u-1' };
    expect(canManageApp(owner, subject)).toBe(true);
    expect(canManageApp(admin, subject)).toBe(true);
    expect(canManageApp(adminOperator, subject)).toBe(true);
    expect(canManageApp(adminOperator, { ownerUserId: null })).toBe(true);
    // isAdmin made this stricter: an operator token without --admin no longer manages apps.
    expect(canManageApp(operator, subject)).toBe(false);
    expect(canManageApp(stranger, subject)).toBe(false);
    expect(canManageApp(app, subject)).toBe(false);
    expect(canManageApp(stranger, { ownerUserId: null })).toBe(false);
    // Issue 15: a non-admin operator token may not change any app's redirect URIs.
    expect(canManageApp(nonAdminOperator, subject)).toBe(false);
    expect(canManageApp(nonAdminOperator, { ownerUserId: null })).toBe(false);
  });

  it('lets only hub admins pick an app owner', () => {
    expect(canChooseAppOwner(adminOperator)).toBe(true);
    expect(canChooseAppOwner(admin)).toBe(true);
    expect(canChooseAppOwner(operator)).toBe(false);
    expect(canChooseAppOwner(owner)).toBe(false);
    expect(canChooseAppOwner(nonAdminOperator)).toBe(false);
  });

  it('lets an app verify only its own tokens', () => {
    expect(canVerifyToken(app, { clientId: 'a-1' })).toBe(true);
    expect(canVerifyToken(app, { clientId: 'a-2' })).toBe(false);
    expect(canVerifyToken(operator, { clientId: 'a-2' })).toBe(true);
    expect(canVerifyToken(owner, { clientId: 'a-1' })).toBe(false);
  });
});
