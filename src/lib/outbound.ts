import { type LookupAddress, type LookupOptions, lookup } from 'node:dns';
import { BlockList, isIP } from 'node:net';
import { Agent, buildConnector, fetch as undiciFetch } from 'undici';

/**
 * Every request the hub makes to an address someone else chose (webhook endpoints, reply URLs, BadgeKit
 * webhooks, badge assertions and status lists to verify) goes through `Outbound`, so that a URL cannot make
 * the hub reach its own network (server-side request forgery): loopback, private, link-local (cloud metadata
 * at 169.254.169.254), carrier-grade NAT, unique-local, multicast and reserved addresses are refused.
 *
 * The check is made in undici's connector, on every connection (redirects included) and on the address
 * actually connected to: names through the DNS lookup the connector calls, so a name that resolves to a public
 * address when registered and to a private one when used (DNS rebinding) is still refused; literal IP hosts,
 * which never reach a lookup, before connecting. (Written here: no maintained npm package does this check at
 * connect time for undici; the address list is the IANA special-purpose registries'.)
 * OUTBOUND_ALLOW_PRIVATE=true turns the check off (local development and the test suite, whose receivers
 * listen on 127.0.0.1).
 */
export type OutboundFetch = (url: string, init: OutboundInit) => Promise<Response>;

export interface OutboundInit {
  readonly method?: string;
  readonly headers?: Record<string, string>;
  readonly body?: string;
  readonly signal?: AbortSignal;
  readonly redirect?: 'manual' | 'error' | 'follow';
}

/** The request was refused before any connection: the URL points at an address the hub must not reach. */
export class OutboundAddressError extends Error {
  constructor(address: string) {
    super(`refusing to connect to ${address}: not a public internet address`);
    this.name = 'OutboundAddressError';
  }
}

const blocked = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const) {
  blocked.addSubnet(net, prefix, 'ipv4');
}
for (const [net, prefix] of [
  ['::', 128],
  ['::1', 128],
  // NAT64-translated addresses would reach any IPv4 address. (IPv4-mapped ::ffff:a.b.c.d needs no rule:
  // BlockList matches it against the IPv4 subnets above.)
  ['64:ff9b::', 96],
  ['100::', 64],
  ['2001:db8::', 32],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const) {
  blocked.addSubnet(net, prefix, 'ipv6');
}

/** Whether the hub may connect to this IP address (v4 or v6, without brackets). */
export function isPublicAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 0) return false;
  return !blocked.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

type LookupCallback = (
  error: NodeJS.ErrnoException | null,
  address: string | LookupAddress[],
  family?: number,
) => void;

/** dns.lookup, refusing (with OutboundAddressError) any answer that is not a public address. */
function publicLookup(hostname: string, options: LookupOptions, callback: LookupCallback): void {
  lookup(hostname, { ...options, all: true }, (error, addresses) => {
    if (error) return callback(error, []);
    const refused = addresses.find((a) => !isPublicAddress(a.address));
    if (refused) return callback(new OutboundAddressError(refused.address), []);
    if (options.all) return callback(null, addresses);
    const first = addresses[0];
    if (!first)
      return callback(Object.assign(new Error(`no address for ${hostname}`), { code: 'ENOTFOUND' }), []);
    callback(null, first.address, first.family);
  });
}

function refusedHost(hostname: string): string | undefined {
  const host = hostname.replace(/^\[|\]$/g, '');
  return isIP(host) !== 0 && !isPublicAddress(host) ? host : undefined;
}

export function createOutbound(options: { allowPrivate: boolean }): OutboundFetch {
  if (options.allowPrivate) return (url, init) => fetch(url, init);
  const connect = buildConnector({ lookup: publicLookup });
  const dispatcher = new Agent({
    connect: (connectOptions, callback) => {
      const refused = refusedHost(connectOptions.hostname);
      if (refused) return callback(new OutboundAddressError(refused), null);
      return connect(connectOptions, callback);
    },
  });
  return async (url, init) => {
    // The first hop is also checked here, so the caller gets this error rather than fetch's "fetch failed".
    const refused = refusedHost(new URL(url).hostname);
    if (refused) throw new OutboundAddressError(refused);
    try {
      const response = await undiciFetch(url, { ...init, dispatcher });
      return response as unknown as Response;
    } catch (error) {
      // A refusal at connect time (a name resolving to a private address, a redirect) comes wrapped.
      if (error instanceof Error && error.cause instanceof OutboundAddressError) throw error.cause;
      throw error;
    }
  };
}
