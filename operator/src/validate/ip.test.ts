// IP parsing as the API server's CEL library does it. The table was recorded from kube-apiserver
// 1.34.4 by creating an AclPolicy with each entry: "entry" = rejected with the "each entry must
// be an IP address…" rule, "family" = the same-family rule, "hostbits" = the CIDR host-bits rule.
import { compareIps, hasNoHostBits, parseCidr, parseIp, parseRange } from './ip';

const RECORDED: readonly (readonly [string, string])[] = [
  ['10.0.0.1', 'ok'], ['0.0.0.0', 'ok'], ['255.255.255.255', 'ok'], ['256.0.0.1', 'entry'], ['010.0.0.1', 'entry'],
  ['1.2.3', 'entry'], ['1.2.3.4.5', 'entry'], ['1.2.3.', 'entry'], ['1..2.3', 'entry'], [' 1.2.3.4', 'entry'],
  ['1.2.3.4 ', 'entry'], ['1.2.3.4\n', 'entry'], ['::', 'ok'], ['::1', 'ok'], ['1::', 'ok'], ['::1:2:3:4:5:6:7', 'ok'],
  ['1:2:3:4:5:6:7::', 'ok'], ['1:2:3:4:5:6:7:8', 'ok'], ['1:2:3:4:5:6:7:8:9', 'entry'], ['1:2:3:4:5:6:7::8', 'entry'],
  [':::1', 'entry'], ['1::2::3', 'entry'], [':1::2', 'entry'], ['1:::2', 'entry'], ['2001:DB8::1', 'ok'],
  ['2001:db8::00001', 'entry'], ['abcd::12345', 'entry'], ['::1.2.3.4', 'ok'], ['1:2:3:4:5:6:1.2.3.4', 'ok'],
  ['1:2:3:4:5:1.2.3.4', 'entry'], ['1:2:3:4:5:6::1.2.3.4', 'entry'], ['::1.2.3.04', 'entry'], ['::ffff:1.2.3.4', 'entry'],
  ['::ffff:0102:0304', 'entry'], ['::fffe:1.2.3.4', 'ok'], ['fe80::1%eth0', 'entry'], ['fe80::1%', 'entry'], ['%1', 'entry'],
  ['1.2.3.4%x', 'entry'], ['g::1', 'entry'], ['-', 'entry'], ['10.0.0.0/8', 'ok'], ['10.0.0.0/08', 'entry'],
  ['10.0.0.0/+8', 'entry'], ['10.0.0.0/-1', 'entry'], ['10.0.0.0/', 'entry'], ['10.0.0.0/33', 'entry'], ['10.0.0.0/32', 'ok'],
  ['10.0.0.1/32', 'ok'], ['10.0.0.1/31', 'hostbits'], ['0.0.0.0/0', 'ok'], ['1.2.3.4/0', 'hostbits'], ['::/0', 'ok'],
  ['::/128', 'ok'], ['::1/128', 'ok'], ['::/129', 'entry'], ['::1/127', 'hostbits'], ['2001:db8::/32', 'ok'],
  ['2001:db8::1/32', 'hostbits'], ['2001:db8::/033', 'entry'], ['::ffff:0:0/96', 'entry'], ['::ffff:10.0.0.0/104', 'entry'],
  ['fe80::%eth0/64', 'entry'], ['10.0.0.0/8/8', 'entry'], ['/8', 'entry'], ['10.0.0.1-10.0.0.9', 'ok'],
  ['10.0.0.9-10.0.0.1', 'ok'], ['10.0.0.1-10.0.0.1', 'ok'], ['::1-::2', 'ok'], ['1.2.3.4-::1', 'family'], ['::1-1.2.3.4', 'family'],
  ['10.0.0.1 - 10.0.0.2', 'entry'], ['10.0.0.1-', 'entry'], ['-10.0.0.1', 'entry'], ['10.0.0.1-10.0.0.2-10.0.0.3', 'entry'],
  ['10.0.0.0/24-10.0.0.9', 'entry'], ['::ffff:1.2.3.4-::ffff:1.2.3.5', 'entry'], ['1.2.3.4-1.2.3.256', 'entry'],
];

/** What the three CEL rules on an ACL entry say, in the table's words. */
function verdict(text: string): string {
  const found: string[] = [];
  const range = parseRange(text);
  const cidr = parseCidr(text);
  if (parseIp(text) === undefined && cidr === undefined && range === undefined) found.push('entry');
  if (range !== undefined && range[0].family !== range[1].family) found.push('family');
  if (cidr !== undefined && !hasNoHostBits(cidr)) found.push('hostbits');
  return found.length === 0 ? 'ok' : found.join('+');
}

describe('ip: isIP, isCIDR and ranges as kube-apiserver reads them', () => {
  it.each(RECORDED)('%j is %s', (text, expected) => {
    expect(verdict(text)).toBe(expected);
  });

  it('reads families and bytes', () => {
    expect(parseIp('10.1.2.3')).toEqual({ family: 4, bytes: [10, 1, 2, 3] });
    expect(parseIp('::1.2.3.4')).toEqual({ family: 6, bytes: [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3, 4] });
    expect(parseIp('2001:db8::ff')?.bytes).toEqual([0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff]);
    expect(parseCidr('10.0.0.0/24')).toEqual({ address: { family: 4, bytes: [10, 0, 0, 0] }, bits: 24 });
  });

  it('finds host bits at every prefix length', () => {
    expect(hasNoHostBits({ address: { family: 4, bytes: [10, 0, 0, 128] }, bits: 25 })).toBe(true);
    expect(hasNoHostBits({ address: { family: 4, bytes: [10, 0, 0, 128] }, bits: 24 })).toBe(false);
    expect(hasNoHostBits({ address: { family: 4, bytes: [10, 0, 1, 0] }, bits: 23 })).toBe(false);
    expect(hasNoHostBits({ address: { family: 4, bytes: [10, 0, 2, 0] }, bits: 23 })).toBe(true);
  });

  it('orders addresses of a family', () => {
    const ip = (text: string): NonNullable<ReturnType<typeof parseIp>> => parseIp(text) ?? { family: 4, bytes: [] };
    expect(compareIps(ip('10.0.0.2'), ip('10.0.0.10'))).toBeLessThan(0);
    expect(compareIps(ip('10.0.1.0'), ip('10.0.0.255'))).toBeGreaterThan(0);
    expect(compareIps(ip('2001:db8::1'), ip('2001:db8::1'))).toBe(0);
    expect(compareIps(ip('2001:db8::ff'), ip('2001:db8:0:0:0:0:0:100'))).toBeLessThan(0);
  });
});
