import type { FastifyRequest } from 'fastify';

/**
 * Who is calling. Every request resolves to exactly one principal; routes declare which kinds they accept
 * (`config: { principals: [...] }`) and use-cases make the finer authorisation decisions with policies.
 */
export type Principal =
  | { readonly kind: 'anonymous' }
  | { readonly kind: 'operator'; readonly tokenId: string; readonly admin: boolean }
  | { readonly kind: 'user'; readonly userId: string; readonly admin: boolean }
  | { readonly kind: 'app'; readonly appId: string; readonly scopes: readonly string[] }
  | {
      readonly kind: 'app_user';
      readonly appId: string;
      readonly userId: string;
      readonly scopes: readonly string[];
    }
  | { readonly kind: 'platform'; readonly platformId: string }
  | { readonly kind: 'program_key'; readonly keyId: string; readonly programIds: readonly string[] }
  | { readonly kind: 'institution'; readonly institutionId: string; readonly userId?: string }
  | { readonly kind: 'badgekit_consumer'; readonly systemId: string | null };

export type PrincipalKind = Principal['kind'];

/**
 * The one meaning of "hub administrator", for every module: an operator token created with `--admin`, or a
 * signed-in user whose account has the admin flag. Nothing else is: not an operator token without `--admin`
 * (it does operator work a route grants to operators by name, such as sending messages), not an app, and not
 * an app acting for an admin user (the app holds the scopes the person granted it, not the person's role).
 * A route still decides which principal kinds it accepts at all; this decides who among them is an admin.
 */
export function isAdmin(principal: Principal): boolean {
  return (principal.kind === 'operator' || principal.kind === 'user') && principal.admin;
}

export const ANONYMOUS: Principal = Object.freeze({ kind: 'anonymous' });

/**
 * An authenticator recognises one kind of credential. It returns undefined when the request does not carry
 * its kind of credential (so the next one is tried) and throws an AppError (401) when it does but the
 * credential is wrong, expired or revoked.
 */
export interface Authenticator {
  readonly name: string;
  authenticate(request: FastifyRequest): Promise<Principal | undefined>;
}

export function bearerToken(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (!header) return undefined;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match?.[1];
}

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal;
  }
  interface FastifyContextConfig {
    /** Principal kinds this route accepts; omit for public routes. */
    principals?: readonly PrincipalKind[];
  }
}
