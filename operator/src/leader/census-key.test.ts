import { censusKey } from './census-key';

describe('censusKey', () => {
  it('keeps a pod name and shortens what an annotation name cannot hold', () => {
    expect(censusKey('turnpike-operator-7d9f8c6b5-x2k4q')).toBe('envoys.turnpike.dev/turnpike-operator-7d9f8c6b5-x2k4q');
    const long = censusKey(`host.example.com-${'x'.repeat(80)}-1234`);
    const name = long.slice('envoys.turnpike.dev/'.length);
    expect(name.length).toBeLessThanOrEqual(63);
    expect(name).toMatch(/^[A-Za-z0-9][-A-Za-z0-9_.]*[A-Za-z0-9]$/);
    expect(censusKey(`host.example.com-${'x'.repeat(80)}-1235`)).not.toBe(long);
  });
});
