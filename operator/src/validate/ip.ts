/**
 * IP addresses and CIDRs exactly as the API server's CEL library reads them (isIP, isCIDR, ip(),
 * cidr() in k8s.io/apiserver/pkg/cel/library), which parses with Go's net/netip and then refuses
 * zones and IPv4-mapped IPv6 addresses. Node's net.isIP differs (it accepts zones, for one), so
 * this is a port of netip.ParseAddr / ParsePrefix, checked case by case against a real API server.
 */

export interface IpAddress {
  readonly family: 4 | 6;
  /** 4 or 16 bytes, network order. */
  readonly bytes: readonly number[];
}

export interface Cidr {
  readonly address: IpAddress;
  readonly bits: number;
}

/** netip's parseIPv4Fields: four decimal octets, no leading zeros, each at most 255. */
function ipv4Fields(text: string): number[] | undefined {
  const fields = text.split('.');
  if (fields.length !== 4) return undefined;
  const octets: number[] = [];
  for (const field of fields) {
    if (!/^(0|[1-9][0-9]{0,2})$/.test(field) || Number(field) > 255) return undefined;
    octets.push(Number(field));
  }
  return octets;
}

/** One colon-separated group: 1-4 hex digits. */
const HEX_GROUP = /^[0-9A-Fa-f]{1,4}$/;

/** Parses the groups on one side of '::' into bytes; an IPv4 tail is allowed only where `tail` says. */
function ipv6Side(text: string, tail: boolean): number[] | undefined {
  if (text === '') return [];
  const groups = text.split(':');
  const bytes: number[] = [];
  for (const [index, group] of groups.entries()) {
    if (tail && index === groups.length - 1 && group.includes('.')) {
      const octets = ipv4Fields(group);
      if (octets === undefined) return undefined;
      bytes.push(...octets);
    } else {
      if (!HEX_GROUP.test(group)) return undefined;
      const value = parseInt(group, 16);
      bytes.push(value >> 8, value & 0xff);
    }
  }
  return bytes;
}

/** netip's parseIPv6 without zones: at most one '::', which stands for at least one zero group. */
function ipv6Bytes(text: string): number[] | undefined {
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const [head = '', tail] = halves;
  if (tail === undefined) {
    const bytes = ipv6Side(head, true);
    return bytes?.length === 16 ? bytes : undefined;
  }
  const left = ipv6Side(head, false);
  const right = ipv6Side(tail, true);
  if (left === undefined || right === undefined || left.length + right.length > 14) return undefined;
  return [...left, ...new Array<number>(16 - left.length - right.length).fill(0), ...right];
}

/** ::ffff:a.b.c.d, which the CEL library refuses. */
const isIpv4Mapped = (bytes: readonly number[]): boolean =>
  bytes.slice(0, 10).every((b) => b === 0) && bytes[10] === 0xff && bytes[11] === 0xff;

/** CEL ip(text), or undefined where isIP(text) is false. */
export function parseIp(text: string): IpAddress | undefined {
  if (text.includes('%')) return undefined;
  // netip.ParseAddr decides by the first '.' or ':' it meets.
  const first = /[.:]/.exec(text)?.[0];
  if (first === '.') {
    const bytes = ipv4Fields(text);
    return bytes === undefined ? undefined : { family: 4, bytes };
  }
  if (first !== ':') return undefined;
  const bytes = ipv6Bytes(text);
  return bytes === undefined || isIpv4Mapped(bytes) ? undefined : { family: 6, bytes };
}

/** CEL cidr(text), or undefined where isCIDR(text) is false. */
export function parseCidr(text: string): Cidr | undefined {
  const slash = text.lastIndexOf('/');
  if (slash < 0) return undefined;
  const address = parseIp(text.slice(0, slash));
  const bits = text.slice(slash + 1);
  // strconv.Atoi without sign or leading zeros, as netip.ParsePrefix insists.
  if (address === undefined || !/^(0|[1-9][0-9]*)$/.test(bits)) return undefined;
  const length = Number(bits);
  return length > address.bytes.length * 8 ? undefined : { address, bits: length };
}

/** CEL cidr(text) == cidr(text).masked(): no bit after the prefix is set. */
export function hasNoHostBits(cidr: Cidr): boolean {
  return cidr.address.bytes.every((byte, index) => {
    const kept = Math.min(8, Math.max(0, cidr.bits - index * 8));
    return (byte & (0xff >> kept)) === 0;
  });
}

/** Orders two addresses of the same family (negative, zero or positive). */
export function compareIps(a: IpAddress, b: IpAddress): number {
  for (const [index, byte] of a.bytes.entries()) {
    const other = b.bytes[index] ?? 0;
    if (byte !== other) return byte - other;
  }
  return 0;
}

/** An `a-b` ACL range, split as the CRD's CEL does (`self.split('-')`), or undefined. */
export function parseRange(text: string): readonly [IpAddress, IpAddress] | undefined {
  const ends = text.split('-');
  if (ends.length !== 2) return undefined;
  const from = parseIp(ends[0] ?? '');
  const to = parseIp(ends[1] ?? '');
  return from === undefined || to === undefined ? undefined : [from, to];
}
