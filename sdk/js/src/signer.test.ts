// Reference §1.8: the official Huawei vector and the derived regression vectors.
import { canonicalQuery, canonicalRequest, canonicalUri, parseQuery, sha256Hex, stringToSign } from './canonical';
import { sdkDate, sign, signature } from './signer';

const official = {
  key: 'QTWAOYTTINDUT2QVKYUC',
  secret: 'MFyfvK41ba2giqM7Uio6PznpdUKGpownRZlmVmHc',
};
const derived = { key: '071fe245-9cf6-4d75-822d-c29945a1e06a', secret: 'c6e52419-2270-4cb8-8bd4-ae7fdd01dcd5' };

function signatureOf(headers: Record<string, string>): string | undefined {
  return /Signature=([0-9a-f]+)/.exec(headers.Authorization ?? '')?.[1];
}

describe('SDK-HMAC-SHA256 signer', () => {
  it('reproduces the official vector exactly', () => {
    const headers = sign(
      {
        method: 'GET',
        url: 'https://service.region.example.com/v1/77b6a44cba5143ab91d13ab9a8ff44fd/vpcs?limit=2&marker=13551d6b-755d-4757-b956-536f674975c0',
        headers: { 'Content-Type': 'application/json', 'X-Sdk-Date': '20191115T033655Z' },
      },
      official,
    );
    expect(headers.Authorization).toBe(
      'SDK-HMAC-SHA256 Access=QTWAOYTTINDUT2QVKYUC, SignedHeaders=content-type;host;x-sdk-date, ' +
        'Signature=7be6668032f70418fcc22abc52071e57aff61b84a1d2381bb430d6870f4f6ebe',
    );
  });

  it('builds the official canonical request and its hash', () => {
    const values: Record<string, string> = {
      'content-type': 'application/json',
      host: 'service.region.example.com',
      'x-sdk-date': '20191115T033655Z',
    };
    const result = canonicalRequest({
      method: 'get',
      path: '/v1/77b6a44cba5143ab91d13ab9a8ff44fd/vpcs',
      query: 'limit=2&marker=13551d6b-755d-4757-b956-536f674975c0',
      header: (name) => values[name],
      signedHeaders: ['content-type', 'host', 'x-sdk-date'],
      payloadHash: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    });
    if (!('request' in result)) throw new Error('missing header');
    expect(sha256Hex(result.request)).toBe('b25362e603ee30f4f25e7858e8a7160fd36e803bb2dfe206278659d71a9bcd7a');
    expect(signature(official.secret, stringToSign('20191115T033655Z', result.request))).toBe(
      '7be6668032f70418fcc22abc52071e57aff61b84a1d2381bb430d6870f4f6ebe',
    );
  });

  it('vector A: repeated and empty query values', () => {
    expect(canonicalQuery(parseQuery('b=2&a=1&a=0&c='))).toBe('a=0&a=1&b=2&c=');
    const headers = sign(
      { method: 'GET', url: 'http://api.example.com/app1?b=2&a=1&a=0&c=', headers: { 'X-Sdk-Date': '20230527T015431Z' } },
      derived,
    );
    expect(signatureOf(headers)).toBe('9a7987aba4aee7bc629d1338308f497bcd1192fcd2cbbf40bb79534b9d2aa1b8');
  });

  it('vector B: non-ASCII path, space and plus in the query, JSON body', () => {
    expect(canonicalUri('/v1/orders/中文 x')).toBe('/v1/orders/%E4%B8%AD%E6%96%87%20x/');
    expect(canonicalQuery(parseQuery('q=a b&q=a+b'))).toBe('q=a%20b&q=a%2Bb');
    const headers = sign(
      {
        method: 'POST',
        url: 'http://api.example.com/v1/orders/中文 x?q=a b&q=a+b',
        headers: { 'Content-Type': 'application/json', 'X-Sdk-Date': '20230527T015431Z' },
        body: '{"a":1}',
      },
      derived,
    );
    expect(signatureOf(headers)).toBe('2c0be50a042402e6cffbd0105b53d2b4e52dc76039ad0001a858b13e3cc6c4de');
  });

  it('vector C: UNSIGNED-PAYLOAD and a host with a port', () => {
    const headers = sign(
      {
        method: 'PUT',
        url: 'https://api.example.com:8443/upload/',
        headers: { 'X-Sdk-Date': '20230527T015431Z' },
        body: 'anything at all',
        unsignedPayload: true,
      },
      derived,
    );
    expect(headers.Authorization).toContain('SignedHeaders=host;x-sdk-content-sha256;x-sdk-date,');
    expect(signatureOf(headers)).toBe('84f1d7db1ac1b43741b8d8f35c11fb2a1ba638664fa4b15785fb2c306cb038f3');
  });

  it('treats /a and /a/ alike, and decodes before encoding', () => {
    expect(canonicalUri('/a')).toBe(canonicalUri('/a/'));
    expect(canonicalUri('/')).toBe('/');
    expect(canonicalUri('/x%20y')).toBe('/x%20y/');
  });

  it('reports a signed header that the request lacks', () => {
    const result = canonicalRequest({
      method: 'GET', path: '/', query: '', header: () => undefined, signedHeaders: ['host'], payloadHash: '',
    });
    expect(result).toEqual({ missingHeader: 'host' });
  });

  it('formats X-Sdk-Date in UTC', () => {
    expect(sdkDate(new Date(Date.UTC(2019, 10, 15, 3, 36, 55, 123)))).toBe('20191115T033655Z');
  });
});
