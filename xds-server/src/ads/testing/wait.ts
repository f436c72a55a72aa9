// Polling with deadlines: how these tests wait for anything (never fixed sleeps).

export interface WaitOptions {
  readonly what: string;
  readonly timeoutMs?: number;
  readonly intervalMs?: number;
}

const pause = (ms: number): Promise<void> => new Promise((resolve) => { setTimeout(resolve, ms); });

/** Calls `probe` until it returns something other than undefined/false; throws at the deadline with the last error. */
export async function waitFor<T>(probe: () => Promise<T | undefined | false> | T | undefined | false, options: WaitOptions): Promise<T> {
  const timeoutMs = options.timeoutMs ?? 20_000;
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined && value !== false) return value;
    } catch (err: unknown) {
      lastError = err;
    }
    if (Date.now() > deadline) {
      const why = lastError instanceof Error ? `: ${lastError.message}` : '';
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${options.what}${why}`);
    }
    await pause(options.intervalMs ?? 50);
  }
}
