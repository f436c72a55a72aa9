import { exposedGc, IDLE_SCAVENGE, scavengeWhenIdle, youngGenerationBytes, type Probes } from './idle-scavenge';

describe('idle scavenge', () => {
  it("reaches V8's minor collection, which empties the young generation", () => {
    const gc = exposedGc();
    expect(gc).toBeDefined();
    let garbage: unknown[] | undefined = Array.from({ length: 20_000 }, (_, i) => ({ i, text: `garbage ${i}` }));
    garbage = undefined;
    expect(garbage).toBeUndefined();
    const before = youngGenerationBytes();
    gc?.({ type: 'minor' });
    expect(youngGenerationBytes()).toBeLessThan(before / 2);
  });

  describe('when to collect', () => {
    beforeEach(() => { jest.useFakeTimers(); });
    afterEach(() => { jest.useRealTimers(); });

    /** A process whose CPU time and young generation the test sets. */
    function fakeProcess(): Probes & { cpu: number; young: number; collections: number } {
      const state = {
        cpu: 0, young: 0, collections: 0,
        gc: () => { state.collections += 1; state.young = 0; },
        youngBytes: () => state.young,
        cpuMs: () => state.cpu,
      };
      return state;
    }

    it('collects once the process is idle with enough in the young generation, and not before', () => {
      const proc = fakeProcess();
      const stop = scavengeWhenIdle(IDLE_SCAVENGE, proc);
      try {
        proc.young = IDLE_SCAVENGE.minYoungBytes - 1;
        jest.advanceTimersByTime(IDLE_SCAVENGE.everyMs);
        expect(proc.collections).toBe(0);

        proc.young = 4 * IDLE_SCAVENGE.minYoungBytes;
        proc.cpu += IDLE_SCAVENGE.idleCpuMs + 1; // a pass running
        jest.advanceTimersByTime(IDLE_SCAVENGE.everyMs);
        expect(proc.collections).toBe(0);

        jest.advanceTimersByTime(IDLE_SCAVENGE.everyMs); // then quiet
        expect(proc.collections).toBe(1);
        expect(proc.young).toBe(0);

        jest.advanceTimersByTime(10 * IDLE_SCAVENGE.everyMs); // nothing left to collect
        expect(proc.collections).toBe(1);
      } finally {
        stop();
      }
    });
  });
});
