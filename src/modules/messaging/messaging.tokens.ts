import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Deps } from '../../deps.ts';
import { decryptSecret, encryptSecret } from '../../lib/crypto.ts';
import { hashToken } from '../../lib/secrets.ts';
import { findAppSecret, putAppSecret } from './messaging.repository.ts';

const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567';

/** RFC 4648 base32 without padding, lower-case: survives mail systems that change the local part's case. */
function base32(bytes: Buffer): string {
  let out = '';
  let buffer = 0;
  let bits = 0;
  for (const byte of bytes) {
    buffer = (buffer << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += BASE32[(buffer >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += BASE32[(buffer << (5 - bits)) & 31];
  return out;
}

/** 128 random bits as 26 base32 characters. */
export function newReplyToken(deps: Pick<Deps, 'ids'>): string {
  return base32(Buffer.from(deps.ids.token(16), 'base64url'));
}

export const REPLY_TOKEN = /^[a-z2-7]{26}$/;

/** Tokens are matched case-insensitively and stored only as their hash. */
export function replyTokenHash(token: string): string {
  return hashToken(token.toLowerCase());
}

export function replyAddress(domain: string, token: string): string {
  return `reply+${token}@${domain}`;
}

/** Finds the reply token in a recipient address of our inbound domain, if any. */
export function tokenFromAddress(address: string, domain: string): string | undefined {
  const match = /^reply\+([a-z2-7]{26})@(.+)$/i.exec(address.trim());
  if (!match?.[1] || match[2]?.toLowerCase() !== domain.toLowerCase()) return undefined;
  return match[1].toLowerCase();
}

// One-click unsubscribe links identify the recipient and the list by themselves (RFC 8058): they carry the
// user id, the preference scope and the issue day in binary, with a 128-bit MAC keyed from SECRET_KEY, so
// the link stays short (routers cap path parameters). They are valid for a year after the mail was sent.
const UNSUBSCRIBE_TTL_DAYS = 365;
const KINDS = ['default', 'app', 'course'] as const;
const uuidBytes = (id: string) => Buffer.from(id.replaceAll('-', ''), 'hex');
const bytesUuid = (b: Buffer) =>
  b.toString('hex').replace(/^(.{8})(.{4})(.{4})(.{4})(.{12})$/, '$1-$2-$3-$4-$5');

function unsubscribeMac(secretKey: string, payload: Buffer): Buffer {
  return createHmac('sha256', secretKey)
    .update('messaging.unsubscribe:')
    .update(payload)
    .digest()
    .subarray(0, 16);
}

const today = (deps: Pick<Deps, 'clock'>) => Math.floor(deps.clock.now().getTime() / 86_400_000);

export function unsubscribeToken(deps: Pick<Deps, 'secretKey' | 'clock'>, userId: string, scope: string) {
  const [kind, target] = scope === 'default' ? ['default', undefined] : scope.split(':');
  const day = Buffer.alloc(2);
  day.writeUInt16BE(today(deps) & 0xffff);
  const payload = Buffer.concat([
    Buffer.from([KINDS.indexOf(kind as (typeof KINDS)[number])]),
    uuidBytes(userId),
    target ? uuidBytes(target) : Buffer.alloc(0),
    day,
  ]);
  return Buffer.concat([payload, unsubscribeMac(deps.secretKey, payload)]).toString('base64url');
}

export function readUnsubscribeToken(
  deps: Pick<Deps, 'secretKey' | 'clock'>,
  token: string,
): { userId: string; scope: string } | undefined {
  if (!/^[A-Za-z0-9_-]{40,100}$/.test(token)) return undefined;
  const bytes = Buffer.from(token, 'base64url');
  const payload = bytes.subarray(0, -16);
  if (payload.length !== 19 && payload.length !== 35) return undefined;
  if (!timingSafeEqual(bytes.subarray(-16), unsubscribeMac(deps.secretKey, payload))) return undefined;
  const kind = KINDS[payload[0] ?? 99];
  const userId = bytesUuid(payload.subarray(1, 17));
  const issued = payload.readUInt16BE(payload.length - 2);
  if (((today(deps) - issued) & 0xffff) > UNSUBSCRIBE_TTL_DAYS) return undefined;
  if (kind === 'default' && payload.length === 19) return { userId, scope: 'default' };
  if (kind && kind !== 'default' && payload.length === 35) {
    return { userId, scope: `${kind}:${bytesUuid(payload.subarray(17, 33))}` };
  }
  return undefined;
}

const SECRET_PURPOSE = 'messaging.reply-signing';

/** The app's reply-signing secret (`whsec_...`, Standard Webhooks), made on first use. */
export async function appReplySecret(
  deps: Pick<Deps, 'db' | 'ids' | 'clock' | 'secretKey'>,
  appId: string,
  options: { rotate?: boolean } = {},
): Promise<string> {
  if (!options.rotate) {
    const existing = await findAppSecret(deps.db, appId);
    if (existing) return decryptSecret(deps.secretKey, SECRET_PURPOSE, existing.secretSealed);
  }
  const secret = `whsec_${Buffer.from(deps.ids.token(32), 'base64url').toString('base64')}`;
  await putAppSecret(
    deps.db,
    {
      appId,
      secretSealed: encryptSecret(deps.secretKey, SECRET_PURPOSE, secret),
      createdAt: deps.clock.now(),
    },
    options.rotate === true,
  );
  if (options.rotate) return secret;
  // Lost a race with another first use: read back the one that was stored.
  const stored = await findAppSecret(deps.db, appId);
  return stored ? decryptSecret(deps.secretKey, SECRET_PURPOSE, stored.secretSealed) : secret;
}
