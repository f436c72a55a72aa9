/**
 * AclPolicy IP entries → the CIDRs Envoy's RBAC matches: an address is a /32 (/128), a CIDR stays
 * as written, a range a-b becomes the smallest set of CIDRs covering exactly a..b.
 */
import type { CidrIR } from '@turnpike/xds-server';
import { parseCidr, parseIp, parseRange, type IpAddress } from '../validate/ip';

function toBigInt(address: IpAddress): bigint {
  return address.bytes.reduce((value, byte) => (value << 8n) | BigInt(byte), 0n);
}

function format(value: bigint, family: 4 | 6): string {
  if (family === 4) return [24n, 16n, 8n, 0n].map((shift) => String((value >> shift) & 0xffn)).join('.');
  const groups = Array.from({ length: 8 }, (_, i) => ((value >> BigInt((7 - i) * 16)) & 0xffffn).toString(16));
  // RFC 5952: the longest run (≥ 2) of zero groups becomes '::'.
  let best = { start: -1, length: 0 };
  for (let i = 0; i < 8; ) {
    if (groups[i] !== '0') { i += 1; continue; }
    let j = i;
    while (j < 8 && groups[j] === '0') j += 1;
    if (j - i > best.length) best = { start: i, length: j - i };
    i = j;
  }
  if (best.length < 2) return groups.join(':');
  return `${groups.slice(0, best.start).join(':')}::${groups.slice(best.start + best.length).join(':')}`;
}

/** The CIDRs covering first..last (inclusive), largest blocks first. */
function rangeToCidrs(first: IpAddress, last: IpAddress): CidrIR[] {
  const bits = first.family === 4 ? 32 : 128;
  const out: CidrIR[] = [];
  let start = toBigInt(first);
  const end = toBigInt(last);
  while (start <= end) {
    // The largest block aligned at start that does not pass end.
    let size = 0;
    while (size < bits && (start & ((1n << BigInt(size + 1)) - 1n)) === 0n && start + (1n << BigInt(size + 1)) - 1n <= end) size += 1;
    out.push({ address: format(start, first.family), prefixLength: bits - size });
    start += 1n << BigInt(size);
  }
  return out;
}

/** One validated AclPolicy entry (address, CIDR or range) as CIDRs; [] for text that is none of them. */
export function entryToCidrs(entry: string): CidrIR[] {
  const address = parseIp(entry);
  if (address !== undefined) return [{ address: format(toBigInt(address), address.family), prefixLength: address.family === 4 ? 32 : 128 }];
  const cidr = parseCidr(entry);
  if (cidr !== undefined) return [{ address: format(toBigInt(cidr.address), cidr.address.family), prefixLength: cidr.bits }];
  const range = parseRange(entry);
  return range === undefined ? [] : rangeToCidrs(range[0], range[1]);
}
