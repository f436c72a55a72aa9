/** Printed in place of every secret value: logs, dumps, goldens. */
export const REDACTED = '[redacted]';

const INSPECT = Symbol.for('nodejs.util.inspect.custom');

/**
 * A secret value (a TLS private key, later app secrets and signing keys). JSON.stringify,
 * String() and console/util.inspect all print `[redacted]`; only `reveal()` gives the value, so
 * a secret cannot reach a log or a golden file by accident.
 */
export class SecretValue {
  readonly #value: string;

  constructor(value: string) {
    this.#value = value;
  }

  /** The clear value: call only where it must go on the wire. */
  reveal(): string {
    return this.#value;
  }

  /** Equal when the clear values are equal (the value itself is never printed). */
  equals(other: SecretValue): boolean {
    return this.#value === other.#value;
  }

  toJSON(): string {
    return REDACTED;
  }

  toString(): string {
    return REDACTED;
  }

  [INSPECT](): string {
    return REDACTED;
  }
}
