import { AsyncLocalStorage } from 'node:async_hooks';
import type { Adapter, AdapterPayload } from 'oidc-provider';
import type { Executor } from '../../db/client.ts';
import type { Deps } from '../../deps.ts';
import { decryptSecret, encryptSecret } from '../../lib/crypto.ts';
import { hashToken } from '../../lib/secrets.ts';
import { clientMetadata, UUID } from './oauth.client.ts';
import {
  consumePayload,
  destroyByGrantIds,
  destroyPayload,
  findAppById,
  findPayload,
  type PayloadRow,
  upsertPayload,
} from './oauth.repository.ts';
import { tokenCacheFor } from './oauth.token-cache.ts';

type AdapterDeps = Pick<Deps, 'db' | 'pool' | 'logger' | 'clock' | 'secretKey'>;

/**
 * Lets a use-case run provider writes (e.g. `grant.save()`) inside its own transaction, so the grant and the
 * domain event it causes are committed together.
 */
export const providerTransaction = new AsyncLocalStorage<Executor>();

/**
 * Models whose id is itself a bearer secret (the token value, the session cookie). Their ids are kept only as
 * a SHA-256 and their `jti` is dropped from the stored payload (restored on read from the presented id).
 */
const SECRET_IDS = new Set([
  'AccessToken',
  'AuthorizationCode',
  'RefreshToken',
  'ClientCredentials',
  'DeviceCode',
  'BackchannelAuthenticationRequest',
  'PreAuthorizedCode',
  'InitialAccessToken',
  'RegistrationAccessToken',
  'Session',
]);

const SESSION_PURPOSE = 'oidc-session-id';

function str(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

/** The PostgreSQL adapter oidc-provider instantiates once per model name. */
export function postgresAdapter(deps: AdapterDeps) {
  const db = (): Executor => providerTransaction.getStore() ?? deps.db;

  return class PostgresAdapter implements Adapter {
    readonly #model: string;

    constructor(model: string) {
      this.#model = model;
    }

    #read(row: PayloadRow | undefined, id: string | undefined): AdapterPayload | undefined {
      if (!row) return undefined;
      const payload: Record<string, unknown> = { ...row.payload };
      if (SECRET_IDS.has(this.#model)) {
        const sealed = payload.jti_sealed;
        delete payload.jti_sealed;
        if (id !== undefined) payload.jti = id;
        else if (typeof sealed === 'string')
          payload.jti = decryptSecret(deps.secretKey, SESSION_PURPOSE, sealed);
      }
      if (row.consumedAt) payload.consumed = Math.floor(row.consumedAt.getTime() / 1000);
      return payload as AdapterPayload;
    }

    async upsert(id: string, payload: AdapterPayload, expiresIn?: number): Promise<void> {
      if (this.#model === 'Client') throw new Error('clients are managed as apps, not through the provider');
      const stored: Record<string, unknown> = { ...payload };
      if (SECRET_IDS.has(this.#model)) {
        delete stored.jti;
        // Session.findByUid must give the session id back; keep it sealed, not in clear.
        if (this.#model === 'Session') stored.jti_sealed = encryptSecret(deps.secretKey, SESSION_PURPOSE, id);
      }
      const now = deps.clock.now();
      const seconds = expiresIn && expiresIn > 0 ? expiresIn : 3600;
      await upsertPayload(db(), {
        model: this.#model,
        idHash: hashToken(id),
        payload: stored,
        grantId: str(payload.grantId),
        uid: str(payload.uid),
        userCode: str(payload.userCode),
        accountId: str(payload.accountId),
        clientId: str(payload.clientId),
        expiresAt: new Date(now.getTime() + seconds * 1000),
      });
    }

    async find(id: string): Promise<AdapterPayload | undefined> {
      if (this.#model === 'Client') {
        const app = UUID.test(id) ? await findAppById(db(), id) : undefined;
        return app ? (clientMetadata(app) as AdapterPayload) : undefined;
      }
      const row = await findPayload(db(), {
        model: this.#model,
        idHash: hashToken(id),
        now: deps.clock.now(),
      });
      return this.#read(row, id);
    }

    async findByUid(uid: string): Promise<AdapterPayload | undefined> {
      const row = await findPayload(db(), { model: this.#model, uid, now: deps.clock.now() });
      return this.#read(row, undefined);
    }

    async findByUserCode(userCode: string): Promise<AdapterPayload | undefined> {
      const row = await findPayload(db(), { model: this.#model, userCode, now: deps.clock.now() });
      return this.#read(row, undefined);
    }

    async consume(id: string): Promise<void> {
      await consumePayload(db(), this.#model, hashToken(id), deps.clock.now());
    }

    // Revocations (the revocation endpoint, a reused code, a deleted grant) clear this process's token
    // cache at once; inside a caller's transaction the trigger's notification clears it again on commit.
    async destroy(id: string): Promise<void> {
      await destroyPayload(db(), this.#model, hashToken(id));
      tokenCacheFor(deps).invalidate();
    }

    async revokeByGrantId(grantId: string): Promise<void> {
      await destroyByGrantIds(db(), [grantId], this.#model);
      tokenCacheFor(deps).invalidate();
    }
  };
}
