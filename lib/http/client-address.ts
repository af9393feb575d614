import { isIPv6 } from 'node:net';

/** IPv6 hextets that name one client: a /64 is what one host or home is given. */
const IPV6_CLIENT_PREFIX_HEXTETS = 4;

/**
 * The key that stands for one client in connection and rate limits. IPv4 (also
 * IPv4-mapped IPv6) is the address itself; IPv6 is its /64 prefix, because one
 * machine can use any of 2^64 addresses in its network and would otherwise be a
 * new client at each one.
 */
export function clientKey(address: string | undefined): string {
  if (!address) return 'unknown';
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(address);
  if (mapped) return mapped[1]!;
  if (!isIPv6(address)) return address;
  return `${expandIPv6(address).slice(0, IPV6_CLIENT_PREFIX_HEXTETS).join(':')}::/64`;
}

/**
 * The client's address as the limits should see it. Behind a reverse proxy every
 * connection comes from the proxy, so with trustProxy the last X-Forwarded-For
 * entry (the one the proxy itself appended) names the client; without it the
 * header is ignored, since any client can send one.
 */
export function requestClientAddress(
  socketAddress: string | undefined,
  forwardedFor: string | string[] | undefined,
  trustProxy: boolean,
): string | undefined {
  if (!trustProxy || forwardedFor === undefined) return socketAddress;
  const joined = Array.isArray(forwardedFor) ? forwardedFor.join(',') : forwardedFor;
  const last = joined.split(',').at(-1)?.trim();
  return last || socketAddress;
}

/** Eight hextets, zone id dropped, "::" filled with zeros. */
function expandIPv6(address: string): string[] {
  const [head = '', tail] = address.split('%')[0]!.toLowerCase().split('::');
  const left = head === '' ? [] : head.split(':');
  const right = tail === undefined || tail === '' ? [] : tail.split(':');
  const zeros = Array.from({ length: Math.max(0, 8 - left.length - right.length) }, () => '0');
  return [...left, ...zeros, ...right].map((hextet) => hextet.replace(/^0+(?=.)/, ''));
}
