import { BlockList, isIP } from 'node:net';
import { lookup as dnsLookup, LookupAddress, LookupOptions } from 'node:dns';

/**
 * Addresses a production notification may not reach: the service's own network, not the web.
 * One list per family: a BlockList matches IPv4 addresses against IPv4-mapped IPv6 subnets too.
 */
const PRIVATE_V4 = new BlockList();
const PRIVATE_V6 = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16], // link-local, cloud metadata (169.254.169.254)
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const)
  PRIVATE_V4.addSubnet(net, prefix, 'ipv4');
for (const [net, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['::ffff:0:0', 96], // IPv4-mapped: judged as IPv6 here, so refused as a whole
  ['64:ff9b::', 96],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const)
  PRIVATE_V6.addSubnet(net, prefix, 'ipv6');

export function isPrivateAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 0) return false;
  return family === 4 ? PRIVATE_V4.check(address, 'ipv4') : PRIVATE_V6.check(address, 'ipv6');
}

export const MAX_URL_LENGTH = 2000;

/**
 * Why a notification URL is refused, or undefined when it is fine. Always: an absolute http(s)
 * URL without credentials. Unless `allowHttp` (local and test runs): https only, and no host
 * that is `localhost` or a loopback / private / link-local address (the delivery's DNS lookup
 * is checked again, see `publicOnlyLookup`, so a name resolving there is refused too).
 */
export function notificationUrlProblem(raw: string, allowHttp: boolean): string | undefined {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return 'url must be an absolute URL (https://…)';
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return 'url must be an http(s) URL';
  if (url.username || url.password) return 'url must not carry credentials (user:password@)';
  if (allowHttp) return undefined;
  if (url.protocol !== 'https:')
    return 'url must use https (http is allowed only with NOTIFICATIONS_ALLOW_HTTP=true)';
  const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (host === 'localhost' || host.endsWith('.localhost') || isPrivateAddress(host))
    return 'url must not point to a loopback, private or link-local address';
  return undefined;
}

type LookupCallback = (
  error: NodeJS.ErrnoException | null,
  address: string | LookupAddress[],
  family?: number,
) => void;

/**
 * A `lookup` for the delivery's sockets that refuses private addresses: a public name that
 * resolves to 127.0.0.1 or 169.254.169.254 (DNS rebinding) is not connected to.
 */
export function publicOnlyLookup(
  hostname: string,
  options: LookupOptions,
  callback: LookupCallback,
): void {
  dnsLookup(hostname, { ...options, all: true }, (error, addresses) => {
    if (error) return callback(error, []);
    const refused = addresses.find((entry) => isPrivateAddress(entry.address));
    if (refused) {
      const blocked: NodeJS.ErrnoException = new Error(
        `${hostname} resolves to ${refused.address}, a private address notifications may not reach`,
      );
      blocked.code = 'EADDRNOTAVAIL';
      return callback(blocked, []);
    }
    if (options.all) return callback(null, addresses);
    return callback(null, addresses[0].address, addresses[0].family);
  });
}
