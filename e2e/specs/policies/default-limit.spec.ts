// The gateway's default limit per Api (--default-api-limit, Huawei's ratelimit_api_limits): every
// Api counts against it, all environments together, with or without a ThrottlePolicy, counted by
// the real envoyproxy/ratelimit in a real Redis.
import { json } from '../../src';
import { groupYaml } from '../routing/fixture';
import { burst, programmed, roomInMinute, startPolicyGateway, tally, type PolicyGateway } from './fixture';

const SOURCES = ['127.0.0.2', '127.0.0.3', '127.0.0.4'];
const BOUND = 'api.default-limit.example.com';
const DEBUG = { 'X-Apig-Mode': 'debug' };

const api = (name: string): string => `---
apiVersion: turnpike.dev/v1alpha1
kind: Api
metadata: {name: ${name}}
spec: {groupRef: {name: shop}, method: GET, path: /${name}, backend: {mock: {body: ok}}, environments: [RELEASE, DEV]}
`;

describe('the default limit per Api', () => {
  let pg: PolicyGateway;
  const request = (path: string, headers: Record<string, string> = {}): ReturnType<PolicyGateway['gw']['request']> =>
    pg.gw.request({ host: BOUND, path, headers });

  beforeAll(async () => {
    pg = await startPolicyGateway('default-limit', ['--default-api-limit', '5/minute']);
    await pg.gw.apply(groupYaml(pg.gw, 'shop', `  domains: [{hostname: ${BOUND}}]\n`));
  }, 240_000);
  afterAll(async () => {
    await pg.stop();
  }, 60_000);

  it('lets exactly N calls to an Api through per window, all environments together', async () => {
    await pg.gw.apply(api('plain'));
    // The first call also proves ratelimit has the limit: it reports it.
    await roomInMinute();
    const first = await pg.gw.until({ host: BOUND, path: '/plain', headers: DEBUG }, (r) => r.headers['x-apig-ratelimit-api-allenv'] !== undefined);
    expect([first.status, first.headers['x-apig-ratelimit-api-allenv']]).toEqual([200, 'remain:4,limit:5,time:1 minute']);
    expect(first.headers['x-apig-ratelimit-api']).toBeUndefined();
    const dev = await request('/plain', { ...DEBUG, 'X-Stage': 'DEV' });
    expect([dev.status, dev.headers['x-apig-ratelimit-api-allenv']]).toEqual([200, 'remain:3,limit:5,time:1 minute']);
    const replies = await burst(6, { host: BOUND, path: '/plain' }, (o) => pg.gw.request(o), SOURCES, 3);
    expect(tally(replies)).toEqual({ 200: 3, 429: 3 });
    const refused = replies.find((r) => r.status === 429);
    expect(json(refused!)).toEqual({ error_code: 'APIG.0308', error_msg: 'The throttling threshold has been reached.', request_id: refused!.headers['x-request-id'] });
  });

  it('caps an Api with a ThrottlePolicy too; a call the policy refuses uses none of the default', async () => {
    await pg.gw.apply(api('generous') + api('strict') + `---
apiVersion: turnpike.dev/v1alpha1
kind: ThrottlePolicy
metadata: {name: generous}
spec: {targetRefs: [{kind: Api, name: generous}], limits: {api: 100}}
---
apiVersion: turnpike.dev/v1alpha1
kind: ThrottlePolicy
metadata: {name: strict}
spec: {targetRefs: [{kind: Api, name: strict}], limits: {api: 2}}
`);
    await programmed(pg.gw, 'throttlepolicy', 'generous');
    await programmed(pg.gw, 'throttlepolicy', 'strict');
    await roomInMinute(30);
    const generous = await burst(8, { host: BOUND, path: '/generous' }, (o) => pg.gw.request(o), SOURCES, 4);
    expect(tally(generous)).toEqual({ 200: 5, 429: 3 });
    const strict = await burst(4, { host: BOUND, path: '/strict' }, (o) => pg.gw.request(o), SOURCES, 2);
    expect(tally(strict)).toEqual({ 200: 2, 429: 2 });
    // Raised, the policy lets calls through again: the default counted the 2 it passed, not the 2 it
    // refused (calls refused under the old limit show no default header: they never got that far).
    await pg.gw.apply(`---
apiVersion: turnpike.dev/v1alpha1
kind: ThrottlePolicy
metadata: {name: strict}
spec: {targetRefs: [{kind: Api, name: strict}], limits: {api: 100}}
`);
    const raised = await pg.gw.until({ host: BOUND, path: '/strict', headers: DEBUG }, (r) => r.status === 200);
    expect(raised.headers['x-apig-ratelimit-api-allenv']).toBe('remain:2,limit:5,time:1 minute');
    expect(raised.headers['x-apig-ratelimit-api']).toMatch(/^remain:\d+,limit:100,time:1 minute$/);
  });
});
