// Proto3 JSON forms of the well-known types whose JSON is not their field layout.

const DURATION_RE = /^(-)?(\d{1,12})(?:\.(\d{1,9}))?s$/;
const TIMESTAMP_RE = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2})$/;
const MAX_DURATION_SECONDS = 315_576_000_000;

export interface SecondsNanos {
  /** int64 as a decimal string (protobufjs accepts strings for 64-bit fields). */
  readonly seconds: string;
  readonly nanos: number;
}

function nanosOf(fraction: string | undefined): number {
  return fraction === undefined ? 0 : Number(fraction.padEnd(9, '0'));
}

/** "1.5s" → {seconds: "1", nanos: 500000000}; undefined when the string is not a proto3 Duration. */
export function parseDuration(text: string): SecondsNanos | undefined {
  const m = DURATION_RE.exec(text);
  if (m === null) return undefined;
  const seconds = Number(m[2]);
  if (seconds > MAX_DURATION_SECONDS) return undefined;
  const sign = m[1] === '-' ? -1 : 1;
  const nanos = nanosOf(m[3]);
  return { seconds: String(sign * seconds), nanos: seconds === 0 && nanos === 0 ? 0 : sign * nanos };
}

function fractionText(nanos: number): string {
  if (nanos === 0) return '';
  const digits = String(Math.abs(nanos)).padStart(9, '0');
  if (digits.endsWith('000000')) return `.${digits.slice(0, 3)}`;
  if (digits.endsWith('000')) return `.${digits.slice(0, 6)}`;
  return `.${digits}`;
}

/** {seconds, nanos} → canonical proto3 Duration string ("1.500s", "0s", "-2s"). */
export function formatDuration(seconds: string, nanos: number): string {
  const negative = seconds.startsWith('-') || nanos < 0;
  const whole = seconds.replace(/^-/, '');
  return `${negative ? '-' : ''}${whole}${fractionText(nanos)}s`;
}

/** RFC 3339 timestamp → {seconds, nanos}; undefined when malformed. */
export function parseTimestamp(text: string): SecondsNanos | undefined {
  const m = TIMESTAMP_RE.exec(text);
  if (m === null) return undefined;
  const millis = Date.parse(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}${m[8] === 'Z' ? 'Z' : (m[8] ?? 'Z')}`);
  if (Number.isNaN(millis)) return undefined;
  return { seconds: String(Math.floor(millis / 1000)), nanos: nanosOf(m[7]) };
}

/** {seconds, nanos} → "2024-01-02T03:04:05.000000006Z" style (UTC, trimmed fraction). */
export function formatTimestamp(seconds: string, nanos: number): string {
  const iso = new Date(Number(seconds) * 1000).toISOString(); // …T03:04:05.000Z
  return `${iso.slice(0, 19)}${fractionText(nanos)}Z`;
}

function snakeCase(path: string): string {
  return path.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

function lowerCamel(path: string): string {
  return path.replace(/_([a-z0-9])/g, (_m, c: string) => c.toUpperCase());
}

/** "fooBar,baz.quxQuux" → ["foo_bar", "baz.qux_quux"]. */
export function parseFieldMask(text: string): string[] {
  return text === '' ? [] : text.split(',').map(snakeCase);
}

/** ["foo_bar"] → "fooBar". */
export function formatFieldMask(paths: readonly string[]): string {
  return paths.map(lowerCamel).join(',');
}

/** protoc's JSON name for a field: `foo_bar_baz` → `fooBarBaz`. */
export function jsonNameOf(protoName: string): string {
  let out = '';
  let upper = false;
  for (const ch of protoName) {
    if (ch === '_') {
      upper = true;
    } else {
      out += upper ? ch.toUpperCase() : ch;
      upper = false;
    }
  }
  return out;
}
