import { createLogger, redact } from './log';

describe('logger', () => {
  it('redacts secret-looking fields at any depth', () => {
    const lines: string[] = [];
    const log = createLogger({ write: (line) => lines.push(line) });
    log.info('loaded', { app: { appKey: 'visible-key', appSecret: 's3cr3t', appCodes: ['c'] }, secret: { data: { x: 'eA==' } } });
    expect(lines).toHaveLength(1);
    const text = lines[0] ?? '';
    expect(text).not.toContain('s3cr3t');
    expect(text).not.toContain('eA==');
    expect(text).toContain('visible-key');
    expect(JSON.parse(text)).toMatchObject({ level: 'info', msg: 'loaded', app: { appSecret: '[redacted]' } });
  });

  it('drops records below the level and keeps child fields', () => {
    const lines: string[] = [];
    const log = createLogger({ level: 'warn', write: (line) => lines.push(line) }).child({ component: 'x' });
    log.info('hidden');
    log.warn('shown');
    expect(lines.map((l) => JSON.parse(l) as Record<string, unknown>)).toEqual([
      expect.objectContaining({ msg: 'shown', component: 'x' }),
    ]);
  });

  it('leaves non-secret values alone', () => {
    expect(redact({ name: 'a', list: [1, { password: 'p' }] })).toEqual({ name: 'a', list: [1, { password: '[redacted]' }] });
  });
});
