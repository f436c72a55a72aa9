import { entryToCidrs } from './cidr';

const text = (entry: string): string[] => entryToCidrs(entry).map((c) => `${c.address}/${c.prefixLength}`);

describe('entryToCidrs', () => {
  it('keeps addresses and CIDRs', () => {
    expect(text('192.168.1.5')).toEqual(['192.168.1.5/32']);
    expect(text('192.168.10.0/24')).toEqual(['192.168.10.0/24']);
    expect(text('2001:db8::1')).toEqual(['2001:db8::1/128']);
    expect(text('2001:DB8:0:0:0:0:0:0/32')).toEqual(['2001:db8::/32']);
    expect(text('0.0.0.0/0')).toEqual(['0.0.0.0/0']);
  });

  it('covers a range exactly with the fewest CIDRs', () => {
    // Huawei's documented example.
    expect(text('192.168.12.12-192.168.12.19')).toEqual(['192.168.12.12/30', '192.168.12.16/30']);
    expect(text('127.0.0.2-127.0.0.3')).toEqual(['127.0.0.2/31']);
    expect(text('10.0.0.0-10.0.0.255')).toEqual(['10.0.0.0/24']);
    expect(text('10.0.0.1-10.0.0.1')).toEqual(['10.0.0.1/32']);
    expect(text('10.0.0.255-10.0.1.0')).toEqual(['10.0.0.255/32', '10.0.1.0/32']);
    expect(text('0.0.0.0-255.255.255.255')).toEqual(['0.0.0.0/0']);
    expect(text('2001:db8::-2001:db8::ff')).toEqual(['2001:db8::/120']);
    expect(text('::1-::2')).toEqual(['::1/128', '::2/128']);
  });

  it('prints IPv6 in RFC 5952 form', () => {
    expect(text('2001:db8:0:1:0:0:0:1')).toEqual(['2001:db8:0:1::1/128']);
    expect(text('fe80::')).toEqual(['fe80::/128']);
    expect(text('1:0:1:0:1:0:1:0')).toEqual(['1:0:1:0:1:0:1:0/128']);
  });

  it('gives nothing for text that is no entry', () => {
    expect(text('not-an-ip')).toEqual([]);
  });
});
